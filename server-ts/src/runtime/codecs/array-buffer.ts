/**
 * ArrayBuffers. A small plain one goes to v8 as is (v8 keeps it one object,
 * so its views share it). A large one is a blob written straight from its
 * memory, and on load the blob's own buffer is the value: no copy.
 */
import { types } from 'node:util';
import type { BytesRef, Marker } from '../skeleton.js';
import { inlineByteLimit } from '../limits.js';
import { hasNoOwnKeys } from './own-keys.js';
import type { Codec } from './types.js';

export const arrayBufferCodec: Codec<ArrayBuffer, Marker & { data: BytesRef }> = {
  kind: 'array-buffer',
  record: true,
  test: value => types.isArrayBuffer(value),
  naturalProto: () => ArrayBuffer.prototype,
  isPlain: buffer =>
    buffer.byteLength <= inlineByteLimit &&
    !isResizable(buffer) &&
    Object.getPrototypeOf(buffer) === ArrayBuffer.prototype &&
    Object.isExtensible(buffer) &&
    hasNoOwnKeys(buffer),
  plainCopy: (buffer, enc) => enc.remember(buffer, buffer),
  encode(buffer, marker, enc) {
    if (isResizable(buffer)) {
      throw enc.fail({
        what: 'a resizable ArrayBuffer',
        hint: 'copy it into a fixed-length one (`buffer.slice(0)`) before the step ends'
      });
    }
    marker.data = enc.bytes(new Uint8Array(buffer), `ArrayBuffer at ${enc.here()}`);
  },
  decode: (marker, dec) => dec.bytes(marker.data)
};

export const sharedArrayBufferCodec: Codec<SharedArrayBuffer, Marker & { data: BytesRef }> = {
  kind: 'shared-array-buffer',
  record: true,
  test: value => types.isSharedArrayBuffer(value),
  naturalProto: () => SharedArrayBuffer.prototype,
  encode(buffer, marker, enc) {
    if ((buffer as { growable?: boolean }).growable === true) {
      throw enc.fail({
        what: 'a growable SharedArrayBuffer',
        hint: 'copy it into a fixed-length SharedArrayBuffer before the step ends'
      });
    }
    marker.data = enc.bytes(new Uint8Array(buffer), `SharedArrayBuffer at ${enc.here()}`);
  },
  decode(marker, dec) {
    const bytes = new Uint8Array(dec.bytes(marker.data));
    const shared = new SharedArrayBuffer(bytes.byteLength);
    new Uint8Array(shared).set(bytes);
    return shared;
  }
};

function isResizable(buffer: ArrayBuffer): boolean {
  return (buffer as { resizable?: boolean }).resizable === true;
}
