/**
 * Validators for host values, generated per type. Every value a host hands to a guest is checked
 * before any guest memory is touched (so a bad value loses nothing).
 *
 * One function serves two modes: without a path it answers `true`/`false` at full speed; with a
 * path it throws a `TypeError`/`RangeError` naming the exact place (`points[3].label: expected
 * string, got number 5`). Call sites run the fast mode and, only on failure, run it again with
 * the argument's name to produce the error, so paths cost nothing on the success path.
 */
import { assertNever } from '../util.js';
import { dealias, dealiasType, type Resolve, type Type, type TypeId } from '../wit/model.js';
import { lowerCamel, quote } from './names.js';
import { FIXED_LIST_UNROLL } from '../abi/limits.js';
import type { TypeEmitter } from './types.js';

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

/** The boolean test of a primitive value held in the simple expression `x`. */
function primTest(t: string, x: string): string {
  switch (t) {
    case 'bool':
      return `typeof ${x} === 'boolean'`;
    case 'u8':
      return `typeof ${x} === 'number' && (${x} & 255) === ${x}`;
    case 's8':
      return `typeof ${x} === 'number' && (${x} << 24) >> 24 === ${x}`;
    case 'u16':
      return `typeof ${x} === 'number' && (${x} & 65535) === ${x}`;
    case 's16':
      return `typeof ${x} === 'number' && (${x} << 16) >> 16 === ${x}`;
    case 'u32':
      return `typeof ${x} === 'number' && ${x} >>> 0 === ${x}`;
    case 's32':
      return `typeof ${x} === 'number' && (${x} | 0) === ${x}`;
    case 'u64':
      return `typeof ${x} === 'bigint' && BigInt.asUintN(64, ${x}) === ${x}`;
    case 's64':
      return `typeof ${x} === 'bigint' && BigInt.asIntN(64, ${x}) === ${x}`;
    case 'f32':
    case 'f64':
      return `typeof ${x} === 'number'`;
    case 'char':
      return `isChar(${x})`;
    case 'string':
      return `isUsvString(${x})`;
    default:
      throw new Error(`internal error: prim ${t}`);
  }
}

/** What validators need to know of a resource type. */
export interface ResourceRef {
  /** The resource type index in the instance's handle table and class list. */
  readonly index: number;
  /** Whether the guest implements it (a generated class) or the host does. */
  readonly guestDefined: boolean;
  /** Its class name, for messages. */
  readonly name: string;
}

/**
 * Generates and names validator functions for the types of one module. Validators of types that
 * hold resource handles take the instance state `st` as a third argument: the classes a handle
 * must be an instance of are per instance.
 */
export class ValidatorEmitter {
  readonly #resolve: Resolve;
  readonly #types: TypeEmitter;
  readonly #resource: (id: TypeId, side: 'import' | 'export') => ResourceRef;
  readonly #fns = new Map<string, string>();
  /**
   * Which side of the world the values being checked cross (the function being emitted): an
   * interface both imported and exported has a resource type per side.
   */
  side: 'import' | 'export' = 'export';
  readonly #byBody = new Map<string, string>();
  readonly #needsState = new Map<TypeId, boolean>();
  readonly #code: string[] = [];
  /** Runtime helpers the validators use. */
  readonly helpers = new Set<string>(['invalid']);

  constructor(resolve: Resolve, types: TypeEmitter, resource: (id: TypeId, side: 'import' | 'export') => ResourceRef) {
    this.#resolve = resolve;
    this.#types = types;
    this.#resource = resource;
  }

