/**
 * Rebuilds a value from a deserialized Skeleton: markers become tensors,
 * models, views, errors and class instances again. Plain containers are
 * fixed up in place (the skeleton is ours to mutate), so loading copies
 * nothing but the markers' contents.
 */
import {
  builtinErrors,
  isMarker,
  markerKey,
  setOwn,
  type BytesRef,
  type ErrorMarker,
  type ErrorParts,
  type InstanceMarker,
  type Marker
} from './skeleton.js';
import { makeNumericTensor, makeStringTensor, makeVariable } from './tf-values.js';
import type { TfModule } from './tfjs.js';
import type { NotebookClass } from './notebook-class.js';

export interface DecodeInputs {
  /** The blob files' contents, by index, each in its own exactly-sized ArrayBuffer. */
  blobs: ArrayBuffer[];
  /** Models already loaded (loading is async), by their marker. */
  models: Map<object, unknown>;
  tf: TfModule | undefined;
  classes: Record<string, NotebookClass>;
  /** Reports a class that no `functions` cell of this step defines. */
  missingClass(className: string, path: string): Error;
}

export function decodeValue(root: unknown, inputs: DecodeInputs): unknown {
  return new Decoder(inputs).decode(root);
}

class Decoder {
  /** Skeleton object -> decoded value; keeps shared references and cycles. */
  private readonly decoded = new Map<object, unknown>();

  constructor(private readonly inputs: DecodeInputs) {
    for (const [marker, model] of inputs.models) this.decoded.set(marker, model);
  }

