// The library under test, as `check.mjs` needs it. The CLI (and its worker) use the compiled
// dist/ (`npm run build`, run by `npm ci` through `prepare`); the vitest test passes src/ itself.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Imports the API from a compiled output directory (`<repo>/dist`). */
export async function loadDistApi(distDir) {
  const dist = (p) => import(pathToFileURL(join(distDir, p)).href);
  const [load, errors, parse, print, sourceMap, generate, plan, emit, printPlan] = await Promise.all([
    dist('wit/load.js'),
    dist('wit/errors.js'),
    dist('wit/parse.js'),
    dist('wit/print.js'),
    dist('wit/source-map.js'),
    dist('generate.js'),
    dist('abi/plan.js'),
    dist('emit/core-module-host.js'),
    dist('abi/print-plan.js'),
  ]);
  return {
    loadWitPath: load.loadWitPath,
    loadWitSource: load.loadWitSource,
    resolveToJson: load.resolveToJson,
    WitError: errors.WitError,
    renderDiagnostic: errors.renderDiagnostic,
    parseWitFile: parse.parseWitFile,
    printWit: print.printWit,
    SourceMap: sourceMap.SourceMap,
    generateWorld: generate.generateWorld,
    PlanError: plan.PlanError,
    emitWorldModule: emit.emitWorldModule,
    printPlan: printPlan.printPlan,
  };
}

/** Source files newer than their compiled output (dist/ is stale), as repo-relative paths. */
export function staleDist(repoRoot) {
  const stale = [];
  const walk = (rel) => {
    for (const name of readdirSync(join(repoRoot, 'src', rel))) {
      const r = rel ? `${rel}/${name}` : name;
      const src = join(repoRoot, 'src', r);
      if (statSync(src).isDirectory()) walk(r);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) {
        const out = join(repoRoot, 'dist', r.replace(/\.ts$/, '.js'));
        if (!existsSync(out) || statSync(out).mtimeMs < statSync(src).mtimeMs) stale.push(`src/${r}`);
      }
    }
  };
  walk('');
  return stale;
}
