import { describe, expect, it } from 'vitest';
import {
  ComponentError,
  Trap,
  describeValue,
  rangeError,
  renderValue,
  trap,
  typeError,
} from '../../src/runtime/errors.js';

describe('ComponentError', () => {
  it('carries the payload and renders it in the message', () => {
    const e = new ComponentError({ tag: 'not-found', val: 'a.txt' });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ComponentError');
    expect(e.payload).toEqual({ tag: 'not-found', val: 'a.txt' });
    expect(e.message).toBe('component error: { tag: "not-found", val: "a.txt" }');
  });

  it('uses a string payload as-is and truncates long ones', () => {
    expect(new ComponentError('permission-denied').message).toBe('component error: permission-denied');
    const long = new ComponentError('x'.repeat(500)).message;
    expect(long.length).toBeLessThan(120);
    expect(long.endsWith('…')).toBe(true);
  });

  it('renders undefined, bigints and nested values', () => {
    expect(new ComponentError(undefined).message).toBe('component error: undefined');
    expect(new ComponentError(5n).message).toBe('component error: 5n');
    expect(new ComponentError([1, [2, [3, [4]]]]).message).toBe('component error: [1, [2, […]]]');
  });

  it('passes the cause through', () => {
    const cause = new Error('inner');
    expect(new ComponentError(1, { cause }).cause).toBe(cause);
  });
});

describe('Trap', () => {
  it('is a WebAssembly.RuntimeError with a reason', () => {
    const t = new Trap('invalid utf-8');
    expect(t).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(t).toBeInstanceOf(Error);
    expect(t.reason).toBe('invalid utf-8');
    expect(t.message).toBe('wasm trap: invalid utf-8');
    expect(t.name).toBe('Trap');
    expect(String(t)).toBe('Trap: wasm trap: invalid utf-8');
  });

  it('trap() throws one', () => {
    expect(() => trap('bad handle')).toThrow(Trap);
    expect(() => trap('bad handle')).toThrow('wasm trap: bad handle');
  });
});

describe('validation helpers', () => {
  it('describeValue names what a value is', () => {
    expect(describeValue(1)).toBe('number');
    expect(describeValue('s')).toBe('string');
    expect(describeValue(1n)).toBe('bigint');
    expect(describeValue(true)).toBe('boolean');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(Symbol('x'))).toBe('symbol');
    expect(describeValue(() => 1)).toBe('function');
    expect(describeValue([])).toBe('array');
    expect(describeValue({})).toBe('object');
    expect(describeValue(Object.create(null))).toBe('object');
    expect(describeValue(new Uint8Array(1))).toBe('Uint8Array');
    expect(describeValue(new Map())).toBe('Map');
    class Point {}
    expect(describeValue(new Point())).toBe('Point');
  });

  it('typeError and rangeError throw with the path first', () => {
    expect(() => typeError('points[3].label', 'string', 5)).toThrow(
      new TypeError('points[3].label: expected string, got number'),
    );
    expect(() => rangeError('x', 'expected u8 (an integer in [0, 255]), got 300')).toThrow(
      new RangeError('x: expected u8 (an integer in [0, 255]), got 300'),
    );
  });

  it('renderValue is short', () => {
    expect(renderValue('a')).toBe('"a"');
    expect(renderValue({ a: 1, b: [1, 2] })).toBe('{ a: 1, b: [1, 2] }');
    expect(renderValue(new Uint8Array(3))).toBe('Uint8Array');
    expect(renderValue(Array.from({ length: 20 }, (_, i) => i))).toBe('[0, 1, 2, 3, 4, 5, 6, 7, …]');
    expect(renderValue({ s: 'y'.repeat(200) }).length).toBeLessThanOrEqual(80);
  });
});
