/**
 * `canon` definitions (`Binary.md` § Canonical Definitions): `lift`, `lower` and every
 * resource, async, error-context and thread built-in, with their options.
 */
import { readCoreValType, readValType } from './decode-types.js';
import type { Canon, CanonOpt, CanonOptions, StringEncoding, ValType } from './model.js';
import type { Reader } from './reader.js';

function readCanonOpt(r: Reader): CanonOpt {
  const at = r.pos;
  const b = r.byte('a canonical option');
  switch (b) {
    case 0x00:
      return { kind: 'string-encoding', encoding: 'utf8' };
    case 0x01:
      return { kind: 'string-encoding', encoding: 'utf16' };
    case 0x02:
      return { kind: 'string-encoding', encoding: 'latin1+utf16' };
    case 0x03:
      return { kind: 'memory', index: r.u32('a core memory index') };
    case 0x04:
      return { kind: 'realloc', index: r.u32('a core func index') };
    case 0x05:
      return { kind: 'post-return', index: r.u32('a core func index') };
    case 0x06:
      return { kind: 'async' };
    case 0x07:
      return { kind: 'callback', index: r.u32('a core func index') };
    case 0x08:
      return { kind: 'core-type', index: r.u32('a core type index') };
    case 0x09:
      return { kind: 'gc' };
    default:
      return r.unknown('a canonical option (0x00-0x09)', b, at);
  }
}

/** `opts ::= opt*:vec(<canonopt>)`, summarized; a repeated or conflicting option is malformed. */
function readCanonOptions(r: Reader): CanonOptions {
  const at = r.pos;
  const list = r.vec('canonical options', readCanonOpt);
  let stringEncoding: StringEncoding | null = null;
  let memory: number | null = null;
  let realloc: number | null = null;
  let postReturn: number | null = null;
  let callback: number | null = null;
  let coreType: number | null = null;
  let async = false;
  let gc = false;
  const seen = new Set<string>();
  for (const o of list) {
    if (seen.has(o.kind)) {
      r.fail('canonical options without repeats', `\`${o.kind}\` is given more than once`, at);
    }
    seen.add(o.kind);
    switch (o.kind) {
      case 'string-encoding':
        stringEncoding = o.encoding;
        break;
      case 'memory':
        memory = o.index;
        break;
      case 'realloc':
        realloc = o.index;
        break;
      case 'post-return':
        postReturn = o.index;
        break;
      case 'callback':
        callback = o.index;
        break;
      case 'core-type':
        coreType = o.index;
        break;
      case 'async':
        async = true;
        break;
      case 'gc':
        gc = true;
        break;
    }
  }
  return { list, stringEncoding, memory, realloc, postReturn, async, callback, coreType, gc };
}

function readSubSort(r: Reader, what: string): void {
  const at = r.pos;
  const b = r.byte(`0x00 (${what})`);
  if (b !== 0x00) r.unknown(`0x00 (the func sort of ${what})`, b, at);
}

const NO_IMMEDIATES = {
  0x08: 'backpressure.set',
  0x05: 'task.cancel',
  0x0d: 'subtask.drop',
  0x1e: 'error-context.drop',
  0x1f: 'waitable-set.new',
  0x22: 'waitable-set.drop',
  0x23: 'waitable.join',
  0x24: 'backpressure.inc',
  0x25: 'backpressure.dec',
  0x26: 'thread.index',
  0x28: 'thread.resume-later',
} as const;

const TYPE_ONLY = {
  0x02: 'resource.new',
  0x04: 'resource.rep',
  0x0e: 'stream.new',
  0x13: 'stream.drop-readable',
  0x14: 'stream.drop-writable',
  0x15: 'future.new',
  0x1a: 'future.drop-readable',
  0x1b: 'future.drop-writable',
} as const;

const TYPE_OPTS = {
  0x0f: 'stream.read',
  0x10: 'stream.write',
  0x16: 'future.read',
  0x17: 'future.write',
} as const;

const TYPE_ASYNC = {
  0x11: 'stream.cancel-read',
  0x12: 'stream.cancel-write',
  0x18: 'future.cancel-read',
  0x19: 'future.cancel-write',
} as const;

