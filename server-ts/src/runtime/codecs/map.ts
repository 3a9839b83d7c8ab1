/** Maps, keys of any kind (objects keep their identity). Subclasses and extra properties make a record. */
import { types } from 'node:util';
import type { Marker } from '../skeleton.js';
import { hasNoOwnKeys } from './own-keys.js';
import type { Codec, EncodeApi } from './types.js';

type MapMarker = Marker & { entries: unknown[] };

export const mapCodec: Codec<Map<unknown, unknown>, MapMarker> = {
  kind: 'map',
  record: true,
  test: value => types.isMap(value),
  naturalProto: () => Map.prototype,
  isPlain: map => Object.getPrototypeOf(map) === Map.prototype && Object.isExtensible(map) && hasNoOwnKeys(map),
  plainMembers(map, visit) {
    for (const [key, item] of Map.prototype.entries.call(map)) {
      visit(key);
      visit(item);
    }
  },
  plainCopy(map, enc) {
    const copy = enc.remember(map, new Map<unknown, unknown>());
    const entries = encodeEntries(map, enc);
    for (let i = 0; i < entries.length; i += 2) copy.set(entries[i], entries[i + 1]);
    return copy;
  },
  encode(map, marker, enc) {
    marker.entries = encodeEntries(map, enc);
  },
  decode: () => new Map(),
  fill(map, marker, dec) {
    const { entries } = marker;
    for (let i = 0; i < entries.length; i += 2) {
      Map.prototype.set.call(map, dec.decode(entries[i]), dec.decode(entries[i + 1]));
    }
  }
};

/** Keys and values, flat: [key0, value0, key1, value1, ...]. */
function encodeEntries(map: Map<unknown, unknown>, enc: EncodeApi): unknown[] {
  const entries: unknown[] = [];
  let index = 0;
  for (const [key, item] of Map.prototype.entries.call(map)) {
    entries.push(enc.encode(key, { mapKeyAt: index }), enc.encode(item, { mapKey: key, index }));
    index++;
  }
  return entries;
}
