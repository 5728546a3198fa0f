import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { InterfaceItem, TypeExpr, WorldItemDecl } from '../../src/wit/ast.js';
import { processDocs } from '../../src/wit/docs.js';
import { KEYWORDS } from '../../src/wit/tokens.js';
import { parse, withoutSpans } from './helpers.js';

function ok(text: string) {
  const r = parse(text);
  expect(r.rendered).toBe('');
  expect(r.file).not.toBeNull();
  return r.file!;
}

function iface(text: string): InterfaceItem {
  const item = ok(`package a:b;\ninterface i {\n${text}\n}\n`).items[0];
  if (item?.kind !== 'interface') throw new Error('expected an interface');
  return item;
}

function world(text: string): WorldItemDecl {
  const item = ok(`package a:b;\nworld w {\n${text}\n}\n`).items[0];
  if (item?.kind !== 'world') throw new Error('expected a world');
  return item;
}

function typeOf(text: string): TypeExpr {
  const item = iface(`type t = ${text};`).items[0];
  if (item?.kind !== 'type') throw new Error('expected a type alias');
  return withoutSpans(item.type);
}

function errors(text: string): string[] {
  return parse(text).messages;
}

describe('package declarations', () => {
  test('name with full semver', () => {
    const file = ok('package wasi:http@0.3.0-rc-2025-09-16+build.7;');
    expect(file.package?.name.namespace.name).toBe('wasi');
    expect(file.package?.name.name.name).toBe('http');
    expect(file.package?.name.version?.text).toBe('0.3.0-rc-2025-09-16+build.7');
    expect(ok('package a:b@1.0.0+5a;').package?.name.version?.text).toBe('1.0.0+5a');
  });

  test('spans are global offsets', () => {
    const r = parse('package a:b;');
    const r2 = parse('package a:b;');
    expect(r.file?.package?.name.namespace.span).toEqual({ start: 8, end: 9 });
    expect(r2.file?.span).toEqual({ start: 0, end: 12 });
  });

  test('nested packages and top-level use', () => {
    const file = ok(`package root:pkg;
use wasi:http/types@1.0.0 as http-types;
use local:x/y;
package dep:a@1.0.0 {
  use wasi:io/streams;
  interface foo {}
  world bar {}
}
package dep:b { interface baz {} }
`);
    expect(file.items.map((i) => i.kind)).toEqual(['use', 'use', 'nested-package', 'nested-package']);
    const use = file.items[0];
    expect(use?.kind === 'use' && use.as?.name).toBe('http-types');
    const nested = file.items[2];
    expect(nested?.kind === 'nested-package' && nested.items.map((i) => i.kind)).toEqual(['use', 'interface', 'world']);
  });

  test('rejections', () => {
    // wit-parser's words: the token structure first, then the semver crate's messages.
    expect(errors('package a:b@1.0;')).toEqual(["expected '.', found ';'"]);
    expect(errors('package a:b@1.0.0-;')).toEqual(['empty identifier segment in pre-release identifier']);
    expect(errors('package a:b@01.0.0;')).toEqual(['invalid leading zero in major version number']);
    expect(errors('package a:b@1.0.0-01;')).toEqual(['invalid leading zero in pre-release identifier']);
    expect(errors('package a:b@1.0.0+01;')).toEqual([]);
    expect(errors('package a:b@1.0. 0;')).toEqual(["unexpected character ' ' while parsing patch version number"]);
    expect(errors('package a:b; package c:d;')).toEqual(['duplicate `package` declaration']);
    expect(errors('package a;')).toEqual(["expected ':', found ';'"]);
  });
});

describe('interfaces and functions', () => {
  test('functions, async, params with trailing comma, results', () => {
    const i = iface(`
  a: func();
  b: func(x: u32, y: string,) -> bool;
  c: async func() -> result;
  %variant: func(%enum: s32);
`);
    expect(withoutSpans(i.items)).toMatchObject([
      { kind: 'func', name: { name: 'a' }, func: { async: false, params: [], result: null } },
      { kind: 'func', name: { name: 'b' }, func: { params: [{ name: { name: 'x' } }, { name: { name: 'y' } }], result: { kind: 'primitive', name: 'bool' } } },
      { kind: 'func', name: { name: 'c' }, func: { async: true, result: { kind: 'result', ok: null, err: null } } },
      { kind: 'func', name: { name: 'variant' }, func: { params: [{ name: { name: 'enum' } }] } },
    ]);
  });

  test('named results are rejected', () => {
    expect(errors('interface i { f: func() -> (a: u32, b: u32); }')).toEqual([
      "expected a type, found '('\nnamed results are not supported: return a single type, such as a `tuple` or a `record`",
    ]);
  });

  test('use with renames', () => {
    const i = iface('use types.{a, b as c,};\nuse wasi:io/streams@0.2.0.{input-stream};');
    expect(withoutSpans(i.items)).toMatchObject([
      { kind: 'use', from: { kind: 'name', name: { name: 'types' } }, names: [{ name: { name: 'a' }, as: null }, { name: { name: 'b' }, as: { name: 'c' } }] },
      { kind: 'use', from: { kind: 'package', package: { version: { text: '0.2.0' } }, interface: { name: 'streams' } } },
    ]);
  });
});

