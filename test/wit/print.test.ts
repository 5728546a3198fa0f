import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { File } from '../../src/wit/ast.js';
import { printType, printWit } from '../../src/wit/print.js';
import { parse, withoutSpans } from './helpers.js';

/** parse → print → parse gives the same AST (spans and path aside). */
function roundTrip(text: string): string {
  const first = parse(text);
  expect(first.rendered).toBe('');
  const printed = printWit(first.file!);
  const second = parse(printed);
  expect(second.rendered).toBe('');
  expect(withoutSpans(second.file)).toEqual(withoutSpans(first.file));
  // Printing is a normal form.
  expect(printWit(second.file!)).toBe(printed);
  return printed;
}

const KITCHEN_SINK = `// The package.
package demo:sink@1.2.3-rc.1+build.5;

use wasi:io/streams@0.2.0 as io-streams;

/// An interface
/// with two lines of docs.
@since(version = 1.0.0)
interface types {
  use io-streams.{input-stream, output-stream as out};

  /** A record. */
  record point {
    /// x coordinate
    x: s32,
    y: s32,
  }
  variant shape { circle(f64), square(tuple<f32, f32>), none }
  enum color { red, green, %enum }
  flags perms { read, write, exec }
  type bytes = list<u8>;
  type ipv4 = list<u8, 4>;
  type lookup = map<string, option<u64>>;
  type r1 = result;
  type r2 = result<u8>;
  type r3 = result<_, color>;
  type r4 = result<bytes, color>;
  type fut = future;
  type fut2 = future<string>;
  type s = stream;
  type s2 = stream<u8>;
  type ec = error-context;
  @unstable(feature = fancy)
  @external-id("DB.Blob")
  resource blob {
    constructor(init: list<u8>);
    @since(version = 1.1.0)
    @deprecated(version = 1.2.0)
    write: func(bytes: list<u8>);
    merge: static func(lhs: borrow<blob>, rhs: own<blob>) -> blob;
    wait: async func() -> result<_, error-context>;
  }
  resource handle;
  resource fallible { constructor() -> result<fallible, string>; }
  %type: func(%record: point) -> shape;
  \t// a tab-indented comment
  tabbed: async func();
}

world the-world {
  import types;
  import wasi:http/handler@0.3.0;
  @external-id("https://esm.unpkg.com/slugify@1.6.6")
  import slugify: func(text: string) -> string;
  import host: interface {
    log: func(msg: string);
  }
  import primary: wasi:keyvalue/store@0.2.0;
  import secondary: types;
  export run: async func();
  include other-world;
  include wasi:cli/imports@0.3.0 with { environment as env, exit as quit }
  use types.{point};
  type alias = point;
}

world other-world {}

package dep:nested@0.1.0 {
  use wasi:io/poll@0.2.0;
  interface nested {}
}
`;

describe('printWit', () => {
  test('kitchen sink round-trips', () => {
    const printed = roundTrip(KITCHEN_SINK);
    expect(printed).toContain('%type: func(%record: point) -> shape;');
    expect(printed).toContain('    /// x coordinate\n    x: s32,');
  });

  test('docs with blank lines, indentation and tabs', () => {
    roundTrip('/// a\n///\n///   indented\n///\ttabbed\ninterface i {}\n');
    roundTrip('//\ninterface i {}\n');
    roundTrip('/* block\n   with lines */\ninterface i {}\n');
  });

  test('empty bodies', () => {
    expect(roundTrip('interface i {}\nworld w {}\n')).toBe('interface i {}\n\nworld w {}\n');
  });

  test('types print as written', () => {
    const file = parse('interface i { type t = tuple<result<_, option<borrow<r>>>, map<u8, list<string, 3>>>; }').file as File;
    const item = file.items[0];
    const ty = item?.kind === 'interface' && item.items[0]?.kind === 'type' ? item.items[0].type : null;
    expect(ty && printType(ty)).toBe('tuple<result<_, option<borrow<r>>>, map<u8, list<string, 3>>>');
  });

  describe('WASI builtin packages round-trip', () => {
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
    test.each(files.map((f) => [f.slice(root.length + 1), f]))('%s', (_name, path) => {
      roundTrip(readFileSync(path, 'utf8'));
    });
  });
});
