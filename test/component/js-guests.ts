// JS guests built with componentize-js (cached; see support.ts) and bindings generated from a
// component binary: the WIT witbind recovers from the component (`componentToWit`), WASI imports
// included — the world such a component really has, not the one its source was written for.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { generateWorld } from '../../src/generate.js';
import { componentToWit } from '../../src/host/component/to-wit.js';
import { componentizeGuest, componentizeMachine, root } from './support.js';

/**
 * Generates the bindings of a component's own world (runtime imported from source; `encoding`
 * utf8 unless given) and imports them.
 */
export async function componentBindings(
  bytes: Uint8Array,
  name: string,
  encoding?: 'utf8' | 'utf16' | 'latin1+utf16',
): Promise<any> {
  const { resolve, world } = componentToWit(bytes);
  const files = await generateWorld(resolve, world, {
    runtime: join(root, 'src/runtime/index.ts'),
    ...(encoding ? { encoding } : {}),
  });
  const [file, text] = [...files.entries()].find(([n]) => n.endsWith('.ts'))!;
  const out = join(root, '.cache/test-gen', name, file);
  await mkdir(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, out);
  return import(out);
}

/** A componentize-js build that must succeed here (componentize-js is a dev dependency). */
async function built(p: Promise<Uint8Array | string>): Promise<Uint8Array> {
  const r = await p;
  if (typeof r === 'string') throw new Error(`componentize-js could not build the guest: ${r}`);
  return r;
}

/** The `xyz:machine` world in JS (test/component/fixtures/machine.js). */
export function jsMachine(): Promise<Uint8Array> {
  return built(componentizeMachine());
}

/** The resources-and-WASI JS guest (test/component/fixtures/js-resources.{wit,js}). */
export function jsResources(): Promise<Uint8Array> {
  const fixtures = join(root, 'test/component/fixtures');
  return built(
    componentizeGuest('js-resources', join(fixtures, 'js-resources.js'), join(fixtures, 'js-resources.wit'), 'js-resources'),
  );
}
