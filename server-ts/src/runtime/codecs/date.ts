/** Dates (invalid ones too). A plain Date goes to v8 as is; a subclass or extra properties make a record. */
import { types } from 'node:util';
import type { Marker } from '../skeleton.js';
import { hasNoOwnKeys } from './own-keys.js';
import type { Codec } from './types.js';

export const dateCodec: Codec<Date, Marker & { time: number }> = {
  kind: 'date',
  record: true,
  test: value => types.isDate(value),
  naturalProto: () => Date.prototype,
  isPlain: date => Object.getPrototypeOf(date) === Date.prototype && Object.isExtensible(date) && hasNoOwnKeys(date),
  plainCopy: (date, enc) => enc.remember(date, date),
  encode(date, marker) {
    marker.time = Date.prototype.getTime.call(date);
  },
  decode: marker => new Date(marker.time)
};