describe('types', () => {
  test('primitives', () => {
    for (const p of ['bool', 's8', 's16', 's32', 's64', 'u8', 'u16', 'u32', 'u64', 'f32', 'f64', 'char', 'string', 'error-context']) {
      expect(typeOf(p)).toEqual({ kind: 'primitive', name: p });
    }
  });

  test('constructed types', () => {
    expect(typeOf('list<u8>')).toEqual({ kind: 'list', element: { kind: 'primitive', name: 'u8' } });
    expect(typeOf('list<u8, 4>')).toEqual({ kind: 'fixed-length-list', element: { kind: 'primitive', name: 'u8' }, length: 4 });
    expect(typeOf('map<string, list<x>>')).toMatchObject({ kind: 'map', key: { name: 'string' }, value: { kind: 'list' } });
    expect(typeOf('tuple<u8, string,>')).toMatchObject({ kind: 'tuple', types: [{ name: 'u8' }, { name: 'string' }] });
    expect(typeOf('option<x>')).toEqual({ kind: 'option', type: { kind: 'named', name: { name: 'x' } } });
    expect(typeOf('result')).toEqual({ kind: 'result', ok: null, err: null });
    expect(typeOf('result<u8>')).toMatchObject({ kind: 'result', ok: { name: 'u8' }, err: null });
    expect(typeOf('result<_, e>')).toMatchObject({ kind: 'result', ok: null, err: { name: { name: 'e' } } });
    expect(typeOf('result<u8, e>')).toMatchObject({ kind: 'result', ok: { name: 'u8' }, err: { kind: 'named' } });
    expect(typeOf('own<r>')).toEqual({ kind: 'own', resource: { name: 'r' } });
    expect(typeOf('borrow<r>')).toEqual({ kind: 'borrow', resource: { name: 'r' } });
    expect(typeOf('future')).toEqual({ kind: 'future', type: null });
    expect(typeOf('future<u8>')).toMatchObject({ kind: 'future', type: { name: 'u8' } });
    expect(typeOf('stream')).toEqual({ kind: 'stream', type: null });
    expect(typeOf('stream<u8>')).toMatchObject({ kind: 'stream', type: { name: 'u8' } });
    expect(typeOf('%record')).toEqual({ kind: 'named', name: { name: 'record' } });
  });

  test('type rejections', () => {
    expect(errors('interface i { type t = list<u8, 0>; }')[0]).toMatch(/positive integer/);
    expect(errors('interface i { type t = list<u8, 007>; }')[0]).toMatch(/leading zeros/);
    expect(errors('interface i { type t = list<u8, 99999999999>; }')[0]).toMatch(/fit in a u32/);
    expect(errors('interface i { type t = list<u8,>; }')).toEqual(["expected an integer, found '>'"]);
    expect(errors('interface i { type t = map<f32, u8>; }')[0]).toMatch(/^invalid map key type: map keys must be bool/);
    expect(errors('interface i { type t = tuple<>; }')).toEqual(['empty tuple']);
    expect(errors('interface i { type t = float32; }')).toEqual([
      'type `float32` does not exist\nthe `float32` type has been renamed to `f32` and is no longer accepted',
    ]);
    // wit-parser's words: a `type` in a type definition, a `name` in a function signature.
    expect(errors('interface i { f: func(x: float64); }')).toEqual([
      'name `float64` does not exist\nthe `float64` type has been renamed to `f64` and is no longer accepted',
    ]);
    expect(errors('interface i { record r { x: list<float32> } }')[0]).toMatch(/^type `float32` does not exist/);
    expect(errors('interface i { resource r { m: func(x: float32); } }')[0]).toMatch(/^name `float32` does not exist/);
    // A type that the interface itself names `float32` is fine.
    expect(errors('interface i { type float32 = f32; type t = float32; }')).toEqual([]);
    expect(errors('interface i { type t = own<list<u8>>; }')[0]).toMatch(/expected an identifier/);
  });
});

