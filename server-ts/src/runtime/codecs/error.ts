/**
 * Errors of every kind: Error and its built-in subclasses (the prototype says
 * which), AggregateError, and classes from `functions` cells that extend
 * them. `message`, `stack`, `cause`, AggregateError's `errors` and any extra
 * fields are own properties, saved with their attributes like any other.
 */
import { types } from 'node:util';
import type { Marker } from '../skeleton.js';
import type { Codec } from './types.js';

export const errorCodec: Codec<Error, Marker> = {
  kind: 'error',
  record: true,
  test: value => types.isNativeError(value),
  naturalProto: () => Error.prototype,
  freshOwnKeys: true,
  // Saved as the string it reads as; it loads as a plain data property (as on Node 20).
  engineAccessor: (error, key, descriptor) =>
    key === 'stack' && descriptor.get
      ? { value: error.stack, writable: true, enumerable: descriptor.enumerable, configurable: descriptor.configurable }
      : undefined,
  encode() {},
  // A fresh Error has the internal error slot (so util.types.isNativeError
  // holds); the core then removes its own `stack` and defines the saved properties.
  decode: () => new Error()
};
