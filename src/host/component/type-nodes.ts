/**
 * The shapes of `types.ts`: the nodes of the type arena, entity types, resolved scopes and the
 * typing of a component.
 */
import type { Component, DefinedType, FuncType, ValType } from './model.js';

/** An id in the `ComponentTypes` arena (`types.ts`). */
export type TypeId = number & { readonly __brand: 'ComponentTypeId' };

/** The type of an import, export or instance export (`ComponentEntityType`). */
export type EntityType =
  | { readonly sort: 'func'; readonly type: TypeId }
  /** `referenced` is the type named; `created` the new index the import/export introduces. */
  | { readonly sort: 'type'; readonly referenced: TypeId; readonly created: TypeId }
  | { readonly sort: 'instance'; readonly type: TypeId }
  | { readonly sort: 'component'; readonly type: TypeId }
  | { readonly sort: 'value'; readonly type: ValType<TypeId> }
  | { readonly sort: 'core-module' };

export type ResourceOrigin =
  /** `(type (resource …))` in a component: `definition` indexes `component.definitions`. */
  | { readonly kind: 'defined'; readonly component: Component; readonly definition: number }
  /** `(sub resource)` in an import or a type's declarator. */
  | { readonly kind: 'abstract' }
  /** A fresh copy made when importing an instance or instantiating a component. */
  | { readonly kind: 'fresh'; readonly from: TypeId };

export type TypeNode =
  | { readonly kind: 'alias'; readonly of: TypeId }
  | { readonly kind: 'defined'; readonly type: DefinedType<TypeId> }
  | { readonly kind: 'resource'; readonly origin: ResourceOrigin }
  | ({ readonly kind: 'func' } & FuncType<TypeId>)
  | { readonly kind: 'instance'; readonly exports: ReadonlyMap<string, EntityType> }
  | {
      readonly kind: 'component';
      readonly imports: ReadonlyMap<string, EntityType>;
      readonly exports: ReadonlyMap<string, EntityType>;
      /** Resources the component defines (fresh per instantiation). */
      readonly definedResources: readonly TypeId[];
    };

/** One scope's component-level index spaces, resolved (a component, or a component/instance type). */
export interface TypeScope {
  readonly parent: TypeScope | null;
  readonly types: TypeId[];
  /** The func type of every func index. */
  readonly funcs: TypeId[];
  /** The instance type of every instance index. */
  readonly instances: TypeId[];
  /** The component type of every component index. */
  readonly components: TypeId[];
  readonly values: ValType<TypeId>[];
  /** Resources defined by `resource` type definitions in this scope. */
  readonly definedResources: TypeId[];
}

export interface Extern {
  readonly kind: 'import' | 'export';
  readonly name: string;
  readonly entity: EntityType;
  /** Index into `component.definitions`. */
  readonly definition: number;
}

/** The types of one component definition (the root, or a nested one). */
export interface ComponentTyping {
  readonly component: Component;
  readonly scope: TypeScope;
  /** Imports and exports in binary order. */
  readonly externs: readonly Extern[];
  /** The component's type (a `component` node). */
  readonly type: TypeId;
}