describe('type definitions', () => {
  test('record, variant, enum, flags, alias with trailing commas', () => {
    const i = iface(`
  record r { a: u32, b: string, }
  record s { a: u32 }
  variant v { none, some(list<u8>), }
  enum e { a, b, }
  flags f { read, write }
  type t = r;
`);
    expect(withoutSpans(i.items)).toMatchObject([
      { kind: 'record', fields: [{ name: { name: 'a' } }, { name: { name: 'b' } }] },
      { kind: 'record', fields: [{ name: { name: 'a' } }] },
      { kind: 'variant', cases: [{ name: { name: 'none' }, type: null }, { name: { name: 'some' }, type: { kind: 'list' } }] },
      { kind: 'enum', cases: [{ name: { name: 'a' } }, { name: { name: 'b' } }] },
      { kind: 'flags', flags: [{ name: { name: 'read' } }, { name: { name: 'write' } }] },
      { kind: 'type', type: { kind: 'named', name: { name: 'r' } } },
    ]);
  });

  test('empty bodies are rejected', () => {
    expect(errors('interface i { record r {} variant v {} enum e {} flags f {} }')).toEqual([
      'empty record',
      'empty variant',
      'empty enum',
      'empty flags',
    ]);
  });

  test('resources', () => {
    const i = iface(`
  resource a;
  resource b {}
  resource blob {
    constructor(init: list<u8>);
    write: func(bytes: list<u8>);
    merge: static func(lhs: borrow<blob>, rhs: borrow<blob>) -> blob;
    wait: async func();
    later: static async func();
  }
  resource c { constructor() -> result<c, string>; }
`);
    expect(withoutSpans(i.items)).toMatchObject([
      { kind: 'resource', name: { name: 'a' }, members: [] },
      { kind: 'resource', name: { name: 'b' }, members: [] },
      {
        kind: 'resource',
        members: [
          { kind: 'constructor', params: [{ name: { name: 'init' } }], result: null },
          { kind: 'method', name: { name: 'write' } },
          { kind: 'static', name: { name: 'merge' }, func: { async: false } },
          { kind: 'method', name: { name: 'wait' }, func: { async: true } },
          { kind: 'static', name: { name: 'later' }, func: { async: true } },
        ],
      },
      { kind: 'resource', members: [{ kind: 'constructor', result: { kind: 'result' } }] },
    ]);
  });
});

describe('identifiers', () => {
  test('kebab-case rules', () => {
    for (const good of ['apple', 'apple-pear', 'a0', 'APPLE', 'is-XML', 'apple-0', 'a0-000-3d4a-54FF', '%interface']) {
      expect(errors(`interface i { ${good}: func(); }`)).toEqual([]);
    }
    // The first line is wit-parser's message, the second our hint.
    expect(errors('interface i { Foo: func(); }')).toEqual([
      "invalid character in identifier 'o'\neach word of an identifier must be all lowercase or all uppercase: `Foo`",
    ]);
    expect(errors('interface i { a--b: func(); }')[0]).toMatch(/^identifiers must have characters between '-'s\n.*empty word/);
    expect(errors('interface i { a-: func(); }')[0]).toMatch(/^identifiers must have characters between '-'s\n.*empty word/);
    expect(errors('interface i { 1a: func(); }')[0]).toMatch(/^expected an identifier or string, found an integer\nidentifiers start with a letter/);
    expect(errors('interface i { a_b: func(); }')).toEqual(["invalid character in identifier '_'\nin `a_b`"]);
    expect(errors('interface i { %: func(); }')).toEqual(["expected an identifier after '%'"]);
  });

  test('keywords are names only with %', () => {
    expect(errors('interface i { record: func(); }')).toEqual(["expected an identifier or string, found ':'"]);
    expect(errors('interface i { type: func(); }')[0]).toMatch(/^expected an identifier or string/);
  });

  // Checked against wit-parser 0.259: it reserves every keyword in every one of these positions
  // (package namespace and name included: `package test:async;` is an error) and accepts each
  // `%`-escaped.
  test.each(KEYWORDS.filter((k) => k !== '_'))('`%s` is reserved everywhere, and a name when escaped', (k) => {
    const positions = [
      (n: string) => `package ${n}:x;`,
      (n: string) => `package x:${n};`,
      (n: string) => `interface ${n} {}`,
      (n: string) => `world ${n} {}`,
      (n: string) => `interface i { type ${n} = u32; }`,
      (n: string) => `interface i { record r { ${n}: u32 } }`,
      (n: string) => `interface i { enum e { ${n} } }`,
      (n: string) => `interface i { ${n}: func(); }`,
      (n: string) => `interface i { f: func(${n}: u32); }`,
      (n: string) => `interface i { resource r { ${n}: func(); } }`,
      (n: string) => `interface i { use j.{t as ${n}}; }`,
      (n: string) => `world w { import ${n}: func(); }`,
      (n: string) => `world w { include v with { a as ${n} } }`,
      (n: string) => `@unstable(feature = ${n}) interface i {}`,
    ];
    for (const at of positions) {
      expect(errors(at(k)).length, at(k)).toBeGreaterThan(0);
      expect(errors(at(`%${k}`)), at(`%${k}`)).toEqual([]);
    }
  });
});

