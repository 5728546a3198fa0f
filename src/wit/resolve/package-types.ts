/**
 * The second layer of one package's resolution: type definitions and `use`d names in dependency
 * order, type expressions, structural interning of anonymous types, handles, stability inherited
 * by anonymous types, and function signatures.
 */
import type * as ast from '../ast.js';
import type {
  Func,
  FunctionKind,
  InterfaceId,
  Param,
  Stability,
  Type,
  TypeDefKind,
  TypeId,
  TypeOwner,
} from '../model.js';
import { NO_DOCS, UNKNOWN_STABILITY } from '../model.js';
import type { Span } from '../source-map.js';
import { Bail, PackageScope, Poisoned, bail, toDocs, withExternalId, type LookupEntry } from './package-scope.js';
import { toposort, type TopoEdge } from './toposort.js';

/** Resolves the types and functions of the interface or world in scope. */
export class TypeResolver extends PackageScope {
  // -- types -----------------------------------------------------------------------------------

  /** Defines the `use`d names, then the type definitions in dependency order. */
  protected resolveTypes(owner: TypeOwner, fields: readonly (ast.UseItem | ast.TypeDefItem)[]): void {
    for (const f of fields) if (f.kind === 'use') this.resolveUse(owner, f);

    const typeDeps = new Map<string, TopoEdge[]>();
    const typeDefs = new Map<string, ast.TypeDefItem | null>();
    for (const f of fields) {
      if (f.kind === 'use') {
        for (const n of f.names) {
          const name = (n.as ?? n.name).name;
          typeDeps.set(name, []);
          typeDefs.set(name, null);
        }
      } else if (typeDefs.has(f.name.name)) {
        // Reported; the first definition stands.
        this.attemptItem(() => bail(f.name.span, `name \`${f.name.name}\` is defined more than once`));
      } else {
        typeDefs.set(f.name.name, f);
        const deps: TopoEdge[] = [];
        collectItemDeps(f, deps);
        typeDeps.set(f.name.name, deps);
      }
    }
    // A definition that refers to an unknown name is reported here and poisoned below (its
    // dependents are then skipped, not reported); the others are still ordered and resolved.
    const broken = new Set<string>();
    for (const [name, edges] of typeDeps) {
      const unknown = edges.find((e) => !typeDeps.has(e.name));
      if (!unknown) continue;
      this.attemptItem(() => bail(unknown.span, `type \`${unknown.name}\` does not exist`));
      broken.add(name);
      typeDeps.set(
        name,
        edges.filter((e) => typeDeps.has(e.name)),
      );
    }
    // A cycle stops this interface or world: what would follow depends on the order.
    const order = toposort('type', typeDeps);
    if (!Array.isArray(order)) throw new Bail(order);
    for (const name of order) {
      const def = typeDefs.get(name);
      if (!def) continue;
      if (broken.has(name)) {
        this.poison(def.name);
        continue;
      }
      this.attemptItem(
        () => {
          const stability = this.stability(def.gates);
          const kind = this.resolveTypeDefItem(def, stability);
          const id = this.allocType(
            withExternalId(
              { name: def.name.name, kind, owner, docs: toDocs(def.docs), stability, span: def.name.span },
              def.externalId,
            ),
          );
          this.defineName(def.name, { kind: 'type', id, span: def.name.span });
        },
        () => this.poison(def.name),
      );
    }
  }

  /** One `use`: each name is its own item (a failed one is poisoned, the others still defined). */
  protected resolveUse(owner: TypeOwner, u: ast.UseItem): void {
    let from: InterfaceId | null = null;
    let stability: Stability = UNKNOWN_STABILITY;
    const resolved = this.attemptItem(
      () => {
        const { ref, name, span } = this.resolvePath(u.from);
        from = this.expectInterface(ref, name, span);
        stability = this.stability(u.gates);
      },
      () => {
        for (const n of u.names) this.poison(n.as ?? n.name);
      },
    );
    if (!resolved || from === null) return;
    const source = this.interfaceTypes[from]!;
    for (const n of u.names) {
      const local = n.as ?? n.name;
      this.attemptItem(
        () => {
          const entry = source.get(n.name.name);
          if (!entry) bail(n.name.span, `name \`${n.name.name}\` does not exist`);
          if (entry.kind === 'poisoned') throw new Poisoned();
          if (entry.kind === 'item') bail(n.name.span, `cannot import ${entry.what} \`${n.name.name}\``);
          const id = this.allocType({
            name: local.name,
            kind: { tag: 'type', type: entry.id },
            owner,
            docs: NO_DOCS,
            stability,
            span: n.name.span,
          });
          this.defineName(local, { kind: 'type', id, span: local.span });
        },
        () => this.poison(local),
      );
    }
  }

