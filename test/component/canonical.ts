// Comparison helpers for the component tests.
//
// `canonicalWit` turns one world of a Resolve into an id-free structure, so that the WIT witbind
// recovers from a component can be compared with wasm-tools' (read back from its WIT text by
// witbind's front end). The normalization, and why:
// - type references by name (`<interface>#<type>`), anonymous types inlined: arena ids and the
//   number of anonymous `TypeDef`s differ between a decoder and a parser (wasm-tools does not
//   merge identical `list<u8>`s from different instance types; the WIT parser interns them);
// - an alias of an anonymous type is the anonymous type (the same WIT text);
// - items compared as maps, so not in order: the WIT printer groups items (`use`s first,
//   resources with their methods), so order within an interface or world does not survive the
//   text; record fields, cases, flags, params and tuple elements keep their order;
// - interface names can go through `rename` (see `renameInterface` in support.ts).
import type { Resolve, Type, TypeDef, WorldId, WorldItem } from '../../src/wit/model.js';

type Json = null | string | number | boolean | Json[] | { [k: string]: Json };

export function canonicalWit(
  resolve: Resolve,
  world: WorldId,
  rename: (name: string) => string = (n) => n,
): Json {
  const w = resolve.worlds[world]!;
  const anonKey = new Map<number, string>();
  for (const [dir, items] of [
    ['import', w.imports],
    ['export', w.exports],
  ] as const) {
    for (const [key, item] of items)
      if (item.kind === 'interface') anonKey.set(item.id, `${dir} ${key}`);
  }
  const ifaceName = (id: number): string => {
    const i = resolve.interfaces[id]!;
    if (i.name === null || i.package === null) return `<anonymous ${anonKey.get(id) ?? id}>`;
    const p = resolve.packages[i.package]!.name;
    return rename(`${p.namespace}:${p.name}/${i.name}${p.version === null ? '' : `@${p.version}`}`);
  };
  const ref = (def: TypeDef): string => {
    const owner = def.owner.kind === 'interface' ? ifaceName(def.owner.id) : def.owner.kind;
    return `${owner}#${def.name}`;
  };
  const ty = (t: Type | null): Json => {
    if (t === null) return null;
    if (typeof t === 'string') return t;
    const def = resolve.types[t]!;
    if (def.name !== null) return { ref: ref(def) };
    return kind(def);
  };
  const kind = (def: TypeDef): Json => {
    const k = def.kind;
    switch (k.tag) {
      case 'resource':
        return 'resource';
      case 'record':
        return { record: k.fields.map((f) => [f.name, ty(f.type)]) };
      case 'variant':
        return { variant: k.cases.map((c) => [c.name, ty(c.type)]) };
      case 'enum':
        return { enum: k.cases.map((c) => c.name) };
      case 'flags':
        return { flags: k.flags.map((f) => f.name) };
      case 'tuple':
        return { tuple: k.types.map(ty) };
      case 'option':
        return { option: ty(k.type) };
      case 'list':
        return { list: ty(k.type) };
      case 'fixed-length-list':
        return { list: ty(k.type), size: k.size };
      case 'map':
        return { map: [ty(k.key), ty(k.value)] };
      case 'result':
        return { result: [ty(k.ok), ty(k.err)] };
      case 'future':
        return { future: ty(k.type) };
      case 'stream':
        return { stream: ty(k.type) };
      case 'handle':
        return { [k.handle]: ty(k.resource) };
      case 'type': {
        if (typeof k.type === 'number' && resolve.types[k.type]!.name === null)
          return kind(resolve.types[k.type]!);
        return { type: ty(k.type) };
      }
    }
  };
  const func = (f: import('../../src/wit/model.js').Func): Json => {
    const fk = f.kind;
    return {
      kind: 'resource' in fk ? [fk.tag, ref(resolve.types[fk.resource]!)] : fk.tag,
      params: f.params.map((p) => [p.name, ty(p.type)]),
      result: ty(f.result),
    };
  };
  const iface = (id: number): Json => {
    const i = resolve.interfaces[id]!;
    return {
      types: Object.fromEntries([...i.types].map(([n, t]) => [n, kind(resolve.types[t]!)])),
      functions: Object.fromEntries([...i.functions].map(([n, f]) => [n, func(f)])),
    };
  };
  const interfaces: Record<string, Json> = {};
  const item = (key: string, it: WorldItem): [string, Json] => {
    switch (it.kind) {
      case 'interface': {
        const name = ifaceName(it.id);
        interfaces[name] = iface(it.id);
        return [resolve.interfaces[it.id]!.name === null ? key : name, { interface: name }];
      }
      case 'function':
        return [key, { function: func(it.func) }];
      case 'type':
        return [key, { type: kind(resolve.types[it.id]!) }];
    }
  };
  const imports = Object.fromEntries([...w.imports].map(([k, it]) => item(k, it)));
  const exports = Object.fromEntries([...w.exports].map(([k, it]) => item(k, it)));
  // Interfaces only reached through `use`.
  for (const def of resolve.types) {
    if (def.owner.kind === 'interface' && !(ifaceName(def.owner.id) in interfaces)) {
      interfaces[ifaceName(def.owner.id)] = iface(def.owner.id);
    }
  }
  return { imports, exports, interfaces };
}

/** The sort and index of each top-level item of `wasm-tools print` output, in order. */
export function watItems(wat: string): { sort: string; index: number }[] {
  const out: { sort: string; index: number }[] = [];
  for (const line of wat.split('\n')) {
    const m =
      /^ {2}\((core module|core instance|core type|core func|type|import|alias|func|instance|component|export|start)\b(.*)$/.exec(
        line,
      );
    if (!m) continue;
    const [, head, rest] = m as unknown as [string, string, string];
    const idx = /\(;(\d+);\)/.exec(rest);
    if (!idx) continue;
    const index = Number(idx[1]);
    const sortOf = (s: string): string => {
      const k =
        /\((core module|core func|core table|core memory|core global|core type|core instance|func|value|type|component|instance)\b/.exec(
          s,
        );
      return k ? k[1]!.replace(' ', '-') : '?';
    };
    switch (head) {
      case 'core module':
      case 'core instance':
      case 'core type':
      case 'core func':
        out.push({ sort: head.replace(' ', '-'), index });
        break;
      case 'type':
      case 'func':
      case 'instance':
      case 'component':
        out.push({ sort: head, index });
        break;
      case 'import':
      case 'alias':
        out.push({ sort: sortOf(rest.replace(/^[^(]*?"(?:[^"\\]|\\.)*"/, '')), index });
        break;
      case 'export': {
        const afterName = rest.replace(/^[^"]*"(?:[^"\\]|\\.)*"/, '');
        out.push({ sort: sortOf(afterName), index });
        break;
      }
    }
  }
  return out;
}

/** The text of each nested component of `wasm-tools print` output (dedented), in order. */
export function watNestedComponents(wat: string): string[] {
  const lines = wat.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^ {2}\(component\b/.test(lines[i]!)) continue;
    const block: string[] = [];
    for (; i < lines.length; i++) {
      block.push(lines[i]!.slice(2));
      if (lines[i] === '  )') break;
    }
    out.push(block.join('\n'));
  }
  return out;
}