describe('worlds', () => {
  test('imports, exports, includes, types and uses', () => {
    const w = world(`
  import wasi:http/types@0.3.0;
  import local-iface;
  import f: func(x: u32) -> u32;
  import g: async func();
  import host: interface { log: func(msg: string); }
  import primary: wasi:keyvalue/store;
  export secondary: store;
  export run: func();
  include wasi:cli/imports@0.3.0;
  include other with { a as b, c as d, }
  use types.{t};
  type x = u32;
  record r { a: u32 }
`);
    expect(withoutSpans(w.items)).toMatchObject([
      { kind: 'import', target: { kind: 'path', path: { kind: 'package', interface: { name: 'types' }, package: { version: { text: '0.3.0' } } } } },
      { kind: 'import', target: { kind: 'path', path: { kind: 'name', name: { name: 'local-iface' } } } },
      { kind: 'import', target: { kind: 'func', name: { name: 'f' }, func: { async: false } } },
      { kind: 'import', target: { kind: 'func', name: { name: 'g' }, func: { async: true } } },
      { kind: 'import', target: { kind: 'interface', name: { name: 'host' }, items: [{ kind: 'func' }] } },
      { kind: 'import', target: { kind: 'named-path', name: { name: 'primary' }, path: { kind: 'package', interface: { name: 'store' } } } },
      { kind: 'export', target: { kind: 'named-path', name: { name: 'secondary' }, path: { kind: 'name', name: { name: 'store' } } } },
      { kind: 'export', target: { kind: 'func', name: { name: 'run' } } },
      { kind: 'include', path: { kind: 'package' }, with: [] },
      { kind: 'include', path: { kind: 'name' }, with: [{ name: { name: 'a' }, as: { name: 'b' } }, { name: { name: 'c' }, as: { name: 'd' } }] },
      { kind: 'use' },
      { kind: 'type' },
      { kind: 'record' },
    ]);
  });

  // WIT.md: "`a:b` is lexed as a single token", so `import a:b;` is an error, `import a: b;` a
  // plain-named import of interface `b` (wit-parser 0.259 reads both as the latter).
  test('`import a:b;` names a package', () => {
    expect(errors('world w { import a:b; }')[0]).toMatch(/^cannot import a package/);
    expect(errors('world w { import a: b; }')).toEqual([]);
  });

  test('include with an empty rename list', () => {
    expect(errors('world w { include x with {} }')).toEqual(['`include … with { }` must rename at least one name']);
  });
});

