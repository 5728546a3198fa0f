/** Small helpers for asserting how a call ended, the same way in every hosting mode. */
import { expect } from 'vitest';
import { ComponentError, Trap } from '../../src/runtime/index.js';
import type { Mode } from './modes.js';

/** What `f()` threw; fails the test if it returned. */
export function thrownBy(f: () => unknown): any {
  try {
    f();
  } catch (err) {
    return err;
  }
  return expect.fail('expected the call to throw, but it returned');
}

/** The reason of the `Trap` that `f()` threw; rethrows anything else, fails if it returned. */
export function trapReason(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof Trap) return e.reason;
    throw e;
  }
  return expect.fail('expected a trap');
}

/**
 * Checks that `err` is the error an `err` result is thrown as: witbind's one `ComponentError`
 * class (exported by its runtime); in jco, the `ComponentError` class each generated module
 * defines for itself (not exported, so only its name and own `payload` can be checked).
 */
export function expectComponentError(err: unknown, mode: Mode): void {
  if (mode === 'jco') {
    expect((err as Error)?.constructor?.name).toBe('ComponentError');
    expect(err).toBeInstanceOf(Error);
    expect(Object.prototype.hasOwnProperty.call(err, 'payload')).toBe(true);
  } else {
    expect(err).toBeInstanceOf(ComponentError);
  }
}

/** Calls `f` and returns the payload of the ComponentError it threw (see `expectComponentError`). */
export function errPayload(mode: Mode, f: () => unknown): unknown {
  const err = thrownBy(f);
  expectComponentError(err, mode);
  return err.payload;
}

/**
 * How jco ends a call where witbind ends it differently: it `returns` a value (accepting what
 * witbind rejects), `throws` an error that is not a trap (`leaks`: bytes of guest memory it
 * allocated before failing and never freed), or the guest `traps` (jco's own message).
 */
export type JcoOutcome =
  | { readonly returns: unknown }
  | { readonly throws: ErrorConstructor; readonly message: string | RegExp; readonly leaks?: number }
  | { readonly traps: string };

/** Asserts that `call` ended the way jco ends it (see the `JCO_*` tables of the kitchen-sink suites). */
export function expectJcoOutcome(j: JcoOutcome, call: () => unknown): void {
  let value: unknown;
  let err: unknown;
  let threw = false;
  try {
    value = call();
  } catch (e) {
    err = e;
    threw = true;
  }
  if ('returns' in j) {
    expect(threw, `returned ${String(value)}; threw ${String(err)}`).toBe(false);
    expect(value).toEqual(j.returns);
    if (value instanceof Map) expect([...value]).toEqual([...(j.returns as Map<unknown, unknown>)]);
  } else if ('throws' in j) {
    expect(threw).toBe(true);
    expect(err).toBeInstanceOf(j.throws);
    expect(err).not.toBeInstanceOf(WebAssembly.RuntimeError);
    if (typeof j.message === 'string') expect((err as Error).message).toBe(j.message);
    else expect((err as Error).message).toMatch(j.message);
  } else {
    expect(err).toBeInstanceOf(WebAssembly.RuntimeError);
    expect((err as Error).message).toBe(j.traps);
  }
}
