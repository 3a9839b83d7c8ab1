/**
 * Symbols: registered ones (`Symbol.for(key)`) by key and the well-known ones
 * (`Symbol.iterator`, ...) by name come back as the very same symbol. A
 * unique `Symbol('x')` is refused: the consuming step's own symbols (made
 * again by its cells) are different ones, so no copy could be the same.
 */
import type { Marker } from '../skeleton.js';
import type { Codec } from './types.js';

type SymbolMarker = Marker & { key?: string; wellKnown?: string };

const wellKnown = new Map<symbol, string>();
for (const name of Object.getOwnPropertyNames(Symbol)) {
  const value = (Symbol as unknown as Record<string, unknown>)[name];
  if (typeof value === 'symbol') wellKnown.set(value, name);
}

export const symbolCodec: Codec<symbol, SymbolMarker> = {
  kind: 'symbol',
  record: false,
  test: value => typeof value === 'symbol',
  encode(symbol, marker, enc) {
    const key = Symbol.keyFor(symbol);
    if (key !== undefined) {
      marker.key = key;
      return;
    }
    const name = wellKnown.get(symbol);
    if (name !== undefined) {
      marker.wellKnown = name;
      return;
    }
    throw enc.fail({
      what: `a unique Symbol (${symbol.toString()}), which only this process has`,
      hint: `use a registered symbol (\`Symbol.for(${JSON.stringify(symbol.description ?? '')})\`) or a string instead`
    });
  },
  decode(marker) {
    if (marker.key !== undefined) return Symbol.for(marker.key);
    return (Symbol as unknown as Record<string, symbol>)[marker.wellKnown!];
  }
};
