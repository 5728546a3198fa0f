/**
 * `witbind generate`, `witbind check` and `witbind watch`: thin shells over `generate()` and
 * `watchWit()`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { StringEncoding } from '../abi/instructions.js';
import { formatDiagnostics, shouldColor } from '../diagnostics.js';
import { generate, type GenerateOptions } from '../generate.js';
import { watchWit } from '../watch.js';
import { colors, createProgress, reportError } from './report.js';

interface GenerateFlags {
  world?: string;
  out: string;
  features?: string;
  allFeatures?: boolean;
  encoding?: string;
  plans?: boolean;
  runtime?: string;
  quiet?: boolean;
  verbose?: boolean;
  js?: boolean;
}

const ENCODINGS = ['utf8', 'utf16', 'latin1+utf16'];

function toOptions(flags: GenerateFlags): GenerateOptions {
  if (flags.encoding !== undefined && !ENCODINGS.includes(flags.encoding)) {
    throw new UsageError(`unknown string encoding \`${flags.encoding}\` (expected ${ENCODINGS.join(', ')})`);
  }
  return {
    ...(flags.world !== undefined ? { world: flags.world } : {}),
    ...(flags.features !== undefined ? { features: flags.features.split(',').map((f) => f.trim()).filter(Boolean) } : {}),
    ...(flags.allFeatures ? { allFeatures: true } : {}),
    ...(flags.encoding !== undefined ? { encoding: flags.encoding as StringEncoding } : {}),
    ...(flags.plans ? { plans: true } : {}),
    ...(flags.runtime !== undefined ? { runtime: flags.runtime } : {}),
    ...(flags.js ? { js: true } : {}),
  };
}

/** A mistake in the command line. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const PATH_HELP = 'a .wit file, a package directory (its *.wit files and deps/), or a component .wasm';

function addCommon(cmd: Command): Command {
  return cmd
    .argument('<wit-path>', PATH_HELP)
    .option('-w, --world <name>', "world to generate (default: the package's only world)")
    .option('-o, --out <dir>', 'output directory', '.')
    .option('--features <list>', 'comma-separated @unstable features to enable')
    .option('--all-features', 'enable every @unstable feature')
    .option('--encoding <enc>', 'string encoding of the core module: utf8, utf16 or latin1+utf16')
    .option('--plans', 'also write the ABI plans (<world>.plan.txt)')
    .option('--js', 'write <world>.js + <world>.d.ts instead of <world>.ts (needs typescript)')
    .option('--runtime <specifier>', 'module specifier of the runtime', 'witbind/runtime')
    .option('-q, --quiet', 'print nothing but errors')
    .option('-v, --verbose', 'print each step (reading, generating, formatting) as it starts');
}

function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

export function registerGenerate(program: Command): void {
  addCommon(program.command('generate').description('generate TypeScript bindings for a world (or a component) into --out'))
    .addHelpText(
      'after',
      examples([
        'witbind generate wit/machine.wit --out src/generated',
        'witbind generate wit/ --world machine --encoding utf16 --out src/generated',
        'witbind generate guest.component.wasm --out src/generated --js',
      ]),
    )
    .action(async (witPath: string, flags: GenerateFlags) => {
      const progress = createProgress(flags);
      try {
        const files = await generate(witPath, { ...toOptions(flags), onProgress: progress.onProgress });
        progress.done();
        await mkdir(flags.out, { recursive: true });
        const c = colors(process.stdout);
        for (const [name, text] of files) {
          await writeFile(join(flags.out, name), text);
          if (!flags.quiet) process.stdout.write(`${c.green('wrote')} ${join(flags.out, name)}\n`);
        }
      } catch (e) {
        progress.done();
        process.exitCode = reportError(e);
      }
    });

  addCommon(
    program
      .command('check')
      .description('for CI: exit 1 when the files in --out differ from a fresh generation (nothing is written)'),
  )
    .addHelpText(
      'after',
      examples(['witbind check wit/machine.wit --out src/generated', 'witbind check wit/ --out src/generated --quiet   # only errors and stale files']) +
        '\nExit codes: 0 up to date, 1 stale files or WIT errors, 2 internal error.\n',
    )
    .action(async (witPath: string, flags: GenerateFlags) => {
      const progress = createProgress(flags);
      try {
        const files = await generate(witPath, { ...toOptions(flags), onProgress: progress.onProgress });
        progress.done();
        const stale: string[] = [];
        for (const [name, text] of files) {
          const path = join(flags.out, name);
          const old = await readFile(path, 'utf8').catch(() => null);
          if (old === null) stale.push(`missing   ${path}`);
          else if (old !== text) stale.push(`differs   ${path} (${summarize(old, text)})`);
        }
        const c = colors(process.stderr);
        if (stale.length > 0) {
          process.stderr.write(
            `${c.bold(c.red('error'))}: generated files are out of date:\n${stale.map((s) => `  ${s}`).join('\n')}\nrun \`witbind generate\` with the same arguments to update them\n`,
          );
          process.exitCode = 1;
        } else if (!flags.quiet) {
          process.stdout.write(`${colors(process.stdout).green('ok')}: ${files.size} file(s) up to date\n`);
        }
      } catch (e) {
        progress.done();
        process.exitCode = reportError(e);
      }
    });

  addCommon(
    program
      .command('watch')
      .description('generate into --out, then regenerate whenever a WIT file under <wit-path> changes; runs until interrupted'),
  )
    .option('--debounce <ms>', 'quiet period after the last change before regenerating', '100')
    .addHelpText(
      'after',
      examples(['witbind watch wit/ --out src/generated', 'witbind watch wit/machine.wit --out src/generated --js']) +
        '\nErrors (a syntax error while you type) are reported with file:line:col and watching goes on;\nthe next successful generation says so. Only files whose contents changed are rewritten.\n',
    )
    .action(async (witPath: string, flags: GenerateFlags & { debounce: string }) => {
      const debounce = Number(flags.debounce);
      if (!Number.isInteger(debounce) || debounce < 0) {
        process.exitCode = reportError(new UsageError(`--debounce expects a number of milliseconds, got \`${flags.debounce}\``));
        return;
      }
      let options: GenerateOptions;
      try {
        options = toOptions(flags);
      } catch (e) {
        process.exitCode = reportError(e);
        return;
      }
      const out = process.stdout;
      const c = colors(out);
      let failing = false;
      const watcher = watchWit(witPath, {
        ...options,
        out: flags.out,
        debounce,
        onEvent(event) {
          const time = c.dim(`[${new Date().toLocaleTimeString()}]`);
          switch (event.kind) {
            case 'changed':
              if (!flags.quiet) out.write(`${time} changed: ${event.paths.join(', ')}\n`);
              break;
            case 'failed':
              failing = true;
              process.stderr.write(`${formatDiagnostics(event.diagnostics, { color: shouldColor(process.stderr) })}\n`);
              out.write(`${time} ${c.red('failed')}; watching for changes\n`);
              break;
            case 'written':
              if (!flags.quiet || failing) {
                const what = event.files.length === 0 ? 'no changes' : `wrote ${event.files.join(', ')}`;
                out.write(`${time} ${c.green(failing ? 'fixed' : 'ok')}: ${what}; watching for changes\n`);
              }
              failing = false;
              break;
          }
        },
      });
      const stop = () => {
        void watcher.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await watcher.ready;
    });
}

/** A one-line diff summary: lines added/removed and the first differing line. */
function summarize(a: string, b: string): string {
  const al = a.split('\n');
  const bl = b.split('\n');
  let first = 0;
  while (first < al.length && first < bl.length && al[first] === bl[first]) first++;
  return `${al.length} → ${bl.length} lines, first difference at line ${first + 1}`;
}