describe('gates and external ids', () => {
  test('on every item kind that takes them', () => {
    const file = ok(`package a:b@1.0.0;
@since(version = 1.0.0)
use wasi:io/poll@0.2.0;
@since(version = 0.1.0)
@deprecated(version = 1.0.0)
interface i {
  @unstable(feature = fancy-foo)
  use x.{y};
  @since(version = 1.0.0)
  type t = u32;
  @since(version = 1.0.0)
  @external-id("DB.Bar")
  resource r {
    @since(version = 1.0.0)
    @external-id("baz/1")
    baz: func();
    @unstable(feature = ctor)
    constructor();
  }
  @external-id("foo/0")
  f: func();
}
@unstable(feature = w)
world w {
  @since(version = 1.0.0)
  @external-id("https://esm.unpkg.com/slugify@1.6.6")
  import slugify: func(text: string) -> string;
  @since(version = 1.0.0)
  include other;
  @since(version = 1.0.0)
  export i;
}
`);
    const [use, i, w] = withoutSpans(file.items);
    expect(use).toMatchObject({ kind: 'use', gates: [{ kind: 'since', version: '1.0.0' }] });
    expect(i).toMatchObject({
      kind: 'interface',
      gates: [{ kind: 'since', version: '0.1.0' }, { kind: 'deprecated', version: '1.0.0' }],
      items: [
        { kind: 'use', gates: [{ kind: 'unstable', feature: { name: 'fancy-foo' } }] },
        { kind: 'type', gates: [{ kind: 'since' }] },
        {
          kind: 'resource',
          externalId: { value: 'DB.Bar' },
          members: [
            { kind: 'method', gates: [{ kind: 'since' }], externalId: { value: 'baz/1' } },
            { kind: 'constructor', gates: [{ kind: 'unstable' }] },
          ],
        },
        { kind: 'func', externalId: { value: 'foo/0' } },
      ],
    });
    expect(w).toMatchObject({
      gates: [{ kind: 'unstable', feature: { name: 'w' } }],
      items: [
        { kind: 'import', externalId: { value: 'https://esm.unpkg.com/slugify@1.6.6' } },
        { kind: 'include', gates: [{ kind: 'since' }] },
        { kind: 'export', gates: [{ kind: 'since' }] },
      ],
    });
  });

  test('string escapes in @external-id', () => {
    const w = world('@external-id("a\\"b\\\\c\\u{1F600}\\41\\n") import x: func();');
    expect(w.items[0]?.externalId?.value).toBe('a"b\\c😀A\n');
  });

  test('rejections', () => {
    expect(errors('@foo(version = 1.0.0) interface i {}')).toEqual(['unknown attribute `foo`']);
    expect(errors('@since(feature = x) interface i {}')).toEqual(['expected `version`, found `feature`']);
    expect(errors('@unstable(feature = 1.0.0) interface i {}')).toEqual(['expected a feature name in `@unstable`']);
    expect(errors('@since(version = x) interface i {}')).toEqual(['expected a version in `@since`']);
    expect(errors('interface i { record r { @since(version = 1.0.0) a: u32 } }')).toEqual([
      'expected an identifier or string, found `@`\nattributes are not allowed on record fields',
    ]);
    expect(errors('world w { @external-id("x") import a:b/c; }')).toEqual(['`@external-id` is not allowed on this item']);
    expect(errors('world w { @external-id("x") @external-id("y") import c: func(); }')).toEqual(['duplicate `@external-id`']);
    expect(errors('world w { @external-id("\\q") import c: func(); }')).toEqual(["invalid string escape '\\q'"]);
  });
});

describe('docs', () => {
  test('processing rules', () => {
    expect(processDocs([])).toBeNull();
    expect(processDocs(['/// a\n', '///   b\n'])).toBe('a\n  b');
    expect(processDocs(['// plain\n'])).toBe('plain');
    expect(processDocs(['/* x */'])).toBe('* x */');
    expect(processDocs(['/** x */'])).toBe('x');
    expect(processDocs(['/**\n * a\n * b\n */'])).toBe('\n * a\n * b');
    expect(processDocs(['///\n', '/// a\n', '///\n', '///\n'])).toBe('\na');
    expect(processDocs(['///\ta\n', '/// b\n'])).toBe('\ta\nb');
    expect(processDocs(['// a\r\n'])).toBe('a');
  });

  test('every comment directly before an item is a doc comment; blank lines do not break it', () => {
    const file = ok(`// package docs
package a:b;

// first
/* second */

/// third
interface i {
  /// field docs
  record r {
    /// the a field
    a: u32,
    // the b field
    b: u32,
  }
  @since(version = 1.0.0)
  // not docs: after the gate
  f: func();
  //@ async = true
  g: func();
  // trailing comment, belongs to nothing
}
`);
    expect(file.package?.docs.contents).toBe('package docs');
    const i = file.items[0] as InterfaceItem;
    // `* second */` has no leading space, so nothing is dedented (wasm-tools behaviour).
    expect(i.docs.contents).toBe(' first\n* second */\n third');
    const [r, f, g] = i.items;
    expect(r?.docs.contents).toBe('field docs');
    expect(r?.kind === 'record' && r.fields.map((x) => x.docs.contents)).toEqual(['the a field', 'the b field']);
    expect(f?.docs.contents).toBeNull();
    expect(g?.docs.contents).toBe('@ async = true');
  });

  test('without a package declaration the first comment documents the first item', () => {
    const file = ok('// hello\ninterface i {}');
    expect(file.package).toBeNull();
    expect(file.items[0]?.docs.contents).toBe('hello');
  });
});

