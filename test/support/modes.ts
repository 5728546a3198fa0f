/**
 * The ways a test guest can be hosted, so that one table of cases drives all of them:
 * - `core`: the C guest's core module through witbind's generated `instantiateCore`;
 * - `component`: the same guest wrapped into a component by wit-component, through the same
 *   generated module's `instantiateComponent`;
 * - `jco`: that component through `jco transpile` (the reference implementation), side by side.
 *
 * Imports are always given in witbind's shape; for jco they are converted (`jcoImports`).
 * The component and jco support is loaded lazily, so core-module tests do not pay for it.
 */
import { guest, loadBindings } from './bindings.js';

export const MODES = ['core', 'component', 'jco'] as const;
export type Mode = (typeof MODES)[number];

/** The modes that host a component (witbind's and jco's). */
export const COMPONENT_MODES = ['component', 'jco'] as const satisfies readonly Mode[];

export type Encoding = 'utf8' | 'utf16' | 'latin1+utf16';

/** A committed C guest (guests/<name>/) and the WIT it implements. */
export interface TestGuest {
  readonly name: string;
  readonly wit: string;
  readonly encoding?: Encoding;
}

export const MACHINE: TestGuest = { name: 'machine', wit: 'wit/machine.wit' };
export const MANY_PARAMS: TestGuest = { name: 'many-params', wit: 'wit/codegen/many-params.wit' };
export const KITCHEN_SINK: TestGuest = { name: 'kitchen-sink', wit: 'wit/codegen/kitchen-sink.wit' };
export const STRINGS_UTF16: TestGuest = { name: 'strings-utf16', wit: 'wit/codegen/strings-utf16.wit', encoding: 'utf16' };
export const STRINGS_LATIN1: TestGuest = {
  name: 'strings-latin1',
  wit: 'wit/codegen/strings-latin1.wit',
  encoding: 'latin1+utf16',
};

/** Instantiates a guest with imports in witbind's shape and returns the exports. */
export type Instantiate = (imports?: Record<string, unknown>) => Promise<any>;

/** The generated bindings of a guest (one module serves both witbind modes). */
export function guestBindings(g: TestGuest): Promise<any> {
  return loadBindings(g.wit, { name: g.name, ...(g.encoding ? { encoding: g.encoding } : {}) });
}

/** The component made from a C guest by wit-component (cached; see test/component/support.ts). */
export async function guestComponentBytes(g: TestGuest): Promise<Uint8Array> {
  const { GUESTS, guestComponent } = await import('../component/support.js');
  const c = GUESTS.find((x) => x.name === g.name);
  if (c === undefined) throw new Error(`no component recipe for guest ${g.name}`);
  return guestComponent(c);
}

/** Compiles `g` once for `mode`; the result instantiates it any number of times. */
export async function hostGuest(mode: Mode, g: TestGuest): Promise<Instantiate> {
  switch (mode) {
    case 'core': {
      const mod = await guestBindings(g);
      const module = new WebAssembly.Module(new Uint8Array(await guest(g.name)));
      return (imports = {}) => mod.instantiateCore(module, imports);
    }
    case 'component': {
      const mod = await guestBindings(g);
      const compiled = await mod.compileComponent(await guestComponentBytes(g));
      return (imports = {}) => mod.instantiateComponent(compiled, imports);
    }
    case 'jco': {
      const { jcoTranspile, jcoImports } = await import('../component/jco.js');
      const j = await jcoTranspile(g.name, await guestComponentBytes(g));
      return (imports = {}) => j.instantiate(jcoImports(imports));
    }
  }
}
