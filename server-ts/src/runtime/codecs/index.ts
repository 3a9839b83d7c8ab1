/**
 * The codecs, one per kind of value, in the order they are asked (`test`):
 * the first that claims a value encodes it. Adding a kind is one file and one
 * line here. Values that must not travel at all are refused before this list
 * is asked (see ../unsupported.ts).
 */
import { arrayCodec } from './array.js';
import { arrayBufferCodec, sharedArrayBufferCodec } from './array-buffer.js';
import { boxedCodec } from './boxed.js';
import { dateCodec } from './date.js';
import { errorCodec } from './error.js';
import { functionCodec } from './function.js';
import { mapCodec } from './map.js';
import { modelCodec, modelPartCodec } from './model.js';
import { objectCodec } from './object.js';
import { regexpCodec } from './regexp.js';
import { setCodec } from './set.js';
import { symbolCodec } from './symbol.js';
import { tensorCodec } from './tensor.js';
import type { Codec } from './types.js';
import { urlCodec, urlSearchParamsCodec } from './url.js';
import { viewCodec } from './view.js';

export type { Codec, DecodeApi, EncodeApi } from './types.js';

export const codecs: readonly Codec<never>[] = [
  symbolCodec,
  functionCodec,
  tensorCodec,
  modelCodec,
  modelPartCodec,
  arrayCodec,
  mapCodec,
  setCodec,
  dateCodec,
  regexpCodec,
  boxedCodec,
  errorCodec,
  arrayBufferCodec,
  sharedArrayBufferCodec,
  viewCodec,
  urlCodec,
  urlSearchParamsCodec,
  objectCodec // last: any other object
] as unknown as Codec<never>[];

const byKind = new Map(codecs.map(codec => [codec.kind, codec]));

/** The codec that handles `value` (every value that is not a primitive has one). */
export function codecFor(value: unknown): Codec<never> {
  for (const codec of codecs) if (codec.test(value)) return codec;
  throw new Error('cellflow: no codec claims this value');
}

export function codecOfKind(kind: string): Codec<never> | undefined {
  return byKind.get(kind);
}
