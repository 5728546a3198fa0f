/**
 * A light parse of an embedded core module: its types, imports, exports and the types of its
 * functions, tables, memories, globals and tags — what instantiation needs to wire a module to
 * its arguments. Function bodies, element and data segments are skipped by section size.
 */
import {
  readCoreImport,
  readGlobalType,
  readMemoryType,
  readModuleRecGroup,
  readTableType,
} from './decode-types.js';
import type {
  CoreExternKind,
  CoreImport,
  CoreModule,
  CoreSubType,
  CustomSection,
  GlobalType,
  MemoryType,
  TableType,
} from './model.js';
import { Reader, hex } from './reader.js';

const CORE_EXPORT_KINDS: readonly CoreExternKind[] = ['func', 'table', 'memory', 'global', 'tag'];

/** Decodes the module in `r`'s window (the payload of a core module section). */
export function decodeCoreModule(r: Reader): CoreModule {
  const offset = r.pos;
  readCorePreamble(r);
  const types: CoreSubType[] = [];
  const imports: CoreImport[] = [];
  const funcs: number[] = [];
  const tables: TableType[] = [];
  const memories: MemoryType[] = [];
  const globals: GlobalType[] = [];
  const tags: number[] = [];
  const exports: { name: string; kind: CoreExternKind; index: number }[] = [];
  const customSections: CustomSection[] = [];
  let start: number | null = null;
  let definedFuncs: number[] | null = null;

  while (!r.done) {
    const at = r.pos;
    const id = r.byte('a section id');
    const size = r.u32('a section size');
    const s = r.window(size, `core section ${id}`);
    switch (id) {
      case 0: {
        const name = s.name('a custom section name');
        customSections.push({ offset: at, name, data: s.raw(s.remaining, 'custom section data') });
        break;
      }
      case 1:
        for (const group of s.vec('core types', readModuleRecGroup)) types.push(...group);
        break;
      case 2:
        for (const imp of s.vec('imports', readCoreImport, 3)) {
          imports.push(imp);
          switch (imp.desc.kind) {
            case 'func':
              funcs.push(imp.desc.type);
              break;
            case 'table':
              tables.push(imp.desc.type);
              break;
            case 'memory':
              memories.push(imp.desc.type);
              break;
            case 'global':
              globals.push(imp.desc.type);
              break;
            case 'tag':
              tags.push(imp.desc.type);
              break;
          }
        }
        break;
      case 3:
        definedFuncs = s.vec('functions', (s) => s.u32('a type index'));
        funcs.push(...definedFuncs);
        break;
      case 4:
        tables.push(...s.vec('tables', readTableEntry, 2));
        break;
      case 5:
        memories.push(...s.vec('memories', readMemoryType, 2));
        break;
      case 6:
        globals.push(
          ...s.vec(
            'globals',
            (s) => {
              const g = readGlobalType(s);
              skipConstExpr(s);
              return g;
            },
            3,
          ),
        );
        break;
      case 7:
        exports.push(
          ...s.vec(
            'exports',
            (s) => {
              const name = s.name('an export name');
              const k = s.pos;
              const b = s.byte('an export kind');
              const kind = CORE_EXPORT_KINDS[b] ?? s.unknown('an export kind (0x00-0x04)', b, k);
              return { name, kind, index: s.u32(`a ${kind} index`) };
            },
            3,
          ),
        );
        break;
      case 8:
        start = s.u32('a start function index');
        break;
      case 13:
        tags.push(
          ...s.vec(
            'tags',
            (s) => {
              const t = s.pos;
              const attr = s.byte('a tag attribute (0x00)');
              if (attr !== 0) s.unknown('a tag attribute (0x00)', attr, t);
              return s.u32('a type index');
            },
            2,
          ),
        );
        break;
      case 9: // element
      case 10: // code
      case 11: // data
      case 12: // data count
        s.pos = s.end;
        break;
      default:
        r.unknown('a core section id (0-13)', id, at);
    }
    s.expectEnd(`core section ${id}`);
  }
  return {
    offset,
    bytes: r.bytes.subarray(offset, r.end),
    types,
    imports,
    funcs,
    tables,
    memories,
    globals,
    tags,
    exports,
    start,
    customSections,
  };
}

function readCorePreamble(r: Reader): void {
  const at = r.pos;
  const magic = r.raw(4, 'the wasm magic number');
  if (magic[0] !== 0x00 || magic[1] !== 0x61 || magic[2] !== 0x73 || magic[3] !== 0x6d) {
    r.fail('the wasm magic number (\\0asm)', undefined, at);
  }
  const v = r.pos;
  const version = r.raw(4, 'a core module version');
  if (version[0] !== 1 || version[1] !== 0 || version[2] !== 0 || version[3] !== 0) {
    r.fail('core module version 1 (01 00 00 00)', `found ${[...version].map(hex).join(' ')}`, v);
  }
}

/** `table ::= tt:<tabletype> | 0x40 0x00 tt:<tabletype> e:<expr>` */
function readTableEntry(r: Reader): TableType {
  if (r.peek('a table') === 0x40) {
    r.pos++;
    const at = r.pos;
    const b = r.byte('0x00');
    if (b !== 0) r.unknown('0x00 after 0x40 in a table', b, at);
    const t = readTableType(r);
    skipConstExpr(r);
    return t;
  }
  return readTableType(r);
}

/**
 * Skips a constant expression up to and including its `end`. Knows the instructions allowed in
 * constant expressions (core 2.0, extended-const, GC, SIMD's `v128.const`).
 */
export function skipConstExpr(r: Reader): void {
  for (;;) {
    const at = r.pos;
    const op = r.byte('a constant instruction');
    switch (op) {
      case 0x0b: // end
        return;
      case 0x41: // i32.const
        r.s32('an i32 constant');
        break;
      case 0x42: // i64.const
        r.s64('an i64 constant');
        break;
      case 0x43: // f32.const
        r.skip(4, 'an f32 constant');
        break;
      case 0x44: // f64.const
        r.skip(8, 'an f64 constant');
        break;
      case 0x23: // global.get
      case 0xd2: // ref.func
        r.u32('an index');
        break;
      case 0xd0: // ref.null ht
        if (r.peek('a heap type') === 0x65) r.pos++;
        r.s33('a heap type');
        break;
      case 0x6a: // i32.add / sub / mul
      case 0x6b:
      case 0x6c:
      case 0x7c: // i64.add / sub / mul
      case 0x7d:
      case 0x7e:
        break;
      case 0xfd: {
        const sub = r.u32('a SIMD opcode');
        if (sub !== 12)
          r.fail('v128.const (0xfd 12) in a constant expression', `found 0xfd ${sub}`, at);
        r.skip(16, 'a v128 constant');
        break;
      }
      case 0xfb: {
        const sub = r.u32('a GC opcode');
        switch (sub) {
          case 0: // struct.new
          case 1: // struct.new_default
          case 6: // array.new
          case 7: // array.new_default
            r.u32('a type index');
            break;
          case 8: // array.new_fixed
            r.u32('a type index');
            r.u32('an array length');
            break;
          case 26: // any.convert_extern
          case 27: // extern.convert_any
          case 28: // ref.i31
            break;
          default:
            r.fail('a constant GC instruction', `found 0xfb ${sub}`, at);
        }
        break;
      }
      default:
        r.unknown('a constant instruction', op, at);
    }
  }
}
