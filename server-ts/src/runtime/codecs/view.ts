/**
 * Typed arrays, DataViews and Buffers: the view's type, its buffer (encoded
 * like any other value, so views of one ArrayBuffer or SharedArrayBuffer load
 * as views of one buffer, and `view.buffer` stays that buffer), its offset
 * and length. A Buffer is a Uint8Array whose prototype is Buffer.prototype.
 */
import { types } from 'node:util';
import type { Marker } from '../skeleton.js';
import { nonIndexKeys } from './own-keys.js';
import type { Codec } from './types.js';

type ViewMarker = Marker & { type: string; buffer: unknown; byteOffset: number; length: number };
type View = ArrayBufferView & { length?: number };
type ViewConstructor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => View;

const typedArrayPrototype = Object.getPrototypeOf(Int8Array.prototype) as object;
const typedArrayName = Object.getOwnPropertyDescriptor(typedArrayPrototype, Symbol.toStringTag)!.get!;

export const viewCodec: Codec<View, ViewMarker> = {
  kind: 'view',
  record: true,
  test: value => ArrayBuffer.isView(value),
  naturalProto: view => constructorOf(typeOf(view)).prototype as object,
  ownKeys: view => nonIndexKeys(view, elementCount(view), () => freshLike(view), []),
  encode(view, marker, enc) {
    marker.type = typeOf(view);
    marker.buffer = enc.encode(view.buffer, 'buffer');
    marker.byteOffset = view.byteOffset;
    marker.length = elementCount(view);
  },
  decode(marker, dec) {
    const buffer = dec.decode(marker.buffer) as ArrayBufferLike;
    return new (constructorOf(marker.type))(buffer, marker.byteOffset, marker.length);
  }
};

function typeOf(view: ArrayBufferView): string {
  return types.isDataView(view) ? 'DataView' : (typedArrayName.call(view) as string);
}

function elementCount(view: View): number {
  return types.isDataView(view) ? view.byteLength : (view.length as number);
}

function constructorOf(type: string): ViewConstructor {
  const ctor = (globalThis as unknown as Record<string, unknown>)[type];
  if (typeof ctor !== 'function' || !(type === 'DataView' || type.endsWith('Array'))) {
    throw new Error(`cellflow: this Node.js has no ${type}`);
  }
  return ctor as ViewConstructor;
}

/** A view like `view` (same type, prototype, buffer, offset and length) with no own properties. */
function freshLike(view: View): object {
  const fresh = new (constructorOf(typeOf(view)))(view.buffer, view.byteOffset, elementCount(view));
  const proto = Object.getPrototypeOf(view) as object | null;
  if (Object.getPrototypeOf(fresh) !== proto) Object.setPrototypeOf(fresh, proto);
  return fresh;
}
