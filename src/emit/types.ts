/**
 * TypeScript types of WIT types (js-values.md), and the per-type facts the function bindgen needs
 * (field names, case names, enum tables). Named types are declared once, in a type-only namespace
 * per interface (or the world); everything else is written inline.
 */
import { assertNever } from '../util.js';
import {
  dealias,
  dealiasType,
  type Docs,
  type InterfaceId,
  type Resolve,
  type Type,
  type TypeDef,
  type TypeId,
} from '../wit/model.js';
import { lowerCamel, quote, typeName } from './names.js';

/**
 * `list<T, N>` is spelled as a tuple `[T, T, …]` up to 32 elements (and 4096 characters, so that
 * nested fixed lists do not multiply); beyond, `T[] & { length: N }`.
 */
const MAX_TUPLE_SPELLED = 32;
const MAX_TUPLE_CHARS = 4096;

/** A type reference as an array's element or in an intersection: unions and intersections in parentheses. */
function parenthesize(s: string): string {
  return /[|&]/.test(s) && !s.startsWith('{') ? `(${s})` : /^\{.*\|/.test(s) ? `(${s})` : s;
}

const TYPED_ARRAYS: Record<string, string> = {
  u8: 'Uint8Array',
  s8: 'Int8Array',
  u16: 'Uint16Array',
  s16: 'Int16Array',
  u32: 'Uint32Array',
  s32: 'Int32Array',
  u64: 'BigUint64Array',
  s64: 'BigInt64Array',
  f32: 'Float32Array',
  f64: 'Float64Array',
};

/** A module-level constant the emitter asks for (enum tables). */
export interface Constant {
  readonly name: string;
  readonly code: string;
}

/** Renders `/** … *\/` from WIT docs, or nothing. */
export function jsDoc(docs: Docs, extra: readonly string[] = []): string {
  const lines = [...(docs.contents === null ? [] : docs.contents.split('\n')), ...extra];
  if (lines.length === 0) return '';
  const body = lines.map((l) => ` * ${l.replace(/\*\//g, '*\\/')}`.trimEnd()).join('\n');
  return `/**\n${body}\n */\n`;
}

export class TypeEmitter {
  readonly resolve: Resolve;
  /** Namespace name of each interface (and `world` for world-level types). */
  readonly #namespaces = new Map<string, string>();
  readonly #constants = new Map<string, Constant>();

  constructor(resolve: Resolve, namespaces: ReadonlyMap<string, string>) {
    this.resolve = resolve;
    for (const [k, v] of namespaces) this.#namespaces.set(k, v);
  }

  /** Constants requested so far (enum tables), in request order. */
  get constants(): readonly Constant[] {
    return [...this.#constants.values()];
  }

  #def(id: TypeId): TypeDef {
    return this.resolve.types[id]!;
  }

  /** The namespace holding a named type, or null for world-level/anonymous types. */
  namespaceOf(id: TypeId): string | null {
    const owner = this.#def(id).owner;
    if (owner.kind === 'interface') return this.#namespaces.get(`i${owner.id}`) ?? null;
    if (owner.kind === 'world') return this.#namespaces.get(`w${owner.id}`) ?? null;
    return null;
  }

  /** Registers the namespace name of an interface. */
  setInterfaceNamespace(id: InterfaceId, name: string): void {
    this.#namespaces.set(`i${id}`, name);
  }

  /** The qualified TS name of a named type: `Ns.Name`. */
  qualifiedName(id: TypeId): string {
    const def = this.#def(id);
    const ns = this.namespaceOf(id);
    const n = typeName(def.name!);
    return ns === null ? n : `${ns}.${n}`;
  }

  /** A TS type expression for a WIT type. */
  typeRef(t: Type): string {
    if (typeof t === 'string') {
      switch (t) {
        case 'bool':
          return 'boolean';
        case 'u8':
        case 's8':
        case 'u16':
        case 's16':
        case 'u32':
        case 's32':
        case 'f32':
        case 'f64':
          return 'number';
        case 'u64':
        case 's64':
          return 'bigint';
        case 'char':
        case 'string':
          return 'string';
        case 'error-context':
          return 'unknown';
        default:
          return assertNever(t);
      }
    }
    const def = this.#def(t);
    if (def.name !== null && def.kind.tag !== 'resource') return this.qualifiedName(t);
    return this.structural(t);
  }

  /** The structure of a type definition (what a named declaration aliases). */
  structural(id: TypeId): string {
    const kind = this.#def(id).kind;
    switch (kind.tag) {
      case 'type':
        return this.typeRef(kind.type);
      case 'record':
        return `{ ${kind.fields.map((f) => `${lowerCamel(f.name)}: ${this.typeRef(f.type)}`).join('; ')} }`;
      case 'tuple':
        return `[${kind.types.map((t) => this.typeRef(t)).join(', ')}]`;
      case 'list': {
        const el = dealiasType(this.resolve, kind.type);
        if (typeof el === 'string' && TYPED_ARRAYS[el]) return TYPED_ARRAYS[el]!;
        return `${this.#paren(kind.type)}[]`;
      }
      case 'fixed-length-list': {
        // js-values.md: a tuple of N `T`s, spelled out while short; longer, an array whose length
        // is the literal N (`T[] & { length: N }`: still not assignable from an array of another
        // length's type, and the validator checks the length at runtime).
        const el = this.typeRef(kind.type);
        if (kind.size <= MAX_TUPLE_SPELLED && kind.size * (el.length + 2) <= MAX_TUPLE_CHARS) {
          return `[${Array.from({ length: kind.size }, () => el).join(', ')}]`;
        }
        return `${parenthesize(el)}[] & { length: ${kind.size} }`; // not #paren: once per level, not twice
      }
      case 'map':
        return `Map<${this.typeRef(kind.key)}, ${this.typeRef(kind.value)}>`;
      case 'option':
        if (this.optionIsTagged(id)) return `{ tag: 'none' } | { tag: 'some'; val: ${this.typeRef(kind.type)} }`;
        return `${this.typeRef(kind.type)} | undefined`;
      case 'result': {
        const ok = kind.ok === null ? `{ tag: 'ok' }` : `{ tag: 'ok'; val: ${this.typeRef(kind.ok)} }`;
        const err = kind.err === null ? `{ tag: 'err' }` : `{ tag: 'err'; val: ${this.typeRef(kind.err)} }`;
        return `${ok} | ${err}`;
      }
      case 'variant':
        return kind.cases
          .map((c) => (c.type === null ? `{ tag: ${quote(c.name)} }` : `{ tag: ${quote(c.name)}; val: ${this.typeRef(c.type)} }`))
          .join(' | ');
      case 'enum':
        return kind.cases.map((c) => quote(c.name)).join(' | ');
      case 'flags':
        return `{ ${kind.flags.map((f) => `${lowerCamel(f.name)}?: boolean`).join('; ')} }`;
      case 'handle':
        return this.resourceName(dealias(this.resolve, kind.resource));
      case 'resource':
        return this.resourceName(id);
      case 'future':
      case 'stream':
        return 'never';
      default:
        return assertNever(kind);
    }
  }

  /** The instance type name of a resource (`Ns.Blob`). */
  resourceName(id: TypeId): string {
    return this.qualifiedName(id);
  }

  #paren(t: Type): string {
    return parenthesize(this.typeRef(t));
  }

  /** True when `option<T>`'s `T` can itself be `undefined` (nested options use the tagged form). */
  optionIsTagged(id: TypeId): boolean {
    const kind = this.#def(id).kind;
    if (kind.tag !== 'option') return false;
    const inner = dealiasType(this.resolve, kind.type);
    return typeof inner === 'number' && this.#def(inner).kind.tag === 'option';
  }

  #cases(id: TypeId): { name: string; payload: boolean }[] {
    const kind = this.#def(dealias(this.resolve, id)).kind;
    switch (kind.tag) {
      case 'variant':
        return kind.cases.map((c) => ({ name: c.name, payload: c.type !== null }));
      case 'enum':
        return kind.cases.map((c) => ({ name: c.name, payload: false }));
      case 'option':
        return [
          { name: 'none', payload: false },
          { name: 'some', payload: true },
        ];
      case 'result':
        return [
          { name: 'ok', payload: kind.ok !== null },
          { name: 'err', payload: kind.err !== null },
        ];
      default:
        throw new Error('internal error: not a variant');
    }
  }

  caseName(id: TypeId, i: number): string {
    return this.#cases(id)[i]!.name;
  }

  caseHasPayload(id: TypeId, i: number): boolean {
    return this.#cases(id)[i]!.payload;
  }

  caseCount(id: TypeId): number {
    return this.#cases(id).length;
  }

  recordFieldNames(id: TypeId): string[] {
    const kind = this.#def(id).kind;
    if (kind.tag !== 'record') throw new Error('internal error: not a record');
    return kind.fields.map((f) => lowerCamel(f.name));
  }

  recordFieldName(id: TypeId, i: number): string {
    return this.recordFieldNames(id)[i]!;
  }

  flagNames(id: TypeId): string[] {
    const kind = this.#def(id).kind;
    if (kind.tag !== 'flags') throw new Error('internal error: not flags');
    return kind.flags.map((f) => lowerCamel(f.name));
  }

  /** A module constant mapping enum case names to discriminants. */
  enumIndexTable(id: TypeId): string {
    const name = `ENUM_INDEX_${this.typeRef(id).replace(/\W/g, '_')}`;
    if (!this.#constants.has(name)) {
      const cases = this.#cases(id);
      const body = cases.map((c, i) => `${quote(c.name)}: ${i}`).join(', ');
      this.#constants.set(name, { name, code: `const ${name}: Record<${this.typeRef(id)}, number> = { ${body} };` });
    }
    return name;
  }

  /** A module constant listing enum case names by discriminant. */
  enumNamesTable(id: TypeId): string {
    const name = `ENUM_NAMES_${this.typeRef(id).replace(/\W/g, '_')}`;
    if (!this.#constants.has(name)) {
      const cases = this.#cases(id);
      this.#constants.set(name, {
        name,
        code: `const ${name}: readonly (${this.typeRef(id)})[] = [${cases.map((c) => quote(c.name)).join(', ')}];`,
      });
    }
    return name;
  }

  /** The declaration of a named type (inside its namespace). */
  declaration(id: TypeId): string {
    const def = this.#def(id);
    const name = typeName(def.name!);
    const doc = jsDoc(def.docs);
    switch (def.kind.tag) {
      case 'record': {
        const fields = def.kind.fields
          .map((f) => `${jsDoc(f.docs)}${lowerCamel(f.name)}: ${this.typeRef(f.type)};`)
          .join('\n');
        return `${doc}export interface ${name} {\n${fields}\n}`;
      }
      case 'flags': {
        const fields = def.kind.flags.map((f) => `${jsDoc(f.docs)}${lowerCamel(f.name)}?: boolean;`).join('\n');
        return `${doc}export interface ${name} {\n${fields}\n}`;
      }
      case 'resource':
        return '';
      default:
        return `${doc}export type ${name} = ${this.structural(id)};`;
    }
  }
}