  protected defineName(name: ast.Id, entry: LookupEntry): void {
    if (this.typeLookup.has(name.name)) bail(name.span, `name \`${name.name}\` is defined more than once`);
    this.typeLookup.set(name.name, entry);
  }

  protected resolveTypeDefItem(def: ast.TypeDefItem, stability: Stability): TypeDefKind {
    switch (def.kind) {
      case 'type':
        return this.resolveTypeExprKind(def.type, stability);
      case 'record': {
        checkUnique(def.fields, 'field');
        return {
          tag: 'record',
          fields: def.fields.map((f) => ({
            name: f.name.name,
            type: this.resolveType(f.type, stability),
            docs: toDocs(f.docs),
          })),
        };
      }
      case 'variant': {
        if (def.cases.length === 0) bail(def.span, 'empty variant');
        checkUnique(def.cases, 'case');
        return {
          tag: 'variant',
          cases: def.cases.map((c) => ({
            name: c.name.name,
            type: c.type === null ? null : this.resolveType(c.type, stability),
            docs: toDocs(c.docs),
          })),
        };
      }
      case 'enum':
        if (def.cases.length === 0) bail(def.span, 'empty enum');
        checkUnique(def.cases, 'case');
        return { tag: 'enum', cases: def.cases.map((c) => ({ name: c.name.name, docs: toDocs(c.docs) })) };
      case 'flags':
        checkUnique(def.flags, 'flag');
        return { tag: 'flags', flags: def.flags.map((f) => ({ name: f.name.name, docs: toDocs(f.docs) })) };
      case 'resource': {
        let ctors = 0;
        const names = new Set<string>();
        for (const m of def.members) {
          if (m.kind === 'constructor') {
            if (++ctors > 1) bail(m.span, 'duplicate constructors');
          } else {
            if (names.has(m.name.name)) bail(m.name.span, `duplicate function name \`${m.name.name}\``);
            names.add(m.name.name);
          }
        }
        return { tag: 'resource' };
      }
    }
  }

  /** The structure of a type expression (the kind of a typedef, or of an anonymous type). */
  protected resolveTypeExprKind(ty: ast.TypeExpr, stability: Stability): TypeDefKind {
    switch (ty.kind) {
      case 'primitive':
        return { tag: 'type', type: ty.name };
      case 'named':
        return { tag: 'type', type: this.resolveTypeName(ty.name) };
      case 'list':
        return { tag: 'list', type: this.resolveType(ty.element, stability) };
      case 'fixed-length-list':
        return { tag: 'fixed-length-list', type: this.resolveType(ty.element, stability), size: ty.length };
      case 'map': {
        const key = this.resolveType(ty.key, stability);
        const value = this.resolveType(ty.value, stability);
        if (typeof key !== 'string' || key === 'f32' || key === 'f64' || key === 'error-context') {
          bail(
            ty.span,
            'invalid map key type: map keys must be bool, u8, u16, u32, u64, s8, s16, s32, s64, char, or string',
          );
        }
        return { tag: 'map', key, value };
      }
      case 'tuple':
        return { tag: 'tuple', types: ty.types.map((t) => this.resolveType(t, stability)) };
      case 'option':
        return { tag: 'option', type: this.resolveType(ty.type, stability) };
      case 'result':
        return {
          tag: 'result',
          ok: ty.ok === null ? null : this.resolveType(ty.ok, stability),
          err: ty.err === null ? null : this.resolveType(ty.err, stability),
        };
      case 'future':
        return { tag: 'future', type: ty.type === null ? null : this.resolveType(ty.type, stability) };
      case 'stream':
        return { tag: 'stream', type: ty.type === null ? null : this.resolveType(ty.type, stability) };
      case 'own':
        return { tag: 'handle', handle: 'own', resource: this.validateResource(ty.resource) };
      case 'borrow':
        return { tag: 'handle', handle: 'borrow', resource: this.validateResource(ty.resource) };
    }
  }

  protected resolveTypeName(name: ast.Id): TypeId {
    const entry = this.typeLookup.get(name.name);
    if (!entry) bail(name.span, `name \`${name.name}\` does not exist`);
    if (entry.kind === 'poisoned') throw new Poisoned();
    if (entry.kind === 'item') bail(name.span, `cannot use ${entry.what} \`${name.name}\` as a type`);
    return entry.id;
  }

