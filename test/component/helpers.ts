// Assertions shared by the component tests.
import { expect } from 'vitest';
import { decodeComponent } from '../../src/host/component/decode.js';
import type { Component } from '../../src/host/component/model.js';
import { componentToWit } from '../../src/host/component/to-wit.js';
import { canonicalWit, watItems, watNestedComponents } from './canonical.js';
import { componentWit, oracleWit, printWat, renamedComponent, renameInterface } from './support.js';

/** `(sort, index)` introduced by each definition, in definition order (what `print` annotates). */
export function definitionIndices(c: Component): { sort: string; index: number }[] {
  const byDef = new Map<number, { sort: string; index: number }[]>();
  for (const [sort, entries] of Object.entries(c.spaces)) {
    entries.forEach((e, index) => {
      const list = byDef.get(e.definition) ?? [];
      list.push({ sort, index });
      byDef.set(e.definition, list);
    });
  }
  const out: { sort: string; index: number }[] = [];
  c.definitions.forEach((d, i) => {
    if (d.kind === 'start' || d.kind === 'value') return;
    out.push(...(byDef.get(i) ?? []));
  });
  return out;
}

/**
 * Our index spaces agree with the indices wasm-tools' printer gives every item, in the
 * component and (recursively) in every nested component.
 */
export async function expectIndicesMatchPrinter(bytes: Uint8Array): Promise<Component> {
  const c = decodeComponent(bytes);
  const check = (c: Component, wat: string): void => {
    expect(definitionIndices(c)).toEqual(watItems(wat));
    const nested = c.definitions.flatMap((d) => (d.kind === 'component' ? [d.component] : []));
    const blocks = watNestedComponents(wat);
    expect(nested.length).toBe(blocks.length);
    nested.forEach((n, i) => check(n, blocks[i]!));
  };
  check(c, await printWat(bytes));
  return c;
}

/**
 * The WIT witbind recovers equals wasm-tools' (`componentWit`, read back by witbind's front
 * end), compared with `canonicalWit`. wasm-tools prints only the root package, so the
 * comparison runs on a copy with interfaces renamed into it; the original is then checked
 * against that copy's oracle through the same renaming, plus its packages and the world's
 * import/export names against wasm-tools' text for the original.
 */
export async function expectWitMatchesOracle(bytes: Uint8Array): Promise<void> {
  const renamed = await renamedComponent(bytes);
  const oracle = await oracleWit(renamed);
  const ours = componentToWit(renamed);
  const expected = canonicalWit(oracle.resolve, oracle.world);
  expect(canonicalWit(ours.resolve, ours.world)).toEqual(expected);

  // The original component: same WIT modulo the renaming.
  const original = componentToWit(bytes);
  expect(canonicalWit(original.resolve, original.world, renameInterface)).toEqual(expected);

  // Its world's items by name, in order, as wasm-tools prints them.
  const text = await componentWit(bytes);
  const printed = worldItemNames(text);
  const w = original.resolve.worlds[original.world]!;
  const names = (m: ReadonlyMap<string, import('../../src/wit/model.js').WorldItem>): string[] =>
    [...m].flatMap(([key, item]) => {
      // Types are printed as `use`/type definitions, resource functions inside their resource.
      if (item.kind === 'type' || (item.kind === 'function' && key.startsWith('['))) return [];
      if (item.kind !== 'interface') return [key];
      const i = original.resolve.interfaces[item.id]!;
      if (i.name === null) return [key];
      const p = original.resolve.packages[i.package!]!.name;
      return [`${p.namespace}:${p.name}/${i.name}${p.version === null ? '' : `@${p.version}`}`];
    });
  expect({ imports: names(w.imports), exports: names(w.exports) }).toEqual(printed);
  // Every package is named after the interfaces in it.
  for (const p of original.resolve.packages) {
    for (const [name, id] of p.interfaces) {
      expect(original.resolve.interfaces[id]!.name).toBe(name);
      expect(original.resolve.interfaces[id]!.package).toBe(original.resolve.packages.indexOf(p));
    }
  }
}

/** Interface and function import/export names of the `root` world in printed WIT, in order. */
function worldItemNames(text: string): { imports: string[]; exports: string[] } {
  const body = /world root \{\n([\s\S]*?)\n\}/.exec(text)?.[1] ?? '';
  const out = { imports: [] as string[], exports: [] as string[] };
  for (const line of body.split('\n')) {
    const m = /^ {2}(import|export) (%?[^:;\s]+(?::[^;\s]*)?)(;|:)/.exec(line);
    if (!m) continue;
    const name = m[2]!;
    (m[1] === 'import' ? out.imports : out.exports).push(name.replace(/^%/, ''));
  }
  return out;
}
