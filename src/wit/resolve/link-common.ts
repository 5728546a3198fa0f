/**
 * Shared by the linking modules: the internal error that abandons linking (with wasm-tools-style
 * context chains) and mutable views of the model's records while they are being built.
 */
import type { WitDiagnostic } from '../errors.js';
import type { Interface, TypeDef, TypeOwner, World } from '../model.js';
import type { Span } from '../source-map.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type MTypeDef = Mutable<TypeDef>;
export type MInterface = Mutable<Interface>;
export type MWorld = Mutable<World>;

/** Thrown internally when linking fails. */
export class LinkError {
  constructor(readonly diagnostic: WitDiagnostic) {}
}

export function fail(span: Span | null, message: string, context?: readonly string[]): never {
  throw new LinkError(context ? { kind: 'resolve', message, span, context } : { kind: 'resolve', message, span });
}

/** Runs `f`, prefixing any link error with `context` (anyhow's `with_context`). */
export function withContext<T>(context: () => string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof LinkError) {
      const d = e.diagnostic;
      throw new LinkError({ ...d, context: [context(), ...(d.context ?? [])] });
    }
    throw e;
  }
}

/** Runs `f`, appending `suffix` to the message of any link error. */
export function withSuffix<T>(suffix: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof LinkError) throw new LinkError({ ...e.diagnostic, message: e.diagnostic.message + suffix });
    throw e;
  }
}

export function sameOwner(a: TypeOwner, b: TypeOwner): boolean {
  return a.kind === b.kind && (a.kind === 'none' || (b.kind !== 'none' && a.id === b.id));
}
