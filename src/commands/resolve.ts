/**
 * `witbind resolve`: load and resolve WIT, then print a short summary or the reference JSON.
 */
import type { Command } from 'commander';
import { loadWitPath, resolveToJson, selectWorld, type LoadOptions } from '../wit/load.js';
import type { PackageId, Resolve, WorldId, WorldItem } from '../wit/model.js';
import { formatPackageName, nameWorldKey } from '../wit/model.js';
import { reportError } from './report.js';

interface ResolveFlags {
  world?: string;
  features?: string;
  allFeatures?: boolean;
  json?: boolean;
}

export function registerResolve(program: Command): void {
  program
    .command('resolve')
    .description('resolve WIT and print its packages and worlds (or the resolved model as JSON)')
    .argument('<wit-path>', 'a .wit file or a package directory (with deps/)')
    .option('-w, --world <name>', 'only this world of the main package (or ns:pkg/world@version)')
    .option('--features <list>', 'comma-separated @unstable features to enable')
    .option('--all-features', 'enable every @unstable feature')
    .option('--json', 'print the resolved model as JSON (the shape wasm-tools prints)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ witbind resolve wit/machine.wit\n  $ witbind resolve wit/ --world machine\n  $ witbind resolve wit/ --json > model.json\n',
    )
    .action(async (witPath: string, flags: ResolveFlags) => {
      try {
        const opts: LoadOptions = {
          ...(flags.features !== undefined
            ? { features: flags.features.split(',').map((f) => f.trim()).filter(Boolean) }
            : {}),
          ...(flags.allFeatures ? { allFeatures: true } : {}),
        };
        const { resolve, packages } = await loadWitPath(witPath, opts);
        const main = packages[packages.length - 1]!;
        const world = flags.world === undefined ? undefined : selectWorld(resolve, main, flags.world);
        const text = flags.json
          ? JSON.stringify(resolveToJson(resolve), null, 2)
          : summarizeResolve(resolve, packages, world);
        process.stdout.write(`${text}\n`);
      } catch (e) {
        process.exitCode = reportError(e);
      }
    });
}

/**
 * A short human-readable summary: each package with its interfaces and worlds, and for each world
 * its imports and exports. With `world`, only that world.
 */
export function summarizeResolve(resolve: Resolve, packages: readonly PackageId[], world?: WorldId): string {
  if (world !== undefined) return summarizeWorld(resolve, world, '').join('\n');
  const lines: string[] = [];
  for (const id of packages) {
    const pkg = resolve.packages[id]!;
    lines.push(`package ${formatPackageName(pkg.name)}`);
    for (const [name, iface] of pkg.interfaces) {
      const i = resolve.interfaces[iface]!;
      lines.push(`  interface ${name} (${plural(i.types.size, 'type')}, ${plural(i.functions.size, 'function')})`);
    }
    for (const w of pkg.worlds.values()) lines.push(...summarizeWorld(resolve, w, '  '));
  }
  return lines.join('\n');
}

function summarizeWorld(resolve: Resolve, id: WorldId, indent: string): string[] {
  const world = resolve.worlds[id]!;
  const lines = [`${indent}world ${world.name}`];
  const describe = (key: string, item: WorldItem): string => {
    switch (item.kind) {
      case 'interface':
        return resolve.interfaces[item.id]!.name === null ? `${key}: interface { … }` : `${nameWorldKey(resolve, key)}`;
      case 'function':
        return `${key}: func`;
      case 'type':
        return `${key}: type`;
    }
  };
  for (const [key, item] of world.imports) lines.push(`${indent}  import ${describe(key, item)}`);
  for (const [key, item] of world.exports) lines.push(`${indent}  export ${describe(key, item)}`);
  return lines;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
