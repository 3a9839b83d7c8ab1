/**
 * Functions and classes defined in `functions` cells, referenced from data:
 * saved by name and loaded as the consuming step's own function or class of
 * that name (its prelude defines them again). Their own properties (static
 * fields, say) are the consuming step's. Any other function is refused.
 */
import type { Marker } from '../skeleton.js';
import { describeFunction } from '../unsupported.js';
import type { NotebookClass } from '../notebook-class.js';
import type { Codec, EncodeApi } from './types.js';

type FunctionMarker = Marker & { registry: 'class' | 'function'; name: string; path: string };

export const functionCodec: Codec<NotebookClass, FunctionMarker> = {
  kind: 'function',
  record: false,
  test: value => typeof value === 'function',
  encode(fn, marker, enc) {
    const found = registeredName(fn, enc);
    if (!found) throw enc.fail(describeFunction(fn));
    marker.registry = found.registry;
    marker.name = found.name;
    marker.path = enc.here();
    enc.requires(found.registry, found.name, false);
  },
  decode: (marker, dec) => dec.registered(marker.registry, marker.name, marker.path)
};

const names = new WeakMap<EncodeApi, Map<NotebookClass, { registry: 'class' | 'function'; name: string }>>();

export function registeredName(
  fn: NotebookClass,
  enc: EncodeApi
): { registry: 'class' | 'function'; name: string } | undefined {
  let known = names.get(enc);
  if (!known) {
    known = new Map();
    for (const [name, f] of Object.entries(enc.functions)) known.set(f, { registry: 'function', name });
    for (const [name, f] of Object.entries(enc.classes)) known.set(f, { registry: 'class', name });
    names.set(enc, known);
  }
  return known.get(fn);
}
