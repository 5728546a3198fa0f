/**
 * The resolved model as JSON, in exactly the shape (and key order) of wasm-tools' serialized
 * `Resolve` (see `/work/shared/spec/resolve-json.md` §2). No spans, no includes, no features.
 */
import type {
  Docs,
  Func,
  FunctionKind,
  Interface,
  Package,
  Resolve,
  Stability,
  Type,
  TypeDef,
  TypeDefKind,
  TypeOwner,
  World,
  WorldItem,
} from './model.js';
import { formatPackageName } from './model.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Serializes a {@link Resolve} to the reference JSON object (stringify it with 2-space indent). */
export function resolveToJsonObject(resolve: Resolve): JsonObject {
  return {
    worlds: resolve.worlds.map(worldJson),
    interfaces: resolve.interfaces.map(interfaceJson),
    types: resolve.types.map(typeDefJson),
    packages: resolve.packages.map(packageJson),
  };
}

function withOptional(obj: JsonObject, docs: Docs, stability: Stability): JsonObject {
  if (docs.contents !== null) obj['docs'] = { contents: docs.contents };
  if (stability.kind !== 'unknown') obj['stability'] = stabilityJson(stability);
  return obj;
}

function docsJson(docs: Docs): JsonObject {
  return docs.contents === null ? {} : { docs: { contents: docs.contents } };
}

function stabilityJson(s: Exclude<Stability, { kind: 'unknown' }>): JsonObject {
  switch (s.kind) {
    case 'stable': {
      const inner: JsonObject = { since: s.since };
      if (s.deprecated !== null) inner['deprecated'] = s.deprecated;
      return { stable: inner };
    }
    case 'unstable': {
      const inner: JsonObject = { feature: s.feature };
      if (s.deprecated !== null) inner['deprecated'] = s.deprecated;
      return { unstable: inner };
    }
  }
}

function packageJson(p: Package): JsonObject {
  return {
    name: formatPackageName(p.name),
    ...docsJson(p.docs),
    interfaces: Object.fromEntries(p.interfaces),
    worlds: Object.fromEntries(p.worlds),
  };
}

function interfaceJson(i: Interface): JsonObject {
  const obj: JsonObject = {
    name: i.name,
    types: Object.fromEntries(i.types),
    functions: Object.fromEntries([...i.functions].map(([k, f]) => [k, funcJson(f)])),
  };
  withOptional(obj, i.docs, i.stability);
  obj['package'] = i.package;
  return obj;
}

function worldJson(w: World): JsonObject {
  const items = (m: ReadonlyMap<string, WorldItem>): JsonObject =>
    Object.fromEntries([...m].map(([k, item]) => [k, worldItemJson(item)]));
  return withOptional(
    { name: w.name, imports: items(w.imports), exports: items(w.exports), package: w.package },
    w.docs,
    w.stability,
  );
}

function worldItemJson(item: WorldItem): JsonObject {
  switch (item.kind) {
    case 'interface': {
      const obj: JsonObject = { id: item.id };
      if (item.stability.kind !== 'unknown') obj['stability'] = stabilityJson(item.stability);
      if (item.externalId !== undefined) obj['external_id'] = item.externalId;
      if (item.docs.contents !== null) obj['docs'] = { contents: item.docs.contents };
      return { interface: obj };
    }
    case 'function':
      return { function: funcJson(item.func) };
    case 'type':
      return { type: item.id };
  }
}

function ty(t: Type): Json {
  return t;
}

function optTy(t: Type | null): Json {
  return t === null ? null : t;
}

function funcKindJson(kind: FunctionKind): Json {
  switch (kind.tag) {
    case 'freestanding':
    case 'async-freestanding':
      return kind.tag;
    case 'method':
    case 'async-method':
    case 'static':
    case 'async-static':
    case 'constructor':
      return { [kind.tag]: kind.resource };
  }
}

function funcJson(f: Func): JsonObject {
  const obj: JsonObject = {
    name: f.name,
    kind: funcKindJson(f.kind),
    params: f.params.map((p) => ({ name: p.name, type: ty(p.type) })),
  };
  if (f.result !== null) obj['result'] = ty(f.result);
  return withExternalIdJson(withOptional(obj, f.docs, f.stability), f.externalId);
}

function ownerJson(owner: TypeOwner): Json {
  switch (owner.kind) {
    case 'interface':
      return { interface: owner.id };
    case 'world':
      return { world: owner.id };
    case 'none':
      return null;
  }
}

function kindJson(kind: TypeDefKind): Json {
  switch (kind.tag) {
    case 'resource':
      return 'resource';
    case 'record':
      return {
        record: { fields: kind.fields.map((f) => ({ name: f.name, type: ty(f.type), ...docsJson(f.docs) })) },
      };
    case 'variant':
      return {
        variant: { cases: kind.cases.map((c) => ({ name: c.name, type: optTy(c.type), ...docsJson(c.docs) })) },
      };
    case 'enum':
      return { enum: { cases: kind.cases.map((c) => ({ name: c.name, ...docsJson(c.docs) })) } };
    case 'flags':
      return { flags: { flags: kind.flags.map((f) => ({ name: f.name, ...docsJson(f.docs) })) } };
    case 'tuple':
      return { tuple: { types: kind.types.map(ty) } };
    case 'option':
      return { option: ty(kind.type) };
    case 'list':
      return { list: ty(kind.type) };
    case 'fixed-length-list':
      return { 'fixed-length-list': [ty(kind.type), kind.size] };
    case 'map':
      return { map: [ty(kind.key), ty(kind.value)] };
    case 'result':
      return { result: { ok: optTy(kind.ok), err: optTy(kind.err) } };
    case 'future':
      return { future: optTy(kind.type) };
    case 'stream':
      return { stream: optTy(kind.type) };
    case 'handle':
      return { handle: { [kind.handle]: kind.resource } };
    case 'type':
      return { type: ty(kind.type) };
  }
}

/** `external_id` comes last, after `docs` and `stability` (wit-parser's field order). */
function withExternalIdJson(obj: JsonObject, externalId: string | undefined): JsonObject {
  if (externalId !== undefined) obj['external_id'] = externalId;
  return obj;
}

function typeDefJson(t: TypeDef): JsonObject {
  return withExternalIdJson(
    withOptional({ name: t.name, kind: kindJson(t.kind), owner: ownerJson(t.owner) }, t.docs, t.stability),
    t.externalId,
  );
}
