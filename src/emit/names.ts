/**
 * WIT kebab-case names → JavaScript/TypeScript identifiers (js-values.md "Names"). The only place
 * that converts names (style guide §11).
 */

/** Words of a kebab name; `%` escapes are already gone in the model. */
function words(kebab: string): string[] {
  return kebab.split('-').filter((w) => w.length > 0);
}

function isUpper(word: string): boolean {
  return word === word.toUpperCase() && /[A-Z]/.test(word);
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** `get-u64` → `getU64`, `r-g-b-a` → `rGBA`; an all-caps word stays as written. */
export function lowerCamel(kebab: string): string {
  return words(kebab)
    .map((w, i) => (i === 0 ? (isUpper(w) ? w.toLowerCase() : w) : capitalize(w)))
    .join('');
}

/** `point-3d` → `Point3d`, `http-URL` → `HttpURL`. */
export function upperCamel(kebab: string): string {
  return words(kebab).map(capitalize).join('');
}

/**
 * Reserved words of JavaScript and TypeScript that cannot be binding names (parameters, locals,
 * declarations). Property names may be reserved words; bindings may not.
 */
const RESERVED = new Set([
  'arguments', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger',
  'default', 'delete', 'do', 'else', 'enum', 'eval', 'export', 'extends', 'false', 'finally',
  'for', 'function', 'if', 'implements', 'import', 'in', 'instanceof', 'interface', 'let', 'new',
  'null', 'package', 'private', 'protected', 'public', 'return', 'static', 'super', 'switch',
  'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'any',
  'boolean', 'constructor', 'declare', 'get', 'module', 'require', 'number', 'set', 'string',
  'symbol', 'type', 'from', 'of', 'as', 'async', 'namespace', 'never', 'unknown', 'object',
  'undefined', 'bigint', 'keyof', 'readonly', 'infer', 'is', 'asserts', 'satisfies', 'accessor',
  'out', 'global', 'abstract', 'override', 'unique',
]);

/** Global names the generated code refers to; a type with such a name would shadow it. */
const RESERVED_TYPES = new Set([
  'Array', 'ArrayBuffer', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean', 'DataView',
  'Date', 'Disposable', 'Error', 'Float32Array', 'Float64Array', 'Function', 'Int16Array',
  'Int32Array', 'Int8Array', 'Map', 'Number', 'Object', 'Promise', 'Record', 'RangeError',
  'Response', 'Set', 'String', 'Symbol', 'TypeError', 'Uint16Array', 'Uint32Array', 'Uint8Array',
  'WebAssembly', 'Partial', 'Readonly', 'Exclude', 'Extract',
  'ComponentError', 'Trap', 'MemoryViews', 'Exports', 'Imports',
  // What the generated module declares or imports by name.
  'CoreLink', 'CoreInstance', 'CoreExportsLike', 'CompiledComponent', 'GuestResource',
  'InstantiateCoreOptions',
]);

/**
 * Identifiers the generated code binds where parameters are in scope, which a parameter of the
 * same name would shadow: the instance state and exports (`st`, `ex`, `link`) and the lowercase
 * helpers of the runtime (every lowercase export of `src/runtime/index.ts`; a test in
 * test/property/regressions.test.ts keeps this list complete).
 */
const GENERATED = new Set([
  'st', 'ex', 'link', 'raw', 'module', 'options', 'imports', 'source', 'thrown', 'failed', 'pendingFailed', 'pendingError',
  'describeValue', 'rangeError', 'renderValue', 'trap', 'typeError', 'checkAlign', 'checkBounds',
  'checkListRange', 'checkNumList', 'liftNumList', 'lowerNumList', 'reallocChecked', 'checkString',
  'latin1Utf16Decode', 'latin1Utf16Encode', 'loweredLen', 'utf16Decode', 'utf16Encode', 'utf8Decode',
  'utf8Encode', 'badNumber', 'canonNaN', 'checkBool', 'checkChar', 'checkF32', 'checkF64', 'checkS16',
  'checkS32', 'checkS64', 'checkS8', 'checkU16', 'checkU32', 'checkU64', 'checkU8', 'f32ToI32',
  'f32ToI64', 'f64ToI64', 'i32ToF32', 'i32ToI64', 'i64ToF32', 'i64ToF64', 'i64ToI32', 'isS16', 'isS32',
  'isS64', 'isS8', 'isU16', 'isU32', 'isU64', 'isU8', 'liftBool', 'liftChar', 'liftS16', 'liftS32',
  'liftS64', 'liftS8', 'liftU16', 'liftU32', 'liftU64', 'liftU8', 'deadResource', 'coreFunc',
  'optionalCoreFunc', 'postReturnFunc', 'importTable', 'compileCore', 'instantiateCoreModule', 'invalid',
  'invalidResource', 'isChar', 'isUsvString', 'prepareUtf8', 'compileComponent', 'instantiateComponentCore',
  'isCompiledComponent', 'withWasiDefaults', 'fetchWasm',
]);

/**
 * Numbered identifiers of generated code: temporaries (`p5`, `n6`, `ret3`, … — `#fresh`/`#bind`
 * in function-bindgen.ts), core exports and post-returns (`f0`, `pr0`), import tables (`im1`),
 * validators (`check12`) and the helpers of exports whose `result` is thrown (`x0`).
 */
const NUMBERED = /^(?:[bdefhilnprstvx]|ret|pr|im|check|is)\d+$/;

/**
 * A lowerCamelCase identifier safe as a binding (parameter, variable): `delete` → `delete_`,
 * and `p5` → `p5_`, `st` → `st_` (names the generated code uses itself).
 */
export function bindingName(kebab: string): string {
  const n = lowerCamel(kebab);
  return RESERVED.has(n) || GENERATED.has(n) || NUMBERED.test(n) ? `${n}_` : n;
}

/**
 * An UpperCamelCase type/class name that does not shadow a global the generated code uses nor a
 * name it declares: `map` → `Map_`, and beside the generated declarations of a namespace (`Api`,
 * and `RClass` for a resource `r`), `api` → `Api_` and `r-class` → `RClass_`.
 */
export function typeName(kebab: string): string {
  const n = upperCamel(kebab);
  return RESERVED_TYPES.has(n) || n === 'Api' || (n.endsWith('Class') && n !== 'Class') ? `${n}_` : n;
}

/** The namespace of an interface: `web-assembly` → `WebAssembly_`, `exports` → `Exports_`. */
export function namespaceName(kebab: string): string {
  const n = upperCamel(kebab);
  return RESERVED_TYPES.has(n) ? `${n}_` : n;
}

/** Own properties of every function, so of every class: a static cannot have these names. */
const FUNCTION_OWN = new Set(['name', 'length', 'prototype', 'caller', 'arguments']);

/** The key of a resource method: `constructor` would be the class's constructor → `constructor_`. */
export function methodKey(kebab: string): string {
  const n = lowerCamel(kebab);
  return n === 'constructor' ? `${n}_` : n;
}

/** The key of a resource's static function: `name` → `name_` (see {@link FUNCTION_OWN}). */
export function staticKey(kebab: string): string {
  const n = lowerCamel(kebab);
  return FUNCTION_OWN.has(n) ? `${n}_` : n;
}

/**
 * The key of a world-level export function in the exports object: `then` → `then_`, or the
 * object `instantiateCore` resolves to would be a thenable (awaiting it would call the guest).
 */
export function exportKey(kebab: string): string {
  const n = lowerCamel(kebab);
  return n === 'then' ? `${n}_` : n;
}

/** A method name in an interface declaration: `new(…)` there would be a construct signature. */
export function declKey(name: string): string {
  return name === 'new' ? quote(name) : name;
}

/** A property key: bare when it is an identifier, quoted otherwise (`'xyz:machine/iface'`). */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quote(name);
}

/** A single-quoted JS string literal. */
export function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}
