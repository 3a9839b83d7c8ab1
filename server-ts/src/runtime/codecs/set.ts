/** Sets, members of any kind. Subclasses and extra properties make a record. */
import { types } from 'node:util';
import type { Marker } from '../skeleton.js';
import { hasNoOwnKeys } from './own-keys.js';
import type { Codec, EncodeApi } from './types.js';

type SetMarker = Marker & { items: unknown[] };

export const setCodec: Codec<Set<unknown>, SetMarker> = {
  kind: 'set',
  record: true,
  test: value => types.isSet(value),
  naturalProto: () => Set.prototype,
  isPlain: set => Object.getPrototypeOf(set) === Set.prototype && Object.isExtensible(set) && hasNoOwnKeys(set),
  plainMembers(set, visit) {
    for (const item of Set.prototype.values.call(set)) visit(item);
  },
  plainCopy(set, enc) {
    const copy = enc.remember(set, new Set<unknown>());
    for (const item of encodeItems(set, enc)) copy.add(item);
    return copy;
  },
  encode(set, marker, enc) {
    marker.items = encodeItems(set, enc);
  },
  decode: () => new Set(),
  fill(set, marker, dec) {
    for (const item of marker.items) Set.prototype.add.call(set, dec.decode(item));
  }
};

function encodeItems(set: Set<unknown>, enc: EncodeApi): unknown[] {
  const items: unknown[] = [];
  let index = 0;
  for (const item of Set.prototype.values.call(set)) items.push(enc.encode(item, { setAt: index++ }));
  return items;
}
