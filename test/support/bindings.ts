/**
 * Generates bindings for a test world into `.cache/test-gen/` (importing the runtime from source)
 * and imports them, so end-to-end tests exercise exactly what `witbind generate` writes.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, type GenerateOptions } from '../../src/generate.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNTIME = join(ROOT, 'src/runtime/index.ts');

/** Generates `wit` (repo-relative) and imports the module. */
export async function loadBindings<T = any>(wit: string, opts: GenerateOptions & { name: string }): Promise<T> {
  const files = await generate(join(ROOT, wit), { ...opts, runtime: RUNTIME });
  const [file, text] = [...files.entries()].find(([n]) => n.endsWith('.ts'))!;
  const out = join(ROOT, '.cache/test-gen', opts.name, file);
  await mkdir(dirname(out), { recursive: true });
  // Test files run in parallel workers that may generate the same module: write, then rename,
  // so no worker ever imports a half-written file.
  const tmp = `${out}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, out);
  return (await import(out)) as T;
}

/** Bytes of a committed guest. */
export function guest(name: string): Promise<Buffer> {
  return readFile(join(ROOT, 'guests', name, `${name}.wasm`));
}
