/** Boxed primitives: new Number(1), new String('a'), Object(1n), Object(true), Object(Symbol.for('k')). */
import { types } from 'node:util';
import type { Marker } from '../skeleton.js';
import { isArrayIndex } from './own-keys.js';
import type { Codec } from './types.js';

export const boxedCodec: Codec<object, Marker & { value: unknown }> = {
  kind: 'boxed',
  record: true,
  test: value => types.isBoxedPrimitive(value),
  naturalProto: boxed => Object.getPrototypeOf(Object(primitiveOf(boxed))) as object,
  // A String object's indices and length are its data, not properties to save.
  ownKeys: boxed =>
    types.isStringObject(boxed)
      ? Reflect.ownKeys(boxed).filter(
          key =>
            typeof key === 'symbol' ||
            (key !== 'length' && !(isArrayIndex(key) && Number(key) < String.prototype.valueOf.call(boxed).length))
        )
      : Reflect.ownKeys(boxed),
  isPlain(boxed) {
    if (types.isSymbolObject(boxed)) return false;
    if (!Object.isExtensible(boxed) || Object.getPrototypeOf(boxed) !== boxedCodec.naturalProto!(boxed)) return false;
    return boxedCodec.ownKeys!(boxed).length === 0;
  },
  plainCopy: (boxed, enc) => enc.remember(boxed, boxed),
  encode(boxed, marker, enc) {
    marker.value = enc.encode(primitiveOf(boxed), { raw: '.valueOf()' });
  },
  decode: (marker, dec) => Object(dec.decode(marker.value)) as object
};

function primitiveOf(boxed: object): unknown {
  if (types.isNumberObject(boxed)) return Number.prototype.valueOf.call(boxed);
  if (types.isStringObject(boxed)) return String.prototype.valueOf.call(boxed);
  if (types.isBooleanObject(boxed)) return Boolean.prototype.valueOf.call(boxed);
  if (types.isBigIntObject(boxed)) return BigInt.prototype.valueOf.call(boxed);
  return Symbol.prototype.valueOf.call(boxed);
}
