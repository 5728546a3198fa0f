/**
 * `witbind/runtime`: the helpers generated bindings import. Every export is side-effect free and
 * tree-shakable; see each module for the design notes.
 *
 * @module
 */

export {
  ComponentError,
  Trap,
  describeValue,
  rangeError,
  renderValue,
  trap,
  typeError,
} from './errors.js';

export {
  LIST_F32,
  LIST_F64,
  LIST_S16,
  LIST_S32,
  LIST_S64,
  LIST_S8,
  LIST_U16,
  LIST_U32,
  LIST_U64,
  LIST_U8,
  LITTLE_ENDIAN,
  MAX_LIST_BYTE_LENGTH,
  MemoryViews,
  checkAlign,
  checkBounds,
  checkListRange,
  checkNumList,
  liftNumList,
  lowerNumList,
  reallocChecked,
  type MemoryLike,
  type NumListKind,
  type NumericArray,
  type Realloc,
} from './memory.js';

export {
  MAX_STRING_BYTE_LENGTH,
  UTF16_TAG,
  checkString,
  latin1Utf16Decode,
  latin1Utf16Encode,
  loweredLen,
  prepareUtf8,
  utf16Decode,
  utf16Encode,
  utf8Decode,
  utf8Encode,
} from './string.js';

export {
  badNumber,
  canonNaN,
  checkBool,
  checkChar,
  checkF32,
  checkF64,
  checkS16,
  checkS32,
  checkS64,
  checkS8,
  checkU16,
  checkU32,
  checkU64,
  checkU8,
  f32ToI32,
  f32ToI64,
  f64ToI64,
  i32ToF32,
  i32ToI64,
  i64ToF32,
  i64ToF64,
  i64ToI32,
  isS16,
  isS32,
  isS64,
  isS8,
  isU16,
  isU32,
  isU64,
  isU8,
  liftBool,
  liftChar,
  liftS16,
  liftS32,
  liftS64,
  liftS8,
  liftU16,
  liftU32,
  liftU64,
  liftU8,
  type IntKind,
} from './numbers.js';

export {
  HandleTable,
  MAX_HANDLE_INDEX,
  ResourceTable,
  type HandleEntry,
} from './resources.js';

export { CoreInstance, DISPOSED, GuestResource, MOVED, deadResource, type CoreExportsLike } from './instance.js';
export { coreFunc, optionalCoreFunc, postReturnFunc, importTable, compileCore, instantiateCoreModule, type CoreFn } from './core.js';
export { invalid, invalidResource, isChar, isUsvString } from './validate.js';
export {
  ComponentLoadError,
  compileComponent,
  instantiateComponentCore,
  isCompiledComponent,
  type CompiledComponent,
  type ComponentLinkOptions,
} from './component.js';
export { withWasiDefaults } from './wasi.js';
export { fetchWasm } from './fetch.js';