const CANCELLABLE = {
  0x0c: 'thread.yield',
  0x29: 'thread.suspend',
  0x2a: 'thread.suspend-then-resume',
  0x2b: 'thread.yield-then-resume',
  0x2c: 'thread.suspend-then-promote',
  0x2d: 'thread.yield-then-promote',
} as const;

function lookup<T extends Record<number, string>>(table: T, b: number): T[keyof T] | undefined {
  return (table as Record<number, T[keyof T]>)[b];
}

/** `canon` (every built-in of `Binary.md`, including the async and thread ones). */
export function readCanon(r: Reader): Canon {
  const at = r.pos;
  const b = r.byte('a canonical function');
  switch (b) {
    case 0x00: {
      readSubSort(r, 'canon lift');
      const coreFunc = r.u32('a core func index');
      const options = readCanonOptions(r);
      return { op: 'lift', coreFunc, options, type: r.u32('a type index') };
    }
    case 0x01: {
      readSubSort(r, 'canon lower');
      const func = r.u32('a func index');
      return { op: 'lower', func, options: readCanonOptions(r) };
    }
    case 0x03:
      return { op: 'resource.drop', type: r.u32('a type index'), async: false };
    case 0x07:
      return { op: 'resource.drop', type: r.u32('a type index'), async: true };
    case 0x09: {
      const rt = r.pos;
      const tag = r.byte('a result list');
      let result: ValType | null;
      if (tag === 0x00) result = readValType(r);
      else if (tag === 0x01) {
        const n = r.pos;
        if (r.byte('0x00 (no result)') !== 0x00) r.fail('0x01 0x00 (no result)', undefined, n);
        result = null;
      } else return r.unknown('a result list (0x00 or 0x01)', tag, rt);
      return { op: 'task.return', result, options: readCanonOptions(r) };
    }
    case 0x0a:
    case 0x0b: {
      const valtype = readCoreValType(r);
      return {
        op: b === 0x0a ? 'context.get' : 'context.set',
        valtype,
        index: r.u32('a context slot index'),
      };
    }
    case 0x06:
      return { op: 'subtask.cancel', async: r.flag('the async? immediate') };
    case 0x1c:
    case 0x1d:
      return {
        op: b === 0x1c ? 'error-context.new' : 'error-context.debug-message',
        options: readCanonOptions(r),
      };
    case 0x20:
    case 0x21: {
      const cancellable = r.flag('the cancel? immediate');
      return {
        op: b === 0x20 ? 'waitable-set.wait' : 'waitable-set.poll',
        cancellable,
        memory: r.u32('a core memory index'),
      };
    }
    case 0x27: {
      const coreType = r.u32('a core type index');
      return { op: 'thread.new-indirect', coreType, table: r.u32('a core table index') };
    }
    // The shared-everything-threads built-ins: Binary.md's draft gives them a `shared?`
    // immediate, but wasm-tools (what produces these today) encodes none; we follow wasm-tools.
    case 0x40:
      return { op: 'thread.spawn-ref', coreType: r.u32('a core type index') };
    case 0x41: {
      const coreType = r.u32('a core type index');
      return { op: 'thread.spawn-indirect', coreType, table: r.u32('a core table index') };
    }
    case 0x42:
      return { op: 'thread.available-parallelism' };
  }
  const none = lookup(NO_IMMEDIATES, b);
  if (none) return { op: none };
  const typeOnly = lookup(TYPE_ONLY, b);
  if (typeOnly) return { op: typeOnly, type: r.u32('a type index') };
  const typeOpts = lookup(TYPE_OPTS, b);
  if (typeOpts) {
    const type = r.u32('a type index');
    return { op: typeOpts, type, options: readCanonOptions(r) };
  }
  const typeAsync = lookup(TYPE_ASYNC, b);
  if (typeAsync) {
    const type = r.u32('a type index');
    return { op: typeAsync, type, async: r.flag('the async? immediate') };
  }
  const cancel = lookup(CANCELLABLE, b);
  if (cancel) return { op: cancel, cancellable: r.flag('the cancel? immediate') };
  return r.unknown('a canonical function', b, at);
}