  protected validateResource(name: ast.Id): TypeId {
    const id = this.resolveTypeName(name);
    let cur = id;
    for (;;) {
      const kind = this.types[cur]!.kind;
      if (kind.tag === 'resource') return id;
      if (kind.tag === 'type' && typeof kind.type === 'number') {
        cur = kind.type;
        continue;
      }
      if (kind.tag === 'unknown') {
        this.requiredResourceTypes.push({ id: cur, span: name.span });
        return id;
      }
      bail(name.span, `type \`${name.name}\` used in a handle must be a resource`);
    }
  }

  /** A type in a type position: primitives and named types as is, others interned. */
  protected resolveType(ty: ast.TypeExpr, stability: Stability): Type {
    const kind = this.resolveTypeExprKind(ty, stability);
    return this.anonType(kind, this.findStability(kind, stability), ty.span);
  }

  /**
   * An anonymous type without explicit stability inherits that of the first gated type it
   * mentions directly (`option<gated>` is gated like `gated`).
   */
  protected findStability(kind: TypeDefKind, stability: Stability): Stability {
    if (stability.kind !== 'unknown') return stability;
    const inType = (t: Type | null): Stability | null => {
      if (t === null || typeof t === 'string') return null;
      const s = this.types[t]!.stability;
      return s.kind === 'unknown' ? null : s;
    };
    let found: Stability | null = null;
    switch (kind.tag) {
      case 'type':
      case 'list':
      case 'fixed-length-list':
      case 'option':
      case 'future':
      case 'stream':
        found = inType(kind.type);
        break;
      case 'handle':
        found = inType(kind.resource);
        break;
      case 'tuple':
        for (const t of kind.types) if ((found = inType(t))) break;
        break;
      case 'map':
        found = inType(kind.key) ?? inType(kind.value);
        break;
      case 'result':
        found = inType(kind.ok) ?? inType(kind.err);
        break;
      case 'resource':
      case 'record':
      case 'variant':
      case 'enum':
      case 'flags':
        break;
    }
    return found ?? UNKNOWN_STABILITY;
  }

  protected anonType(kind: TypeDefKind, stability: Stability, span: Span): Type {
    let key: string;
    switch (kind.tag) {
      case 'type':
        return kind.type;
      case 'handle':
        // An anonymous `own<T>` is the same as a reference to `T`; linking turns it into the
        // package's one `own<T>` handle.
        if (kind.handle === 'own') return kind.resource;
        key = `borrow(${kind.resource})`;
        break;
      case 'list':
        key = `list(${kind.type})`;
        break;
      case 'fixed-length-list':
        key = `fixed-length-list(${kind.type},${kind.size})`;
        break;
      case 'map':
        key = `map(${kind.key},${kind.value})`;
        break;
      case 'option':
        key = `option(${kind.type})`;
        break;
      case 'result':
        key = `result(${kind.ok},${kind.err})`;
        break;
      case 'tuple':
        key = `tuple(${kind.types.join(',')})`;
        break;
      case 'future':
        key = `future(${kind.type})`;
        break;
      case 'stream':
        key = `stream(${kind.type})`;
        break;
      case 'resource':
      case 'record':
      case 'variant':
      case 'enum':
      case 'flags':
        /* c8 ignore next */
        throw new Error(`anonymous ${kind.tag} types do not exist in WIT`);
    }
    const existing = this.anonTypes.get(key);
    if (existing !== undefined) return existing;
    const id = this.allocType({ name: null, kind, owner: { kind: 'none' }, docs: NO_DOCS, stability, span });
    this.anonTypes.set(key, id);
    return id;
  }

  // -- functions -------------------------------------------------------------------------------

  protected resolveResourceFunc(member: ast.ResourceMember, resource: ast.Id): Func {
    return withExternalId(this.resolveResourceFuncOnly(member, resource), member.externalId);
  }

  private resolveResourceFuncOnly(member: ast.ResourceMember, resource: ast.Id): Func {
    const entry = this.typeLookup.get(resource.name);
    // The resource's own definition failed (and was reported).
    if (entry?.kind === 'poisoned') throw new Poisoned();
    /* c8 ignore next */
    if (!entry || entry.kind !== 'type') throw new Error('resource lookup failed');
    const id = entry.id;
    switch (member.kind) {
      case 'method':
        return this.resolveFunction(
          member.docs,
          member.gates,
          `[method]${resource.name}.${member.name.name}`,
          member.func,
          { tag: member.func.async ? 'async-method' : 'method', resource: id },
        );
      case 'static':
        return this.resolveFunction(
          member.docs,
          member.gates,
          `[static]${resource.name}.${member.name.name}`,
          member.func,
          { tag: member.func.async ? 'async-static' : 'static', resource: id },
        );
      case 'constructor':
        return this.resolveFunction(
          member.docs,
          member.gates,
          `[constructor]${resource.name}`,
          { async: false, params: member.params, result: member.result, span: member.span },
          { tag: 'constructor', resource: id },
        );
    }
  }

