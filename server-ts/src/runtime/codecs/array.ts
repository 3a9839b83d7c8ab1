/**
 * Arrays. A plain one (Array.prototype, extensible, default data elements and
 * properties) stays an array for v8, which keeps holes and extra string
 * properties; any other is a record: every own property, elements and
 * `length` included, with its attributes.
 */
import { isDefaultData, nonIndexKeys } from './own-keys.js';
import { setOwn } from '../skeleton.js';
import type { Codec } from './types.js';

export const arrayCodec: Codec<unknown[]> = {
  kind: 'array',
  record: true,
  test: value => Array.isArray(value),
  naturalProto: () => Array.prototype,
  isPlain(array) {
    if (Object.getPrototypeOf(array) !== Array.prototype || !Object.isExtensible(array)) return false;
    for (let i = 0; i < array.length; i++) {
      const descriptor = Object.getOwnPropertyDescriptor(array, i);
      if (descriptor !== undefined && !isDefaultData(descriptor)) return false;
    }
    for (const key of extraKeys(array)) {
      if (typeof key === 'symbol') return false;
      const descriptor = Object.getOwnPropertyDescriptor(array, key)!;
      if (!isDefaultData(descriptor)) return false;
    }
    return true;
  },
  plainMembers(array, visit) {
    for (let i = 0; i < array.length; i++) if (i in array) visit(array[i]);
    for (const key of extraKeys(array)) visit((array as unknown as Record<string, unknown>)[key as string]);
  },
  plainCopy(array, enc) {
    const copy = enc.remember(array, [] as unknown[]);
    for (let i = 0; i < array.length; i++) {
      if (!(i in array)) {
        copy.length++; // keep the hole; pushing keeps packed arrays packed for v8
        continue;
      }
      copy.push(enc.encode(array[i], i));
    }
    for (const key of extraKeys(array)) {
      setOwn(copy, key as string, enc.encode((array as unknown as Record<string, unknown>)[key as string], key));
    }
    return copy;
  },
  encode() {},
  decode: () => []
};

/** Own keys other than indices and `length`. */
function extraKeys(array: unknown[]): PropertyKey[] {
  const keys = nonIndexKeys(array, array.length, () => new Array(array.length), ['length']);
  return keys.length === 1 ? [] : keys.filter(key => key !== 'length');
}
