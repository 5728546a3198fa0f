/**
 * Error types shared by generated bindings and the runtime helpers.
 *
 * Three kinds of failure cross a component boundary, and each gets its own type:
 *
 * - {@link ComponentError}: the `err` case of a `result` returned by a function. Guest exports
 *   raise it through the generated wrapper; host imports throw it to return `err`.
 * - {@link Trap}: the guest broke the canonical ABI (invalid UTF-8, a discriminant out of range,
 *   a misaligned or out-of-bounds pointer, a bad handle, ...). After a trap the instance must not
 *   be used again (CanonicalABI.md: a trap poisons the component instance).
 * - `TypeError` / `RangeError` with an argument path: the host passed a JS value that does not
 *   belong to the WIT type (`points[3].label: expected string, got number`). These are thrown
 *   before any guest memory is touched whenever the generated code can arrange that.
 *
 * Everything that builds a message lives here, out of the hot paths: callers test a cheap
 * condition inline and call one of the `never`-returning helpers only on failure.
 *
 * @module
 */

/** The longest rendering of a value that goes into an error message. */
const MAX_RENDER = 80;

/**
 * The `err` payload of a `result<_, E>` returned by a component function (or thrown by a host
 * import to return `err`). `payload` is the lifted `E` value (`undefined` for `result<T>` without
 * an error type). One class for every API and CLI mode, exported by `witbind/runtime`.
 */
export class ComponentError extends Error {
  override name = 'ComponentError';
  /** The `err` value of the `result`. */
  readonly payload: unknown;

  constructor(payload: unknown, options?: ErrorOptions) {
    super(`component error: ${renderPayload(payload)}`, options);
    this.payload = payload;
  }
}

/**
 * A canonical-ABI violation by the guest: the call traps. Extends `WebAssembly.RuntimeError` so
 * that `catch (e) { if (e instanceof WebAssembly.RuntimeError) … }` handles traps raised by the
 * engine (`unreachable`, out-of-bounds loads) and traps raised by the bindings alike; a trap is a
 * trap no matter which side of the boundary detects it. `instanceof Trap` tells the two apart.
 */
export class Trap extends WebAssembly.RuntimeError {
  // An instance field rather than a prototype assignment: a module-level statement would be a
  // side effect that keeps this module in every bundle.
  override name = 'Trap';
  /** Why the call trapped, e.g. `"invalid utf-8"`. */
  readonly reason: string;

  /** `options.cause`: what made it trap (a host import's exception). */
  constructor(reason: string, options?: ErrorOptions) {
    super(`wasm trap: ${reason}`);
    this.reason = reason;
    // (TypeScript's lib types RuntimeError without the options argument the engines take.)
    if (options !== undefined && 'cause' in options) {
      Object.defineProperty(this, 'cause', { value: options.cause, writable: true, configurable: true });
    }
  }
}

/** Throws a {@link Trap}. Written as a function so call sites stay one short line. */
export function trap(reason: string): never {
  throw new Trap(reason);
}

/**
 * A short description of what a value is, for "got …" in messages: `number`, `string`, `bigint`,
 * `boolean`, `undefined`, `null`, `symbol`, `function`, `array`, the constructor name of a class
 * instance (`Uint8Array`, `Map`), or `object`.
 */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  const t = typeof v;
  if (t !== 'object') return t;
  if (Array.isArray(v)) return 'array';
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto === null || proto === Object.prototype) return 'object';
  const ctor = (proto as { constructor?: unknown }).constructor;
  if (typeof ctor === 'function' && typeof ctor.name === 'string' && ctor.name !== '') {
    return ctor.name;
  }
  return 'object';
}

/**
 * Renders a value for a message, truncated to a short length: strings are quoted, bigints get
 * their `n`, arrays and plain objects are shown shallowly.
 */
export function renderValue(v: unknown): string {
  const s = renderInner(v, 0);
  return s.length > MAX_RENDER ? `${s.slice(0, MAX_RENDER - 1)}…` : s;
}

function renderInner(v: unknown, depth: number): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v.length > MAX_RENDER ? v.slice(0, MAX_RENDER) : v);
    case 'bigint':
      return `${v}n`;
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(v);
    case 'symbol':
      return v.toString();
    case 'function':
      return 'function';
    case 'object':
      break;
  }
  if (v === null) return 'null';
  if (depth >= 2) return Array.isArray(v) ? '[…]' : '{…}';
  if (Array.isArray(v)) {
    const parts: string[] = [];
    for (let i = 0; i < v.length && i < 8; i++) parts.push(renderInner(v[i], depth + 1));
    if (v.length > 8) parts.push('…');
    return `[${parts.join(', ')}]`;
  }
  const name = describeValue(v);
  if (name !== 'object') return name;
  const parts: string[] = [];
  let n = 0;
  for (const key of Object.keys(v)) {
    if (n++ === 8) {
      parts.push('…');
      break;
    }
    parts.push(`${key}: ${renderInner((v as Record<string, unknown>)[key], depth + 1)}`);
  }
  return `{ ${parts.join(', ')} }`;
}

/** The message text for a {@link ComponentError} payload: strings as-is, anything else rendered. */
function renderPayload(payload: unknown): string {
  if (typeof payload === 'string') {
    return payload.length > MAX_RENDER ? `${payload.slice(0, MAX_RENDER - 1)}…` : payload;
  }
  return renderValue(payload);
}

/** The errors that report a wrong host value ({@link valueError}). */
const VALUE_ERRORS = /* @__PURE__ */ new WeakSet<object>();

/**
 * Marks `e` as the report of a wrong host value (a `TypeError`/`RangeError` naming its path),
 * thrown by the generated validators and the runtime's checks: an import wrapper passes such an
 * error through as it is, while anything else a host import throws becomes a {@link Trap} naming
 * the import (see `CoreInstance.importFailed`).
 */
export function valueError<E extends Error>(e: E): E {
  VALUE_ERRORS.add(e);
  return e;
}

/** Whether `e` was made by {@link valueError}. */
export function isValueError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && VALUE_ERRORS.has(e);
}

/**
 * Throws `TypeError("<path>: expected <expected>, got <describeValue(got)>")`, e.g.
 * `points[3].label: expected string, got number`.
 */
export function typeError(path: string, expected: string, got: unknown): never {
  throw valueError(new TypeError(`${path}: expected ${expected}, got ${describeValue(got)}`));
}

/** Throws `RangeError("<path>: <msg>")`, e.g. `x: expected u8 (an integer in [0, 255]), got 300`. */
export function rangeError(path: string, msg: string): never {
  throw valueError(new RangeError(`${path}: ${msg}`));
}
