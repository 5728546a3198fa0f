/**
 * Shared set-up of the kitchen-sink end-to-end tests (the suites in `test/support/cases/`, run by
 * `test/e2e/kitchen-sink-*.test.ts` on the core module and by
 * `test/component/e2e-kitchen-sink-*.test.ts` on the component, through witbind and through
 * jco): the guest compiled once per hosting mode, and a host that records every import call and
 * echoes its argument back unless a test overrides the answer.
 */
import { ComponentError } from '../../src/runtime/index.js';
import { KITCHEN_SINK, guestBindings, hostGuest, type Instantiate, type Mode } from './modes.js';

/** The host functions of `test:kitchen-sink/host` that echo (lowerCamelCase). */
export const HOST_ECHOES = [
  'echoBool',
  'echoS8',
  'echoU64',
  'echoF32',
  'echoF64',
  'echoChar',
  'echoString',
  'echoListU32',
  'echoListString',
  'echoMixed',
  'echoPerson',
  'echoShape',
  'echoNumber',
  'echoReal',
  'echoColor',
  'echoWide',
  'echoFlags32',
  'echoOptionString',
  'echoOptionOptionU32',
  'echoResultPointString',
  'echoResultUnit',
  'echoTuple',
  'echoFixedU32',
  'echoMap',
  'echoNested',
] as const;

export type HostEcho = (typeof HOST_ECHOES)[number];

/** The host side of resource `counter` (the resources test covers it; here it only has to exist). */
export class Counter {
  value: number;
  constructor(start: number) {
    this.value = start;
  }
  add(n: number): number {
    this.value = (this.value + n) >>> 0;
    return this.value;
  }
  get(): number {
    return this.value;
  }
  describe(): string {
    return `counter=${this.value}`;
  }
  static merge(a: Counter, b: Counter): Counter {
    return new Counter((a.value + b.value) >>> 0);
  }
}

export interface Sink {
  /** The typed exports. */
  ex: any;
  /** Every call of a host import, in order: [function name, its arguments]. */
  calls: [string, unknown[]][];
  /** Messages the guest passed to the world-level `log` import. */
  logs: string[];
  /** Per host function: what it does instead of echoing (it still records the call). */
  overrides: Partial<Record<HostEcho | 'log', (...args: any[]) => unknown>>;
  /** `allocatedBytes()` right after instantiation. */
  baseline: number;
}

let mod: Promise<any> | undefined;
const hosts = new Map<Mode, Promise<Instantiate>>();

/** The generated bindings module (generated once per test file). */
export function bindings(): Promise<any> {
  mod ??= guestBindings(KITCHEN_SINK);
  return mod;
}

/** The kitchen-sink guest compiled for `mode` (once per test file). */
export function kitchenSinkHost(mode: Mode): Promise<Instantiate> {
  let h = hosts.get(mode);
  if (h === undefined) {
    h = hostGuest(mode, KITCHEN_SINK);
    hosts.set(mode, h);
  }
  return h;
}

/** A fresh instance of the kitchen-sink guest, hosted the `mode` way. */
export async function kitchenSink(mode: Mode = 'core'): Promise<Sink> {
  const instantiate = await kitchenSinkHost(mode);
  const calls: [string, unknown[]][] = [];
  const logs: string[] = [];
  const overrides: Sink['overrides'] = {};
  const host: Record<string, unknown> = {
    Counter,
    consume(c: Counter) {
      calls.push(['consume', [c]]);
      return c.value;
    },
  };
  for (const name of HOST_ECHOES) {
    host[name] = (...args: unknown[]) => {
      calls.push([name, args]);
      const o = overrides[name];
      if (o) return o(...args);
      return name === 'echoResultPointString' || name === 'echoResultUnit' ? resultEcho(args[0]) : args[0];
    };
  }
  const ex = await instantiate({
    'test:kitchen-sink/host': host,
    log(msg: string) {
      calls.push(['log', [msg]]);
      logs.push(msg);
      overrides.log?.(msg);
    },
  });
  return { ex, calls, logs, overrides, baseline: ex.allocatedBytes() };
}

/**
 * Echoes a `result` the way a host import returns one: `ok` as its payload, `err` thrown as a
 * `ComponentError` carrying the payload.
 */
export function resultEcho(v: unknown): unknown {
  const r = v as { tag: 'ok' | 'err'; val?: unknown };
  if (r.tag === 'err') throw new ComponentError(r.val);
  return r.val;
}

/** The bits of `x` as an f32 (`Math.fround` semantics). */
export function f32Bits(x: number): number {
  const f = new Float32Array([x]);
  return new Uint32Array(f.buffer)[0]!;
}

/** The f32 with bits `b`. */
export function f32FromBits(b: number): number {
  return new Float32Array(new Uint32Array([b]).buffer)[0]!;
}

/** The bits of `x` as an f64. */
export function f64Bits(x: number): bigint {
  return new BigUint64Array(new Float64Array([x]).buffer)[0]!;
}

/** The f64 with bits `b`. */
export function f64FromBits(b: bigint): number {
  return new Float64Array(new BigUint64Array([b]).buffer)[0]!;
}