  /** Whether values of `t` hold resource handles (their validator takes `st`). */
  needsState(t: Type): boolean {
    const d = dealiasType(this.#resolve, t);
    if (typeof d === 'string') return false;
    const known = this.#needsState.get(d);
    if (known !== undefined) return known;
    this.#needsState.set(d, false); // types are not recursive; this only guards the walk
    const kind = this.#resolve.types[d]!.kind;
    let r: boolean;
    switch (kind.tag) {
      case 'handle':
        r = true;
        break;
      case 'record':
        r = kind.fields.some((f) => this.needsState(f.type));
        break;
      case 'tuple':
        r = kind.types.some((x) => this.needsState(x));
        break;
      case 'variant':
        r = kind.cases.some((c) => c.type !== null && this.needsState(c.type));
        break;
      case 'option':
      case 'list':
      case 'fixed-length-list':
      case 'type':
        r = this.needsState(kind.type);
        break;
      case 'map':
        r = this.needsState(kind.key) || this.needsState(kind.value);
        break;
      case 'result':
        r = (kind.ok !== null && this.needsState(kind.ok)) || (kind.err !== null && this.needsState(kind.err));
        break;
      default:
        r = false;
    }
    this.#needsState.set(d, r);
    return r;
  }

  /** The generated validator functions so far. */
  get code(): string {
    return this.#code.join('\n\n');
  }

  /**
   * A statement that validates `x` (a simple expression) and throws with `path` on failure.
   */
  checkStatement(t: Type, x: string, path: string): string {
    const d = dealiasType(this.#resolve, t);
    if (typeof d === 'string') {
      this.#noteHelpers(d);
      return `if (!(${primTest(d, x)})) invalid(${quote(path)}, ${quote(d)}, ${x});`;
    }
    // The fast validator (a boolean, no messages: small, so V8 inlines it and what it calls);
    // only when it fails, the one that finds the path and throws.
    const st = this.needsState(d) ? ', st' : '';
    return `if (!${this.#fn(d, true)}(${x}${st})) ${this.#fn(d, false)}(${x}, ${quote(path)}${st});`;
  }

  #noteHelpers(prim: string): void {
    if (prim === 'char') this.helpers.add('isChar');
    if (prim === 'string') this.helpers.add('isUsvString');
  }

  /**
   * `test || invalid(p, what, x)` for a value at path expression `p`; in a fast validator
   * (`fast`) just the test.
   */
  #check(t: Type, x: string, p: string, fast: boolean): string {
    const d = dealiasType(this.#resolve, t);
    const st = this.needsState(d) ? ', st' : '';
    if (typeof d === 'string') {
      this.#noteHelpers(d);
      return fast ? `(${primTest(d, x)})` : `(${primTest(d, x)}) || invalid(${p}, ${quote(d)}, ${x})`;
    }
    return fast ? `${this.#fn(d, true)}(${x}${st})` : `${this.#fn(d, false)}(${x}, ${p}${st})`;
  }

  /** `invalid(p, what, x)`, or in a fast validator `false`. */
  #bad(fast: boolean, p: string, what: string, x: string, helper = 'invalid'): string {
    return fast ? 'false' : `${helper}(${p}, ${what}, ${x})`;
  }

