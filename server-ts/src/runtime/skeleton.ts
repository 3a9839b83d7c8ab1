/**
 * The skeleton is what goes through `v8.serialize` when a value holds more
 * than structured-clone data: a copy of the value in which every tensor,
 * model, binary view, class instance and Error is replaced by a marker
 * object. A marker is a plain object with the own key `markerKey`, whose
 * value says which marker it is. Bulk bytes live in blob files and markers
 * point at them by index. A user object that itself owns `markerKey` is
 * escaped as an `object` marker, so decoding is never ambiguous.
 */
import type { ModelArtifactsLike, NumericDtype } from './tf-values.js';

export const markerKey = '\u0000cellflow';

/** Bytes kept inside the skeleton, or the index of a blob file. */
export type BytesRef = { inline: Uint8Array } | { blob: number };

export interface TensorMarker {
  [markerKey]: 'tensor';
  dtype: NumericDtype;
  shape: number[];
  data: BytesRef;
  /** Set when the tensor was a tf.Variable. */
  variable?: { trainable: boolean };
}

export interface StringTensorMarker {
  [markerKey]: 'string-tensor';
  shape: number[];
  strings: Uint8Array[];
  variable?: { trainable: boolean };
}

export interface ModelMarker {
  [markerKey]: 'model';
  /** Everything tfjs saved except the weight bytes. */
  artifacts: ModelArtifactsLike;
  /** Blob holding the weights (model weights, then optimizer weights). */
  weights: number;
  withOptimizer: boolean;
}

export interface ViewMarker {
  [markerKey]: 'view';
  /** 'Buffer', 'DataView' or a typed array name such as 'Float32Array'. */
  type: string;
  data: BytesRef;
}

export interface ArrayBufferMarker {
  [markerKey]: 'array-buffer';
  shared: boolean;
  data: BytesRef;
}

export type InstanceBase = 'object' | 'map' | 'set' | 'array' | 'error';

export interface InstanceMarker {
  [markerKey]: 'instance';
  className: string;
  /** Where it sat when saved, for the error if the class is missing on load. */
  path: string;
  base: InstanceBase;
  fields: [string, unknown][];
  /** Elements (array, set) or [key, value] pairs (map) of a built-in base. */
  items?: unknown[];
  error?: ErrorParts;
}

export interface ErrorMarker extends ErrorParts {
  [markerKey]: 'error';
  /** A built-in error constructor name, e.g. 'TypeError'. */
  type: string;
  fields: [string, unknown][];
}

export interface ErrorParts {
  message: string;
  stack?: string;
  cause?: { value: unknown };
}

export interface ClassMarker {
  [markerKey]: 'class';
  className: string;
  path: string;
}

export interface EscapedObjectMarker {
  [markerKey]: 'object';
  entries: [string, unknown][];
}

export type Marker =
  | TensorMarker
  | StringTensorMarker
  | ModelMarker
  | ViewMarker
  | ArrayBufferMarker
  | InstanceMarker
  | ErrorMarker
  | ClassMarker
  | EscapedObjectMarker;

/** What `v8.serialize` receives when the value needed markers. */
export interface Skeleton {
  root: unknown;
  /** The model markers inside `root`, so they can be loaded (async) before the walk. */
  models: ModelMarker[];
}

export function isMarker(value: object): value is Marker {
  return Object.hasOwn(value, markerKey);
}

/** Assigns an own data property, even one named `__proto__`. */
export function setOwn(target: object, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true
    });
  } else {
    (target as Record<string, unknown>)[key] = value;
  }
}

export const builtinErrors: Record<string, ErrorConstructor> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError
};
