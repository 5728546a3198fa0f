/**
 * World elaboration (wasm-tools `Resolve::elaborate_world`): the interfaces that imports and
 * exports depend on become implicit imports, imports are ordered by class, and exports that would
 * need an interface both imported and exported are rejected.
 */
import type { InterfaceId, Resolve, Stability, TypeId, WorldId, WorldItem } from '../model.js';
import { interfaceKey, nameWorldKey } from '../model.js';
import type { Span } from '../source-map.js';
import { fail, sameOwner, type MWorld } from './link-common.js';

/** The interface that a `use`-alias type comes from, if it is owned elsewhere. */
function typeInterfaceDep(r: Resolve, id: TypeId): InterfaceId | null {
  const ty = r.types[id]!;
  if (ty.kind.tag !== 'type' || typeof ty.kind.type !== 'number') return null;
  const other = r.types[ty.kind.type]!;
  if (sameOwner(ty.owner, other.owner)) return null;
  return other.owner.kind === 'interface' ? other.owner.id : null;
}

/** Interfaces that `id` uses types from (may repeat). */
function interfaceDirectDeps(r: Resolve, id: InterfaceId): InterfaceId[] {
  const out: InterfaceId[] = [];
  for (const ty of r.interfaces[id]!.types.values()) {
    const dep = typeInterfaceDep(r, ty);
    if (dep !== null) out.push(dep);
  }
  return out;
}

function importClass(r: Resolve, item: WorldItem): number {
  switch (item.kind) {
    case 'interface':
      return 0;
    case 'type': {
      const ty = r.types[item.id]!;
      if (ty.kind.tag === 'type' && typeof ty.kind.type === 'number') {
        if (!sameOwner(r.types[ty.kind.type]!.owner, ty.owner)) return 1;
      }
      return 2;
    }
    case 'function':
      return item.func.kind.tag === 'freestanding' || item.func.kind.tag === 'async-freestanding' ? 3 : 4;
  }
}

function sortByClass(r: Resolve, items: Map<string, WorldItem>): Map<string, WorldItem> {
  const entries = [...items];
  const keyed = entries.map((e, i) => ({ e, i, c: importClass(r, e[1]) }));
  keyed.sort((a, b) => a.c - b.c || a.i - b.i);
  return new Map(keyed.map((k) => k.e));
}

/**
 * Adds the interfaces that imports and exports depend on as imports (each before the first item
 * that needs it), orders imports by class, and checks that exports do not depend on an interface
 * both through an import and an export.
 */
export function elaborateWorld(r: Resolve, worldId: WorldId, span: Span | null): void {
  const world = r.worlds[worldId] as MWorld;
  const imports = new Map<string, WorldItem>();

  const addImport = (key: string, id: InterfaceId, stability: Stability) => {
    if (imports.has(key)) return;
    for (const dep of interfaceDirectDeps(r, id)) addImport(interfaceKey(dep), dep, stability);
    imports.set(key, { kind: 'interface', id, stability, docs: { contents: null } });
  };

  for (const [key, item] of sortByClass(r, world.imports)) {
    switch (item.kind) {
      case 'interface':
        if (imports.has(key)) break;
        for (const dep of interfaceDirectDeps(r, item.id)) addImport(interfaceKey(dep), dep, item.stability);
        imports.set(key, item);
        break;
      case 'function':
        imports.set(key, item);
        break;
      case 'type': {
        const dep = typeInterfaceDep(r, item.id);
        if (dep !== null) addImport(interfaceKey(dep), dep, r.types[item.id]!.stability);
        imports.set(key, item);
        break;
      }
    }
  }

  const exports = new Map<string, WorldItem>();
  const exportInterfaces = new Map<InterfaceId, { key: string; item: Extract<WorldItem, { kind: 'interface' }> }>();
  for (const [key, item] of world.exports) {
    if (item.kind === 'interface') exportInterfaces.set(item.id, { key, item });
    else if (item.kind === 'function') exports.set(key, item);
  }

  const requiredImports = new Set<InterfaceId>();
  const addExport = (
    id: InterfaceId,
    key: string,
    asExport: boolean,
    stability: Stability,
    original: WorldItem | null,
  ): boolean => {
    if (exports.has(key)) return asExport;
    if (!asExport && requiredImports.has(id)) return true;
    for (const dep of interfaceDirectDeps(r, id)) {
      const depExported = asExport && exportInterfaces.has(dep);
      const depOriginal = depExported ? exportInterfaces.get(dep)!.item : null;
      if (!addExport(dep, interfaceKey(dep), depExported, stability, depOriginal)) return false;
    }
    if (asExport) {
      if (requiredImports.has(id)) return false;
      exports.set(key, original ?? { kind: 'interface', id, stability, docs: { contents: null } });
    } else {
      requiredImports.add(id);
      imports.set(key, { kind: 'interface', id, stability, docs: { contents: null } });
    }
    return true;
  };
  for (const [id, { key, item }] of exportInterfaces) {
    if (!addExport(id, key, true, item.stability, item)) {
      fail(span, `interface \`${nameWorldKey(r, key)}\` transitively depends on an interface in incompatible ways`);
    }
  }

  world.imports = sortByClass(r, imports);
  world.exports = exports;
}
