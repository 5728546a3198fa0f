/**
 * Component binaries: decode them (`decodeComponent`), compute their types (`typeComponent`)
 * and recover their WIT (`componentToWit`).
 */
export {
  COMPONENT_VERSION,
  ComponentDecodeError,
  decodeComponent,
  isComponentBinary,
  MAX_COMPONENT_NESTING,
} from './decode.js';
export type * from './model.js';
export { ALL_SORTS, COMPONENT_SORTS, CORE_SORTS } from './model.js';
export {
  ComponentTypes,
  MAX_VALUE_TYPE_DEPTH,
  typeComponent,
  type ComponentTyping,
  type EntityType,
  type Extern,
  type ResourceOrigin,
  type TypeId as ComponentTypeId,
  type TypeNode,
  type TypeScope,
} from './types.js';
export { ComponentWitError, componentToWit, type ComponentWit } from './to-wit.js';
