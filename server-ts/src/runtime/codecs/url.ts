/**
 * WHATWG URLs and URLSearchParams. A URLSearchParams that is some URL's
 * `searchParams` (and that URL travels too) loads as the loaded URL's
 * `searchParams`, so the two stay linked.
 */
import type { Marker } from '../skeleton.js';
import type { Codec } from './types.js';

const hrefOf = Object.getOwnPropertyDescriptor(URL.prototype, 'href')!.get!;
const searchParamsOf = Object.getOwnPropertyDescriptor(URL.prototype, 'searchParams')!.get!;
const queryOf = URLSearchParams.prototype.toString;

type UrlMarker = Marker & { href: string };
type ParamsMarker = Marker & { query?: string; of?: unknown };

export const urlCodec: Codec<URL, UrlMarker> = {
  kind: 'url',
  record: true,
  // Only values with URL.prototype in their chain are asked: a brand check throws, which is slow.
  test: value => value instanceof URL && brandCheck(() => hrefOf.call(value)),
  naturalProto: () => URL.prototype,
  encode(url, marker, enc) {
    marker.href = hrefOf.call(url) as string;
    enc.afterWalk(() => {
      const params = searchParamsOf.call(url) as URLSearchParams;
      const node = enc.nodeOf(params) as ParamsMarker | undefined;
      if (node === undefined) return;
      delete node.query;
      node.of = marker;
      enc.join(url, params);
    });
  },
  decode: marker => new URL(marker.href)
};

export const urlSearchParamsCodec: Codec<URLSearchParams, ParamsMarker> = {
  kind: 'url-search-params',
  record: true,
  test: value => value instanceof URLSearchParams && brandCheck(() => queryOf.call(value)),
  naturalProto: () => URLSearchParams.prototype,
  encode(params, marker) {
    marker.query = queryOf.call(params);
  },
  decode(marker, dec) {
    if (marker.of !== undefined) return (dec.decode(marker.of) as URL).searchParams;
    return new URLSearchParams(marker.query);
  }
};

function brandCheck(read: () => unknown): boolean {
  try {
    read();
    return true;
  } catch {
    return false;
  }
}
