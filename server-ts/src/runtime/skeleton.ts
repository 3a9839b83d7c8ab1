/**
 * The skeleton is what goes through `v8.serialize` when a group of values
 * holds more than structured-clone data: a copy of the graph in which every
 * value v8 would not bring back exactly is replaced by a marker. A marker is
 * a plain object with the own key `markerKey`, whose value names the codec
 * that wrote it (see codecs/). Plain objects, arrays, Maps and Sets that v8
 * does bring back exactly stay containers, their members encoded in turn; a
 * plain object that itself owns `markerKey` is written as an `object` record,
 * so decoding is never ambiguous. Bulk bytes live in blob files and markers
 * point at them by index.
 */

export const markerKey = '\u0000cellflow';

/** Bytes kept inside the skeleton (an exactly sized ArrayBuffer), or the index of a blob file. */
export type BytesRef = { inline: ArrayBuffer } | { blob: number };

/** Every marker: the codec kind under `markerKey`, then that codec's fields. */
export interface Marker {
  [markerKey]: string;
  [field: string]: unknown;
}

/**
 * Where a record's prototype comes from, when it is not its kind's own:
 * null, a class or function from a `functions` cell (by name), a built-in
 * prototype (by name), or another object of the graph (`Object.create(o)`).
 */
export type ProtoRef = null | { class: string } | { function: string } | { builtin: string } | { object: unknown };

/**
 * The fields the walk core adds to every record marker (an object with own
 * properties, as opposed to a leaf such as a tensor or a function reference).
 */
export interface RecordFields {
  /** Absent: the kind's own prototype (Object.prototype, Map.prototype, ...). */
  proto?: ProtoRef;
  /** Own properties in order, three entries each: key (string or symbol marker), value, flags. */
  props?: unknown[];
  /** Present (false) when the object was not extensible. */
  ext?: false;
}

/** Property attribute bits in `props`. */
export const WRITABLE = 1;
export const ENUMERABLE = 2;
export const CONFIGURABLE = 4;

/** What `v8.serialize` receives for a marked group. */
export interface Skeleton {
  roots: unknown[];
  /** The model markers inside `roots`, so they can be loaded (async) before the walk. */
  models: Marker[];
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
