/**
 * Ordinary objects: plain ones (Object.prototype, default data properties,
 * extensible) stay containers for v8; any other (null or notebook-class
 * prototype, attributes, symbol keys, frozen...) is a record whose
 * properties the core writes.
 */
import { markerKey, setOwn, type Marker } from '../skeleton.js';
import { plainStringKeys } from './own-keys.js';
import type { Codec } from './types.js';

export const objectCodec: Codec<object, Marker> = {
  kind: 'object',
  record: true,
  test: value => typeof value === 'object' && value !== null,
  naturalProto: () => Object.prototype,
  isPlain: value =>
    Object.getPrototypeOf(value) === Object.prototype &&
    Object.isExtensible(value) &&
    !Object.hasOwn(value, markerKey) &&
    plainStringKeys(value) !== undefined,
  plainMembers(value, visit) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) visit(record[key]);
  },
  plainCopy(value, enc) {
    const record = value as Record<string, unknown>;
    const copy = enc.remember(value, {});
    for (const key of Object.keys(record)) setOwn(copy, key, enc.encode(record[key], key));
    return copy;
  },
  encode() {},
  decode: (_marker, _dec, proto) => (proto === undefined ? {} : Object.create(proto))
};