  protected resolveFunction(
    docs: ast.Docs,
    gates: readonly ast.GateItem[],
    name: string,
    func: ast.FuncType,
    kind: FunctionKind,
  ): Func {
    const stability = this.stability(gates);
    const params: Param[] = [];
    const seen = new Set<string>();
    if (kind.tag === 'method' || kind.tag === 'async-method') {
      const handle: TypeDefKind = { tag: 'handle', handle: 'borrow', resource: kind.resource };
      params.push({
        name: 'self',
        type: this.anonType(handle, this.findStability(handle, UNKNOWN_STABILITY), func.span),
      });
      seen.add('self');
    }
    for (const p of func.params) {
      // Case-insensitively, as the component model compares kebab-case names.
      const lower = p.name.name.toLowerCase();
      if (seen.has(lower)) bail(p.name.span, `param \`${p.name.name}\` is defined more than once`);
      seen.add(lower);
      params.push({ name: p.name.name, type: this.resolveType(p.type, UNKNOWN_STABILITY) });
    }
    let result: Type | null;
    if (kind.tag === 'constructor') {
      result = func.result === null ? kind.resource : this.resolveConstructorResult(kind.resource, func.result);
    } else {
      result = func.result === null ? null : this.resolveType(func.result, UNKNOWN_STABILITY);
    }
    return { name, kind, params, result, docs: toDocs(docs), stability, span: func.span };
  }

  protected resolveConstructorResult(resource: TypeId, ty: ast.TypeExpr): Type {
    const result = this.resolveType(ty, UNKNOWN_STABILITY);
    const def = typeof result === 'number' ? this.types[result] : undefined;
    if (!def || def.kind.tag !== 'result') {
      bail(ty.span, 'if a constructor return type is declared it must be a `result`');
    }
    if (def.kind.ok !== resource) {
      const okSpan = ty.kind === 'result' && ty.ok !== null ? ty.ok.span : ty.span;
      bail(okSpan, 'the `ok` type must be the resource being constructed');
    }
    return result;
  }
}

/**
 * Field, case and flag names must be unique, and (kebab-case names being case-insensitive in the
 * component model) must not differ only in case.
 */
function checkUnique(items: readonly { readonly name: ast.Id }[], what: string): void {
  const seen = new Map<string, string>();
  for (const item of items) {
    const name = item.name.name;
    const prev = seen.get(name.toLowerCase());
    if (prev === name) bail(item.name.span, `duplicate ${what} \`${name}\``);
    if (prev !== undefined) bail(item.name.span, `${what} \`${name}\` conflicts with previous ${what} \`${prev}\``);
    seen.set(name.toLowerCase(), name);
  }
}

/** Names a type definition refers to, for ordering the definitions of one interface or world. */
function collectItemDeps(def: ast.TypeDefItem, deps: TopoEdge[]): void {
  switch (def.kind) {
    case 'type':
      collectDeps(def.type, deps);
      break;
    case 'record':
      for (const f of def.fields) collectDeps(f.type, deps);
      break;
    case 'variant':
      for (const c of def.cases) if (c.type) collectDeps(c.type, deps);
      break;
    case 'enum':
    case 'flags':
    case 'resource':
      break;
  }
}

function collectDeps(ty: ast.TypeExpr, deps: TopoEdge[]): void {
  switch (ty.kind) {
    case 'primitive':
      break;
    case 'named':
      deps.push({ name: ty.name.name, span: ty.name.span });
      break;
    case 'own':
    case 'borrow':
      deps.push({ name: ty.resource.name, span: ty.resource.span });
      break;
    case 'list':
    case 'fixed-length-list':
      collectDeps(ty.element, deps);
      break;
    case 'option':
      collectDeps(ty.type, deps);
      break;
    case 'map':
      collectDeps(ty.key, deps);
      collectDeps(ty.value, deps);
      break;
    case 'tuple':
      for (const t of ty.types) collectDeps(t, deps);
      break;
    case 'result':
      if (ty.ok) collectDeps(ty.ok, deps);
      if (ty.err) collectDeps(ty.err, deps);
      break;
    case 'future':
    case 'stream':
      if (ty.type) collectDeps(ty.type, deps);
      break;
  }
}

