/**
 * Random *valid* WIT packages for property tests of the front end (parse → resolve → print).
 *
 * A package is drawn as text directly, with the bookkeeping that keeps it valid: names unique
 * (case-insensitively) in each scope, kebab-case, keywords `%`-escaped; interfaces `use` only
 * interfaces declared before them and worlds include only worlds declared before them (no
 * cycles); type definitions refer only to types defined before them in their interface, though
 * they are *emitted* in a shuffled order (forward references are legal WIT); `borrow<R>` only as a
 * parameter type; `@since` versions not above the package's version; interfaces exported by a world
 * closed under their `use` dependencies (so elaboration cannot conflict). Every feature gate is
 * meant to be resolved with all features enabled.
 *
 * The generator also returns what it declared, so a test can check the resolved model against it.
 */
import fc from 'fast-check';
import { isKeyword } from '../../src/wit/tokens.js';

/** What a generated package declares, for checks against the resolved model. */
export interface GeneratedPackage {
  readonly text: string;
  readonly packageName: string;
  readonly interfaces: readonly string[];
  readonly worlds: readonly string[];
}

type Gen = fc.GeneratorValue;

const WORDS = [
  'apple',
  'pear',
  'fig',
  'kiwi',
  'lime',
  'plum',
  'date',
  'yam',
  'oat',
  'rye',
  'kale',
  'leek',
];
const UPPER_WORDS = ['XML', 'HTTP', 'URL', 'ID'];
const KEYWORD_NAMES = [
  'record',
  'async',
  'type',
  'world',
  'list',
  'string',
  'static',
  'with',
  'from',
  'map',
];
const PRIMITIVES = [
  'bool',
  'u8',
  'u16',
  'u32',
  'u64',
  's8',
  's16',
  's32',
  's64',
  'f32',
  'f64',
  'char',
  'string',
];
const MAP_KEYS = ['bool', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'char', 'string'];
const PACKAGE_VERSION = [1, 2, 3] as const;

/** A type name in scope: a value type, or a resource (usable as a handle). */
interface ScopeType {
  readonly name: string;
  readonly resource: boolean;
}