  decode(value: unknown): unknown {
    if (typeof value !== 'object' || value === null) return value;
    if (this.decoded.has(value)) return this.decoded.get(value);
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype === Object.prototype) {
      return isMarker(value) ? this.decodeMarker(value) : this.decodeObjectInPlace(value);
    }
    if (prototype === Array.prototype) return this.decodeArrayInPlace(value as unknown[]);
    if (prototype === Map.prototype) return this.decodeMap(value as Map<unknown, unknown>);
    if (prototype === Set.prototype) return this.decodeSet(value as Set<unknown>);
    return value; // Date, RegExp, boxed primitives, small ArrayBuffers: v8 restored them
  }

  private decodeObjectInPlace(object: object): object {
    this.decoded.set(object, object);
    const record = object as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const item = record[key];
      const decoded = this.decode(item);
      if (decoded !== item) setOwn(record, key, decoded);
    }
    return object;
  }

  private decodeArrayInPlace(array: unknown[]): unknown[] {
    this.decoded.set(array, array);
    for (let i = 0; i < array.length; i++) {
      if (!(i in array)) continue;
      const item = array[i];
      const decoded = this.decode(item);
      if (decoded !== item) array[i] = decoded;
    }
    return array;
  }

  private decodeMap(map: Map<unknown, unknown>): Map<unknown, unknown> {
    this.decoded.set(map, map);
    const entries = this.decodeEntries([...map]);
    map.clear(); // re-add in order: a key may itself have been a marker
    for (const [key, item] of entries) map.set(key, item);
    return map;
  }

  private decodeSet(set: Set<unknown>): Set<unknown> {
    this.decoded.set(set, set);
    const items = [...set].map(item => this.decode(item));
    set.clear();
    for (const item of items) set.add(item);
    return set;
  }

  private decodeEntries(entries: unknown[]): [unknown, unknown][] {
    return entries.map(entry => {
      const [key, item] = entry as [unknown, unknown];
      return [this.decode(key), this.decode(item)];
    });
  }

  private decodeMarker(marker: Marker): unknown {
    switch (marker[markerKey]) {
      case 'tensor': {
        const tf = this.requireTf();
        const tensor = makeNumericTensor(tf, marker.dtype, marker.shape, this.bytes(marker.data));
        return this.remember(marker, marker.variable ? makeVariable(tf, tensor, marker.variable.trainable) : tensor);
      }
      case 'string-tensor': {
        const tf = this.requireTf();
        const tensor = makeStringTensor(tf, marker.shape, marker.strings);
        return this.remember(marker, marker.variable ? makeVariable(tf, tensor, marker.variable.trainable) : tensor);
      }
      case 'model':
        throw new Error('cellflow: a model marker was not loaded before decoding');
      case 'view':
        return this.remember(marker, makeView(marker.type, this.bytes(marker.data)));
      case 'array-buffer': {
        const bytes = this.bytes(marker.data);
        if (!marker.shared) return this.remember(marker, bytes);
        const shared = new SharedArrayBuffer(bytes.byteLength);
        new Uint8Array(shared).set(new Uint8Array(bytes));
        return this.remember(marker, shared);
      }
      case 'error':
        return this.decodeError(marker);
      case 'instance':
        return this.decodeInstance(marker);
      case 'class':
        return this.remember(marker, this.classNamed(marker.className, marker.path));
      case 'object': {
        const object = this.remember(marker, {});
        for (const [key, item] of marker.entries) setOwn(object, key, this.decode(item));
        return object;
      }
    }
  }

  private decodeError(marker: ErrorMarker): Error {
    const ctor = builtinErrors[marker.type] ?? Error;
    const error = this.remember(marker, new ctor(marker.message));
    this.restoreErrorParts(error, marker);
    this.defineFields(error, marker.fields);
    return error;
  }

  private decodeInstance(marker: InstanceMarker): object {
    const ctor = this.classNamed(marker.className, marker.path);
    // Built-in bases need their internal slots; Reflect.construct makes the
    // object without running the user's constructor.
    const instance: object =
      marker.base === 'map'
        ? Reflect.construct(Map, [], ctor)
        : marker.base === 'set'
          ? Reflect.construct(Set, [], ctor)
          : marker.base === 'array'
            ? Reflect.construct(Array, [], ctor)
            : marker.base === 'error'
              ? Reflect.construct(Error, [marker.error?.message ?? ''], ctor)
              : Object.create((ctor as { prototype: object }).prototype);
    this.remember(marker, instance);
    this.defineFields(instance, marker.fields);
    const items = marker.items ?? [];
    if (marker.base === 'map') {
      for (const [key, item] of this.decodeEntries(items)) Map.prototype.set.call(instance, key, item);
    } else if (marker.base === 'set') {
      for (const item of items) Set.prototype.add.call(instance, this.decode(item));
    } else if (marker.base === 'array') {
      const elements = this.decode(items) as unknown[];
      for (let i = 0; i < elements.length; i++) (instance as unknown[])[i] = elements[i];
    } else if (marker.base === 'error' && marker.error) {
      this.restoreErrorParts(instance as Error, marker.error);
    }
    return instance;
  }

  /** Own data properties, defined (not assigned) so prototype setters stay out of it. */
  private defineFields(target: object, fields: [string, unknown][]): void {
    for (const [key, item] of fields) {
      Object.defineProperty(target, key, {
        value: this.decode(item),
        writable: true,
        enumerable: true,
        configurable: true
      });
    }
  }

  private restoreErrorParts(error: Error, parts: ErrorParts): void {
    const hidden = { writable: true, enumerable: false, configurable: true };
    Object.defineProperty(error, 'message', {
      ...hidden,
      value: parts.message
    });
    if (parts.stack !== undefined) Object.defineProperty(error, 'stack', { ...hidden, value: parts.stack });
    if (parts.cause)
      Object.defineProperty(error, 'cause', {
        ...hidden,
        value: this.decode(parts.cause.value)
      });
  }

  private classNamed(className: string, path: string): NotebookClass {
    const ctor = this.inputs.classes[className];
    if (typeof ctor !== 'function') throw this.inputs.missingClass(className, path);
    return ctor;
  }

  /** The bytes as an ArrayBuffer this value alone owns, at offset 0. */
  private bytes(ref: BytesRef): ArrayBuffer {
    if ('blob' in ref) {
      const blob = this.inputs.blobs[ref.blob];
      if (!blob) throw new Error(`cellflow: blob ${ref.blob} is missing`);
      return blob;
    }
    return ref.inline.slice().buffer as ArrayBuffer;
  }

  private requireTf(): TfModule {
    if (!this.inputs.tf) throw new Error('cellflow: tfjs was not loaded for a value that holds tensors');
    return this.inputs.tf;
  }

  private remember<T>(marker: object, value: T): T {
    this.decoded.set(marker, value);
    return value;
  }
}

function makeView(type: string, bytes: ArrayBuffer): ArrayBufferView {
  if (type === 'Buffer') return Buffer.from(bytes);
  if (type === 'DataView') return new DataView(bytes);
  const ctor = (globalThis as unknown as Record<string, unknown>)[type];
  if (typeof ctor !== 'function' || !type.endsWith('Array')) {
    throw new Error(`cellflow: this Node.js has no ${type}`);
  }
  return new (ctor as new (buffer: ArrayBuffer) => ArrayBufferView)(bytes);
}
