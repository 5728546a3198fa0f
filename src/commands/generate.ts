/**
 * `witbind generate` and `witbind check`: thin shells over `generate()`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { StringEncoding } from '../abi/instructions.js';
import { generate, type GenerateOptions } from '../generate.js';
import { reportError } from './report.js';

interface GenerateFlags {
  world?: string;
  out: string;
  features?: string;
  allFeatures?: boolean;
  encoding?: string;
  plans?: boolean;
  runtime?: string;
  quiet?: boolean;
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

function addCommon(cmd: Command): Command {
  return cmd
    .option('-w, --world <name>', "world to generate (default: the package's only world)")
    .option('-o, --out <dir>', 'output directory', '.')
    .option('--features <list>', 'comma-separated @unstable features to enable')
    .option('--all-features', 'enable every @unstable feature')
    .option('--encoding <enc>', 'string encoding of the core module: utf8, utf16 or latin1+utf16')
    .option('--plans', 'also write the ABI plans (<world>.plan.txt)')
    .option('--js', 'write <world>.js + <world>.d.ts instead of <world>.ts (needs typescript)')
    .option('--runtime <specifier>', 'module specifier of the runtime', 'witbind/runtime')
    .option('-q, --quiet', 'print nothing on success');
}

export function registerGenerate(program: Command): void {
  addCommon(
    program
      .command('generate')
      .description('generate TypeScript bindings for a world')
      .argument('<wit-path>', 'a .wit file or a package directory (with deps/)'),
  ).action(async (witPath: string, flags: GenerateFlags) => {
    try {
      const files = await generate(witPath, toOptions(flags));
      await mkdir(flags.out, { recursive: true });
      for (const [name, text] of files) {
        await writeFile(join(flags.out, name), text);
        if (!flags.quiet) process.stdout.write(`wrote ${join(flags.out, name)}\n`);
      }
    } catch (e) {
      process.exitCode = reportError(e);
    }
  });

  addCommon(
    program
      .command('check')
      .description('exit non-zero when the files in --out differ from a fresh generation (for CI)')
      .argument('<wit-path>', 'a .wit file or a package directory (with deps/)'),
  ).action(async (witPath: string, flags: GenerateFlags) => {
    try {
      const files = await generate(witPath, toOptions(flags));
      const stale: string[] = [];
      for (const [name, text] of files) {
        const path = join(flags.out, name);
        const old = await readFile(path, 'utf8').catch(() => null);
        if (old === null) stale.push(`missing   ${path}`);
        else if (old !== text) stale.push(`differs   ${path} (${summarize(old, text)})`);
      }
      if (stale.length > 0) {
        process.stderr.write(`generated files are out of date:\n${stale.map((s) => `  ${s}`).join('\n')}\nrun \`witbind generate\` to update them\n`);
        process.exitCode = 1;
      } else if (!flags.quiet) {
        process.stdout.write(`${files.size} file(s) up to date\n`);
      }
    } catch (e) {
      process.exitCode = reportError(e);
    }
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
