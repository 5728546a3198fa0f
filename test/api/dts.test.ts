// The emitted declarations (dist/**/*.d.ts) are complete: a small consumer of the public API, the
// runtime and every plugin entry compiles with tsc --strict against them, the way a user's
// project resolves `witbind` (through the package's `exports`); no `any` in the declarations the
// root and the plugin entries reach; every type named in the root API's declarations is exported
// from the root too, so users can name what they receive.
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDist, root } from '../support/dist.js';

const consumer = `
import {
  formatDiagnostics, generate, generateBindings, generateComponent, generateWorld, loadWitPath, parseWit,
  resolveWit, resolveWitPath, selectWorld, toDiagnostics, WitError,
  type Diagnostic, type Files, type GenerateOptions, type ProgressEvent, type Resolve, type Result,
  type ResolvedWit, type WitAst, type World, type WorldId,
} from 'witbind';
import { ComponentError, Trap, fetchWasm, type CompiledComponent } from 'witbind/runtime';
import vite from 'witbind/vite';
import rollup from 'witbind/rollup';
import rolldown from 'witbind/rolldown';
import esbuild from 'witbind/esbuild';
import webpack, { type WitbindPluginOptions } from 'witbind/webpack';

const progress: ProgressEvent[] = [];
const options: GenerateOptions = { world: 'machine', encoding: 'utf16', js: true, onProgress: (e) => progress.push(e) };
const parsed = parseWit('package a:b;', 'a.wit');
const tree: WitAst.File | null = parsed.ast;
const resolved: Result<ResolvedWit> = await resolveWit('package a:b;\\nworld w {}');
if (resolved.ok) {
  const r: Resolve = resolved.resolve;
  const id: WorldId = selectWorld(r, resolved.main);
  const world: World = r.worlds[id]!;
  const files: Files = await generateWorld(r, id, options);
  console.log(world.name, files.size, tree?.items.length);
}
const generated = await generateBindings({ path: 'wit/machine.wit' }, options);
const diagnostics: readonly Diagnostic[] = generated.diagnostics;
const where: string = diagnostics.map((d) => \`\${d.file ?? '?'}:\${d.line ?? 0}:\${d.column ?? 0} \${d.kind} \${d.rendered}\`).join();
console.log(where, formatDiagnostics(diagnostics, { color: false }));
if (generated.ok) for (const [name, text] of generated.files) console.log(name, text.length);
await resolveWitPath('wit').then((r) => r.ok && r.packages.length);
await generate('wit/machine.wit').then((f: Map<string, string>) => f.size);
await generateComponent(new Uint8Array(), { name: 'guest' });
await loadWitPath('wit').then(({ resolve: r }) => r.interfaces.length);
try { throw new WitError([], (null as unknown as WitError).sourceMap); } catch (e) { toDiagnostics(e)?.[0]?.message; }
const bytes: Response | Uint8Array = await fetchWasm(new URL('file:///x.wasm'));
const compiled: CompiledComponent | null = null;
console.log(bytes, compiled, new ComponentError('x') instanceof Error, Trap.name);

const pluginOptions: WitbindPluginOptions = { world: 'machine', encoding: 'utf8', dts: false };
const plugins: [import('vite').Plugin, import('rollup').Plugin, import('rolldown').Plugin, import('esbuild').Plugin, import('webpack').WebpackPluginInstance] =
  [vite(pluginOptions), rollup(), rolldown(), esbuild(pluginOptions), webpack()];
console.log(plugins.length);
`;

/** A temporary project with `witbind` installed as a link to this package. */
function project(files: Record<string, string>, compilerOptions: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'witbind-dts-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'witbind'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2022', lib: ['es2023', 'dom'], types: [], ...compilerOptions },
      include: ['*.ts'],
    }),
  );
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function typecheck(dir: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(dir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const program = ts.createProgram(config.fileNames, config.options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : '';
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** The .d.ts files of dist/ that `entry` reaches through relative imports. */
function reachable(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) visit(resolve(dirname(file), m[1]!.replace(/\.js$/, '.d.ts')));
  };
  visit(entry);
  return [...seen];
}

beforeAll(() => ensureDist(), 300_000);

describe('dist/*.d.ts', () => {
  it('a consumer of the API, the runtime and every plugin compiles with --strict (module nodenext)', () => {
    const dir = project({ 'consumer.ts': consumer }, { module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: true });
    expect(typecheck(dir)).toEqual([]);
  });

  it('the root API and the runtime check without skipLibCheck (their declarations are complete and valid)', () => {
    const rootOnly = consumer.slice(0, consumer.indexOf("import vite from 'witbind/vite';")).replace(/^const pluginOptions[\s\S]*$/m, '');
    const body = consumer.slice(consumer.indexOf('const progress'), consumer.indexOf('const pluginOptions'));
    const dir = project({ 'consumer.ts': rootOnly + body }, { module: 'esnext', moduleResolution: 'bundler', skipLibCheck: false });
    expect(typecheck(dir)).toEqual([]);
  });

  it('no `any` in the declarations the root and the plugin entries reach', () => {
    const entries = ['index.d.ts', ...['vite', 'rollup', 'rolldown', 'esbuild', 'webpack'].map((b) => `plugins/${b}.d.ts`)];
    const offenders: string[] = [];
    for (const file of new Set(entries.flatMap((e) => reachable(join(root, 'dist', e))))) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node) => {
        if (node.kind === ts.SyntaxKind.AnyKeyword) {
          offenders.push(`${file.slice(root.length)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(offenders).toEqual([]);
  });

  it('every type the root API names is exported from the root', () => {
    const index = join(root, 'dist', 'index.d.ts');
    const program = ts.createProgram([index], { strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true });
    const checker = program.getTypeChecker();
    const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(index)!)!;
    const exported = new Set(checker.getExportsOfModule(moduleSymbol).map((s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s)));
    const dist = join(root, 'dist');
    const missing = new Set<string>();
    const done = new Set<ts.Symbol>();
    const check = (symbol: ts.Symbol) => {
      if (done.has(symbol)) return;
      done.add(symbol);
      for (const decl of symbol.declarations ?? []) {
        const visit = (node: ts.Node) => {
          if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node)) {
            const name = ts.isTypeReferenceNode(node) ? node.typeName : node.expression;
            let target = checker.getSymbolAtLocation(name);
            if (target && target.flags & ts.SymbolFlags.Alias) target = checker.getAliasedSymbol(target);
            const file = target?.declarations?.[0]?.getSourceFile().fileName;
            const parent = (target as { parent?: ts.Symbol } | undefined)?.parent;
            const inNamespace = parent !== undefined && (exported.has(parent) || !!(parent.flags & ts.SymbolFlags.ValueModule && !parent.name.startsWith('"')));
            if (target && file?.startsWith(dist) && !(target.flags & ts.SymbolFlags.TypeParameter) && !exported.has(target) && !inNamespace) {
              missing.add(`${target.name} (${file.slice(dist.length + 1)}), named by ${symbol.name}`);
            } else if (target && exported.has(target)) check(target);
          }
          ts.forEachChild(node, visit);
        };
        visit(decl);
      }
    };
    for (const s of exported) check(s);
    expect([...missing].sort()).toEqual([]);
  });
});
