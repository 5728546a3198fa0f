/** Small helpers for asserting how a call ended, the same way in every hosting mode. */
import { expect } from 'vitest';

/** What `f()` threw; fails the test if it returned. */
export function thrownBy(f: () => unknown): any {
  try {
    f();
  } catch (err) {
    return err;
  }
  expect.fail('expected the call to throw, but it returned');
}

/** Calls `f` and returns the `payload` of the ComponentError it threw (any class named so: jco has its own). */
export function errPayload(f: () => unknown): unknown {
  const err = thrownBy(f);
  expect(err?.constructor?.name).toBe('ComponentError');
  expect(Object.prototype.hasOwnProperty.call(err, 'payload')).toBe(true);
  return err.payload;
}
