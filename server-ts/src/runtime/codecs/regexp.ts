/**
 * Regular expressions: source and flags; `lastIndex` is an own property like
 * any other, so it travels with its value and attributes. v8 alone resets
 * lastIndex, so only a RegExp at lastIndex 0 goes to v8 as is.
 */
import { types } from 'node:util';
import type { Marker } from '../skeleton.js';
import type { Codec } from './types.js';

const sourceOf = Object.getOwnPropertyDescriptor(RegExp.prototype, 'source')!.get!;
const flagsOf = Object.getOwnPropertyDescriptor(RegExp.prototype, 'flags')!.get!;

export const regexpCodec: Codec<RegExp, Marker & { source: string; flags: string }> = {
  kind: 'regexp',
  record: true,
  test: value => types.isRegExp(value),
  naturalProto: () => RegExp.prototype,
  isPlain(regexp) {
    if (Object.getPrototypeOf(regexp) !== RegExp.prototype || !Object.isExtensible(regexp)) return false;
    const keys = Reflect.ownKeys(regexp);
    if (keys.length !== 1 || keys[0] !== 'lastIndex') return false;
    const descriptor = Object.getOwnPropertyDescriptor(regexp, 'lastIndex')!;
    return descriptor.writable === true && Object.is(descriptor.value, 0);
  },
  plainCopy: (regexp, enc) => enc.remember(regexp, regexp),
  encode(regexp, marker) {
    marker.source = sourceOf.call(regexp) as string;
    marker.flags = flagsOf.call(regexp) as string;
  },
  decode: marker => new RegExp(marker.source, marker.flags)
};