class Rng {
  constructor(private readonly g: Gen) {}
  int(min: number, max: number): number {
    return this.g(fc.integer, { min, max });
  }
  bool(pTrue = 0.5): boolean {
    return this.g(fc.integer, { min: 0, max: 999 }) < pTrue * 1000;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)]!;
  }
  /** Fisher-Yates with drawn indices (shrinks towards the original order). */
  shuffle<T>(xs: readonly T[]): T[] {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = i - this.int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

/** Unique names for one scope; uniqueness is case-insensitive as in the component model. */
class Names {
  readonly #used = new Set<string>();
  constructor(
    private readonly rng: Rng,
    private readonly shared?: Names,
  ) {}

  fresh(): string {
    const r = this.rng;
    for (let attempt = 0; ; attempt++) {
      let name: string;
      const roll = r.int(0, 9);
      if (roll === 0) name = r.pick(KEYWORD_NAMES);
      else if (roll === 1) name = `${r.pick(WORDS)}-${r.pick(UPPER_WORDS)}`;
      else name = r.bool(0.5) ? r.pick(WORDS) : `${r.pick(WORDS)}-${r.pick(WORDS)}`;
      if (attempt > 3) name = `${name}${attempt}`;
      const key = name.toLowerCase();
      if (this.#used.has(key) || this.shared?.has(key)) continue;
      this.#used.add(key);
      this.shared?.add(key);
      return name;
    }
  }

  has(key: string): boolean {
    return this.#used.has(key);
  }

  /** Claims `name` as is; false when it is taken (here or in the shared scope). */
  take(name: string): boolean {
    const key = name.toLowerCase();
    if (this.#used.has(key) || this.shared?.has(key)) return false;
    this.#used.add(key);
    this.shared?.add(key);
    return true;
  }

  add(key: string): void {
    this.#used.add(key);
  }
}

/** A name as written: keywords must be `%`-escaped, any other name may be. */
function id(rng: Rng, name: string): string {
  return isKeyword(name) || rng.bool(0.1) ? `%${name}` : name;
}

function docs(rng: Rng, indent: string): string {
  if (!rng.bool(0.3)) return '';
  const words = Array.from({ length: rng.int(1, 5) }, () => rng.pick(WORDS)).join(' ');
  switch (rng.int(0, 3)) {
    case 0:
      return `${indent}/// ${words}\n`;
    case 1:
      return `${indent}// ${words}\n${indent}// ${rng.pick(WORDS)}\n`;
    case 2:
      return `${indent}/** ${words} */\n`;
    default:
      return `${indent}/// ${words}\n${indent}///\n${indent}///   ${rng.pick(WORDS)}\n`;
  }
}

function version(rng: Rng): string {
  const [maj, min, pat] = PACKAGE_VERSION;
  const m = rng.int(0, min);
  return `${maj}.${m}.${m === min ? rng.int(0, pat) : rng.int(0, 9)}`;
}

function gates(rng: Rng, indent: string, allowGates: boolean): string {
  if (!allowGates || !rng.bool(0.2)) return '';
  switch (rng.int(0, 2)) {
    case 0:
      return `${indent}@since(version = ${version(rng)})\n`;
    case 1:
      return `${indent}@unstable(feature = ${id(rng, rng.pick(['fancy', 'experimental', 'next-gen']))})\n`;
    default:
      return `${indent}@since(version = 1.0.0)\n${indent}@deprecated(version = ${version(rng)})\n`;
  }
}

/** Type expressions over the types in scope. */
function typeExpr(rng: Rng, scope: readonly ScopeType[], depth: number): string {
  const values = scope.filter((t) => !t.resource);
  const resources = scope.filter((t) => t.resource);
  const leaf = depth <= 0 || rng.bool(0.4);
  if (leaf) {
    const roll = rng.int(0, 9);
    if (roll < 5 || scope.length === 0) return roll === 0 ? 'error-context' : rng.pick(PRIMITIVES);
    if (roll < 8 && values.length > 0) return id(rng, rng.pick(values).name);
    if (resources.length > 0) {
      const r = id(rng, rng.pick(resources).name);
      return rng.bool() ? r : `own<${r}>`;
    }
    return rng.pick(PRIMITIVES);
  }
  const inner = () => typeExpr(rng, scope, depth - 1);
  switch (rng.int(0, 9)) {
    case 0:
      return `list<${inner()}>`;
    case 1:
      return `list<${inner()}, ${rng.int(1, 8)}>`;
    case 2:
      return `option<${inner()}>`;
    case 3:
      return `tuple<${Array.from({ length: rng.int(1, 3) }, inner).join(', ')}>`;
    case 4:
      return `map<${rng.pick(MAP_KEYS)}, ${inner()}>`;
    case 5:
      switch (rng.int(0, 3)) {
        case 0:
          return 'result';
        case 1:
          return `result<${inner()}>`;
        case 2:
          return `result<_, ${inner()}>`;
        default:
          return `result<${inner()}, ${inner()}>`;
      }
    case 6:
      return rng.bool() ? 'future' : `future<${inner()}>`;
    case 7:
      return rng.bool() ? 'stream' : `stream<${inner()}>`;
    default:
      return inner();
  }
}

function params(rng: Rng, scope: readonly ScopeType[], method = false): string {
  const names = new Names(rng);
  // A method's implicit first parameter.
  if (method) names.add('self');
  const resources = scope.filter((t) => t.resource);
  return Array.from({ length: rng.int(0, 3) }, () => {
    const ty =
      resources.length > 0 && rng.bool(0.2)
        ? `borrow<${id(rng, rng.pick(resources).name)}>`
        : typeExpr(rng, scope, 2);
    return `${id(rng, names.fresh())}: ${ty}`;
  }).join(', ');
}

function funcType(rng: Rng, scope: readonly ScopeType[], method = false): string {
  const result = rng.bool(0.6) ? ` -> ${typeExpr(rng, scope, 2)}` : '';
  return `${rng.bool(0.2) ? 'async ' : ''}func(${params(rng, scope, method)})${result}`;
}

/**
 * Type definitions and functions of an interface or world body. `scope` holds the names already
 * visible (from `use`); definitions added here are appended to it. Returns the lines.
 */
function body(
  rng: Rng,
  names: Names,
  scope: ScopeType[],
  indent: string,
  opts: { functions: boolean; allowGates: boolean },
): string[] {
  const defs: string[] = [];
  const count = rng.int(0, 5);
  for (let i = 0; i < count; i++) {
    const name = names.fresh();
    const head = docs(rng, indent) + gates(rng, indent, opts.allowGates);
    const n = id(rng, name);
    const inner = `${indent}  `;
    let text: string;
    let resource = false;
    switch (rng.int(0, 5)) {
      case 0: {
        const fields = new Names(rng);
        const list = Array.from({ length: rng.int(1, 4) }, () => {
          return `${docs(rng, inner)}${inner}${id(rng, fields.fresh())}: ${typeExpr(rng, scope, 2)},`;
        });
        text = `${indent}record ${n} {\n${list.join('\n')}\n${indent}}`;
        break;
      }
      case 1: {
        const cases = new Names(rng);
        const list = Array.from({ length: rng.int(1, 4) }, () => {
          const payload = rng.bool() ? `(${typeExpr(rng, scope, 2)})` : '';
          return `${docs(rng, inner)}${inner}${id(rng, cases.fresh())}${payload},`;
        });
        text = `${indent}variant ${n} {\n${list.join('\n')}\n${indent}}`;
        break;
      }
      case 2: {
        const cases = new Names(rng);
        const list = Array.from({ length: rng.int(1, 4) }, () => id(rng, cases.fresh()));
        text = `${indent}enum ${n} { ${list.join(', ')} }`;
        break;
      }
      case 3: {
        const flags = new Names(rng);
        const list = Array.from({ length: rng.int(1, 5) }, () => id(rng, flags.fresh()));
        text = `${indent}flags ${n} { ${list.join(', ')} }`;
        break;
      }
      case 4: {
        resource = true;
        const self: ScopeType = { name, resource: true };
        const inScope = [...scope, self];
        const members = new Names(rng);
        const lines: string[] = [];
        if (rng.bool(0.5)) {
          const result = rng.bool(0.3) ? ` -> result<${n}, ${typeExpr(rng, scope, 1)}>` : '';
          lines.push(
            `${docs(rng, inner)}${gates(rng, inner, opts.allowGates)}${inner}constructor(${params(rng, inScope)})${result};`,
          );
        }
        for (let m = rng.int(0, 3); m > 0; m--) {
          const isStatic = rng.bool(0.3);
          const member = `${id(rng, members.fresh())}: ${isStatic ? 'static ' : ''}${funcType(rng, inScope, !isStatic)};`;
          lines.push(`${docs(rng, inner)}${gates(rng, inner, opts.allowGates)}${inner}${member}`);
        }
        text =
          lines.length === 0 && rng.bool()
            ? `${indent}resource ${n};`
            : `${indent}resource ${n} {\n${lines.join('\n')}${lines.length ? '\n' : ''}${indent}}`;
        break;
      }
      default:
        text = `${indent}type ${n} = ${typeExpr(rng, scope, 3)};`;
    }
    defs.push(head + text);
    scope.push({ name, resource });
  }
  const out = rng.shuffle(defs);
  if (opts.functions) {
    for (let f = rng.int(0, 4); f > 0; f--) {
      out.push(
        `${docs(rng, indent)}${gates(rng, indent, opts.allowGates)}${indent}${id(rng, names.fresh())}: ${funcType(rng, scope)};`,
      );
    }
  }
  return out;
}

interface GenInterface {
  readonly name: string;
  /** Types visible to `use` from it: everything it defines or `use`s. */
  readonly types: ScopeType[];
  /** Interfaces it uses (transitively closed). */
  readonly deps: Set<string>;
}

/** `use` lines bringing types of earlier interfaces into a scope. */
function uses(
  rng: Rng,
  earlier: readonly GenInterface[],
  names: Names,
  scope: ScopeType[],
  deps: Set<string>,
  indent: string,
): string[] {
  const lines: string[] = [];
  const sources = earlier.filter((i) => i.types.length > 0);
  for (let u = rng.int(0, 2); u > 0 && sources.length > 0; u--) {
    const from = rng.pick(sources);
    const picked = rng.shuffle(from.types).slice(0, rng.int(1, Math.min(3, from.types.length)));
    const items: string[] = [];
    for (const t of picked) {
      // `use` names share the scope's namespace: rename when taken (or by choice).
      const rename = rng.bool(0.3) || !names.take(t.name);
      const local = rename ? names.fresh() : t.name;
      items.push(rename ? `${id(rng, t.name)} as ${id(rng, local)}` : id(rng, t.name));
      scope.push({ name: local, resource: t.resource });
    }
    deps.add(from.name);
    for (const d of from.deps) deps.add(d);
    lines.push(`${indent}use ${id(rng, from.name)}.{${items.join(', ')}};`);
  }
  return lines;
}

/** Draws one valid package. */
export function generatePackage(g: Gen): GeneratedPackage {
  const rng = new Rng(g);
  const top = new Names(rng);
  const packageName = `${rng.pick(['test', 'acme', 'wasi'])}:${rng.pick(WORDS)}`;
  const versioned = rng.bool(0.7);
  const allowGates = versioned;
  const header = `package ${packageName}${versioned ? `@${PACKAGE_VERSION.join('.')}` : ''};`;
  const parts: string[] = [docs(rng, '') + header];

  const interfaces: GenInterface[] = [];
  for (let i = rng.int(1, 4); i > 0; i--) {
    const name = top.fresh();
    const names = new Names(rng);
    const scope: ScopeType[] = [];
    const deps = new Set<string>();
    const lines = [
      ...uses(rng, interfaces, names, scope, deps, '  '),
      ...body(rng, names, scope, '  ', { functions: true, allowGates }),
    ];
    interfaces.push({ name, types: scope, deps });
    parts.push(
      `${docs(rng, '')}${gates(rng, '', allowGates)}interface ${id(rng, name)} {\n${lines.join('\n')}${lines.length ? '\n' : ''}}`,
    );
  }

  // World item names are unique across all worlds, so that includes never shadow.
  const worldItemNames = new Names(rng);
  // `closure`: the world and every world it includes, directly or not.
  const worlds: { name: string; functions: string[]; closure: Set<string> }[] = [];
  for (let w = rng.int(0, 3); w > 0; w--) {
    const name = top.fresh();
    const names = new Names(rng, worldItemNames);
    const scope: ScopeType[] = [];
    const deps = new Set<string>();
    const lines: string[] = [];
    const functions: string[] = [];
    lines.push(...uses(rng, interfaces, names, scope, deps, '  '));
    lines.push(...body(rng, names, scope, '  ', { functions: false, allowGates }));
    // An inline interface, with a `use` of its own.
    let inline: { line: string; exported: boolean; deps: Set<string> } | null = null;
    if (rng.bool(0.3)) {
      const inlineName = names.fresh();
      const inner = new Names(rng);
      const innerScope: ScopeType[] = [];
      const innerDeps = new Set<string>();
      const innerLines = [
        ...uses(rng, interfaces, inner, innerScope, innerDeps, '    '),
        ...body(rng, inner, innerScope, '    ', { functions: true, allowGates: false }),
      ];
      const exported = rng.bool();
      const text = `  ${exported ? 'export' : 'import'} ${id(rng, inlineName)}: interface {\n${innerLines.join('\n')}${innerLines.length ? '\n' : ''}  }`;
      inline = { line: text, exported, deps: innerDeps };
    }
    const imported = rng.shuffle(interfaces).slice(0, rng.int(0, interfaces.length));
    for (const i of imported) lines.push(`${docs(rng, '  ')}  import ${id(rng, i.name)};`);
    // Exports closed under `use` dependencies (an exported inline interface's included): an
    // export needing an interface that is itself exported, but through an import, is an error.
    const exported = new Set<string>(inline?.exported ? inline.deps : []);
    for (const i of rng.shuffle(interfaces).slice(0, rng.int(0, interfaces.length))) {
      exported.add(i.name);
      for (const d of i.deps) exported.add(d);
    }
    for (const i of interfaces)
      if (exported.has(i.name)) lines.push(`  export ${id(rng, i.name)};`);
    for (let f = rng.int(0, 3); f > 0; f--) {
      const fname = names.fresh();
      functions.push(fname);
      const dir = rng.bool() ? 'import' : 'export';
      lines.push(
        `${docs(rng, '  ')}${gates(rng, '  ', allowGates)}  ${dir} ${id(rng, fname)}: ${funcType(rng, scope)};`,
      );
    }
    if (inline) lines.push(inline.line);
    // Included worlds may not share an included world: a diamond brings its items in twice, which
    // is an error ("shadows previously imported items").
    const closure = new Set<string>([name]);
    const earlier = worlds.filter((e) => {
      if (!rng.bool(0.4) || [...e.closure].some((w) => closure.has(w))) return false;
      for (const w of e.closure) closure.add(w);
      return true;
    });
    for (const e of earlier) {
      const renamable = e.functions.filter(() => rng.bool(0.3));
      const renames = renamable.map((f) => `${id(rng, f)} as ${id(rng, worldItemNames.fresh())}`);
      lines.push(
        `  include ${id(rng, e.name)}${renames.length ? ` with { ${renames.join(', ')} }` : ';'}`,
      );
    }
    worlds.push({ name, functions, closure });
    parts.push(
      `${docs(rng, '')}${gates(rng, '', allowGates)}world ${id(rng, name)} {\n${lines.join('\n')}${lines.length ? '\n' : ''}}`,
    );
  }

  return {
    text: `${parts.join('\n\n')}\n`,
    packageName: `${packageName}${versioned ? `@${PACKAGE_VERSION.join('.')}` : ''}`,
    interfaces: interfaces.map((i) => i.name),
    worlds: worlds.map((w) => w.name),
  };
}