describe('comments', () => {
  test('nested block comments and comments between tokens', () => {
    const file = ok(`package a:b;
/* this /* is /* a */ nested */ comment */
interface foo {
  type /* foo */ bar /* baz */ = //
  stream < //
  //
  u8
  >;
}
`);
    expect(file.items).toHaveLength(1);
  });
});

describe('error recovery and robustness', () => {
  test('several independent syntax errors are all reported', () => {
    const r = parse(`package a:b;
interface one {
  f: func(x: u32 -> u32;
}
interface two {
  type t = list<u8;
}
world three {
  import;
}
interface four {
  g: func() -> ;
}
interface five {
  ok: func();
}
`);
    expect(r.messages).toEqual([
      "expected ')', found `->`",
      "expected '>', found ';'",
      "expected an identifier or string, found ';'",
      "expected a type, found ';'",
    ]);
    // The intact interface after them is still in the AST.
    expect(r.file?.items.map((i) => (i.kind === 'interface' || i.kind === 'world' ? i.name.name : i.kind))).toContain('five');
  });

  test('unterminated comment and eof', () => {
    expect(errors('interface i { /* never closed')).toEqual([
      'unterminated block comment',
      'expected `type`, `resource` or `func`, found eof',
    ]);
  });

  test('binary garbage gives diagnostics and no AST', () => {
    const bytes = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256);
    const r = parse(new TextDecoder().decode(bytes));
    expect(r.file).toBeNull();
    expect(r.diagnostics.length).toBeGreaterThan(0);
  });

  test('printable garbage ends with diagnostics', () => {
    const junk = Array.from({ length: 20000 }, (_, i) => '{}<>();:=,@%$x1-'.charAt((i * 31) % 16)).join('');
    const r = parse(junk);
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(r.diagnostics.length).toBeLessThanOrEqual(101);
  });

  test('10k-deep nesting is refused with a located error, not a stack overflow', () => {
    const deep = `interface i { type t = ${'list<'.repeat(10_000)}u8${'>'.repeat(10_000)}; }\ninterface j { f: func(); }`;
    const r = parse(deep);
    expect(r.messages).toEqual(["nesting is too deep (more than 100 levels of '{', '(' or '<')"]);
    // The `{` of the interface is level 1, so the 100th `<` opens level 101.
    expect(r.diagnostics[0]?.span?.start).toBe(23 + 5 * 99 + 4);
    expect(r.file?.items.map((i) => i.kind)).toEqual(['interface']);
    const unclosed = parse(`interface i { type t = ${'option<'.repeat(10_000)}`);
    expect(unclosed.messages[0]).toMatch(/nesting is too deep/);
  });

  test('a large file parses in bounded time', () => {
    const item = (n: number) => `interface i${n} {\n  record r { a: u32, b: list<string> }\n  f: func(x: r) -> result<u64, string>;\n}\n`;
    const parts: string[] = ['package big:file;\n'];
    let size = 0;
    for (let n = 0; size < 2_000_000; n++) {
      const s = item(n);
      parts.push(s);
      size += s.length;
    }
    const started = performance.now();
    const r = parse(parts.join(''));
    const elapsed = performance.now() - started;
    expect(r.diagnostics).toEqual([]);
    expect(elapsed).toBeLessThan(20_000);
  });

  test('a 10 MB file of errors ends with diagnostics', () => {
    const text = 'interface i { f: func(; }\n'.repeat(400_000);
    const started = performance.now();
    const r = parse(text);
    expect(r.diagnostics.length).toBe(101);
    expect(r.diagnostics[100]?.message).toMatch(/^too many errors/);
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});

describe('real WASI packages', () => {
  const root = join(process.cwd(), 'node_modules', '@bytecodealliance', 'jco', 'lib', 'wit', 'builtin');
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const p = join(dir, entry);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.wit')) files.push(p);
    }
  };
  walk(root);

  test('there are builtin files', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  test.each(files.map((f) => [f.slice(root.length + 1), f]))('%s', (_name, path) => {
    const r = parse(readFileSync(path, 'utf8'));
    expect(r.rendered).toBe('');
    expect(r.file?.items.length).toBeGreaterThan(0);
  });
});
