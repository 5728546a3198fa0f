// The plugin core's id handling, without a bundler: which ids are witbind's, the query options,
// and when a `.wit` import loads its whole package directory.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isOurs, parseWitbindId, witLoadPath } from '../../src/plugins/shared.js';

describe('parseWitbindId', () => {
  it('reads world, encoding and package from the query; plain when there is none', () => {
    expect(parseWitbindId('/a/w.wit')).toEqual({ kind: 'wit', file: '/a/w.wit', package: false, plain: true });
    expect(parseWitbindId('/a/w.wit?world=machine&encoding=utf16')).toEqual({
      kind: 'wit',
      file: '/a/w.wit',
      world: 'machine',
      encoding: 'utf16',
      package: false,
      plain: false,
    });
    expect(parseWitbindId('/a/w.wit?package')).toMatchObject({ package: true, plain: false });
    expect(parseWitbindId('/a/g.wasm?encoding=latin1%2Butf16')).toMatchObject({ kind: 'component', encoding: 'latin1+utf16' });
  });

  it("ignores bundlers' own query parameters, leaves other plugins' queries and other files alone", () => {
    expect(parseWitbindId('/a/w.wit?import&v=123&t=456')).toMatchObject({ plain: true });
    expect(parseWitbindId('\0/a/w.wit')).toMatchObject({ file: '/a/w.wit' });
    for (const id of ['/a/g.wasm?url', '/a/g.wasm?init', '/a/g.wasm?raw', '/a/g.wasm?witbind-asset', '/a/x.js', 'w.wit']) {
      expect(parseWitbindId(id)).toBeNull();
    }
  });

  it('rejects unknown options and encodings with a message naming them', () => {
    expect(() => parseWitbindId('/a/w.wit?wrld=x')).toThrow('unknown option `wrld` in the import query (witbind reads world, encoding and package)');
    expect(() => parseWitbindId('/a/w.wit?encoding=utf32')).toThrow('unknown string encoding `utf32`');
  });
});

describe('isOurs and witLoadPath', () => {
  it('a .wasm file is ours only when it is a component; a .wit import loads its directory when deps/ is next to it or ?package asks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'witbind-ids-'));
    writeFileSync(join(dir, 'core.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    writeFileSync(join(dir, 'component.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]));
    expect(isOurs(join(dir, 'core.wasm'))).toBe(false);
    expect(isOurs(join(dir, 'component.wasm'))).toBe(true);
    expect(isOurs(join(dir, 'missing.wasm'))).toBe(false);
    expect(isOurs(join(dir, 'w.wit'))).toBe(true);

    const file = join(dir, 'w.wit');
    expect(witLoadPath(parseWitbindId(file)!)).toBe(file);
    expect(witLoadPath(parseWitbindId(`${file}?package`)!)).toBe(dir);
    mkdirSync(join(dir, 'deps'));
    expect(witLoadPath(parseWitbindId(file)!)).toBe(dir);
  });
});