  /**
   * The validator of `id`: `isN(x[, st])` (fast: true or false) or `checkN(x, p[, st])` (throws
   * naming the path `p`; returns false only without one).
   */
  #fn(id: TypeId, fast: boolean): string {
    // A validator holding handles depends on the side (see `side`); equal bodies still merge below.
    const cacheKey = `${this.needsState(id) ? `${id}:${this.side}` : String(id)}${fast ? ':fast' : ''}`;
    const existing = this.#fns.get(cacheKey);
    if (existing) return existing;
    // Named in order of first use, and shared by structurally equal types, so the output does not
    // depend on how the model numbers its types (WIT and a component's type give the same code).
    const body = this.#body(id, fast);
    const st = this.needsState(id);
    const params = fast
      ? st
        ? 'x: any, st: CoreInstance'
        : 'x: any'
      : st
        ? 'x: any, p: string | undefined, st: CoreInstance'
        : 'x: any, p?: string';
    const key = `${params}\n${body}`;
    let name = this.#byBody.get(key);
    if (name === undefined) {
      const prefix = fast ? 'is' : 'check';
      const n = this.#counts.get(prefix) ?? 0;
      this.#counts.set(prefix, n + 1);
      name = `${prefix}${n}`;
      this.#byBody.set(key, name);
      this.#code.push(`function ${name}(${params}): boolean {\n${body}\n}`);
    }
    this.#fns.set(cacheKey, name);
    return name;
  }

  readonly #counts = new Map<string, number>();

  #body(id: TypeId, fast: boolean): string {
    const def = this.#resolve.types[id]!;
    const kind = def.kind;
    const what = def.name === null ? kind.tag : `${kind.tag} \`${def.name}\``;
    const obj = `if (typeof x !== 'object' || x === null) return ${this.#bad(fast, 'p', quote(what), 'x')};`;
    const sub = (suffix: string) => `p && p + ${quote(suffix)}`;
    switch (kind.tag) {
      case 'type':
        return `return ${this.#check(kind.type, 'x', 'p', fast)};`;
      case 'record':
        return [
          obj,
          ...kind.fields.map((f) => {
            const n = lowerCamel(f.name);
            return `if (!(${this.#check(f.type, `x.${n}`, sub(`.${n}`), fast)})) return false;`;
          }),
          'return true;',
        ].join('\n');
      case 'tuple':
      case 'fixed-length-list': {
        if (kind.tag === 'fixed-length-list' && kind.size > FIXED_LIST_UNROLL) {
          // A loop (as for `list<T>`) rather than N checks.
          return [
            `if (!Array.isArray(x) || x.length !== ${kind.size}) return ${this.#bad(fast, 'p', quote(`list of length ${kind.size}`), 'x')};`,
            `for (let i = 0; i < ${kind.size}; i++) {`,
            `const e = x[i];`,
            `if (!(${this.#check(kind.type, 'e', "p && p + '[' + i + ']'", fast)})) return false;`,
            '}',
            'return true;',
          ].join('\n');
        }
        const types = kind.tag === 'tuple' ? kind.types : Array.from({ length: kind.size }, () => kind.type);
        return [
          `if (!Array.isArray(x) || x.length !== ${types.length}) return ${this.#bad(fast, 'p', quote(`${kind.tag === 'tuple' ? 'tuple' : 'list'} of length ${types.length}`), 'x')};`,
          ...types.map((t, i) => `if (!(${this.#check(t, `x[${i}]`, sub(`[${i}]`), fast)})) return false;`),
          'return true;',
        ].join('\n');
      }
      case 'list': {
        const el = dealiasType(this.#resolve, kind.type);
        const typed = typeof el === 'string' ? TYPED_ARRAYS[el] : undefined;
        const lines: string[] = [];
        if (typed) lines.push(`if (x instanceof ${typed}) return true;`);
        lines.push(`if (!Array.isArray(x)) return ${this.#bad(fast, 'p', quote(typed ? `${typed} or array` : 'array'), 'x')};`);
        lines.push(`for (let i = 0; i < x.length; i++) {`);
        lines.push(`const e = x[i];`);
        lines.push(`if (!(${this.#check(kind.type, 'e', "p && p + '[' + i + ']'", fast)})) return false;`);
        lines.push('}');
        lines.push('return true;');
        return lines.join('\n');
      }
      case 'map':
        return [
          `if (!(x instanceof Map)) return ${this.#bad(fast, 'p', "'Map'", 'x')};`,
          'for (const [k, v] of x) {',
          `if (!(${this.#check(kind.key, 'k', "p && p + ' key ' + String(k)", fast)})) return false;`,
          `if (!(${this.#check(kind.value, 'v', "p && p + '.get(' + String(k) + ')'", fast)})) return false;`,
          '}',
          'return true;',
        ].join('\n');
      case 'option':
        if (this.#types.optionIsTagged(id)) {
          return [
            obj,
            `if (x.tag === 'none') return true;`,
            `if (x.tag !== 'some') return ${this.#bad(fast, "p && p + '.tag'", `"'none' or 'some'"`, 'x.tag')};`,
            `return ${this.#check(kind.type, 'x.val', sub('.val'), fast)};`,
          ].join('\n');
        }
        return `return x == null || ${this.#check(kind.type, 'x', 'p', fast)};`;
      case 'result':
        return [
          obj,
          `if (x.tag === 'ok') return ${kind.ok === null ? 'true' : this.#check(kind.ok, 'x.val', sub('.val'), fast)};`,
          `if (x.tag === 'err') return ${kind.err === null ? 'true' : this.#check(kind.err, 'x.val', sub('.val'), fast)};`,
          `return ${this.#bad(fast, "p && p + '.tag'", `"'ok' or 'err'"`, 'x.tag')};`,
        ].join('\n');
      case 'variant':
        return [
          obj,
          'switch (x.tag) {',
          ...kind.cases.map(
            (c) => `case ${quote(c.name)}: return ${c.type === null ? 'true' : this.#check(c.type, 'x.val', sub('.val'), fast)};`,
          ),
          '}',
          `return ${this.#bad(fast, "p && p + '.tag'", quote(kind.cases.map((c) => `'${c.name}'`).join(' | ')), 'x.tag')};`,
        ].join('\n');
      case 'enum':
        // The checking validator asks the fast one rather than repeating the case list.
        if (!fast) {
          return `return ${this.#fn(id, true)}(x) || ${this.#bad(fast, 'p', quote(`enum \`${def.name ?? ''}\` (${kind.cases.map((c) => `'${c.name}'`).join(' | ')})`), 'x')};`;
        }
        return [
          'switch (x) {',
          ...kind.cases.map((c) => `case ${quote(c.name)}:`),
          'return true;',
          '}',
          `return ${this.#bad(fast, 'p', quote(`enum \`${def.name ?? ''}\` (${kind.cases.map((c) => `'${c.name}'`).join(' | ')})`), 'x')};`,
        ].join('\n');
      case 'flags':
        return [obj, 'return true;'].join('\n');
      case 'handle': {
        if (!fast) this.helpers.add('invalidResource');
        const r = this.#resource(dealias(this.#resolve, kind.resource), this.side);
        // An own guest resource must be live and not a borrow; a borrow only live.
        const dead = r.guestDefined ? (kind.handle === 'own' ? ' || x._rep < 0 || x._borrowed' : ' || x._rep < 0') : '';
        return [
          `if (!st.isResource(x, ${r.index})${dead}) return ${this.#bad(fast, 'p', quote(r.name), 'x', 'invalidResource')};`,
          'return true;',
        ].join('\n');
      }
      case 'future':
      case 'stream':
      case 'resource':
        return 'return false;';
      default:
        return assertNever(kind);
    }
  }
}
