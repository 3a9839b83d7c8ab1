/**
 * Finds classes with `#private` fields or methods. Their instances hold
 * state that nothing outside the class can read or give back, so marshalling
 * refuses them instead of loading an object whose methods would throw. The
 * class source (Function.prototype.toString) is parsed with acorn, so `#` in
 * strings or comments does not count.
 */
import { acorn } from './packages.js';

const cache = new WeakMap<object, boolean>();

export function hasPrivateMembers(ctor: object): boolean {
  let known = cache.get(ctor);
  if (known === undefined) {
    known = sourceHasPrivateMembers(Function.prototype.toString.call(ctor));
    cache.set(ctor, known);
  }
  return known;
}

function sourceHasPrivateMembers(source: string): boolean {
  if (!source.includes('#')) return false;
  if (!/^class\b/.test(source)) return false; // a function cannot declare private members
  let ast: unknown;
  try {
    ast = acorn.parse(`(${source})`, { ecmaVersion: 'latest' });
  } catch {
    return /#[\p{ID_Start}_$]/u.test(source); // cannot parse: assume the worst
  }
  return containsPrivateIdentifier(ast);
}

function containsPrivateIdentifier(root: unknown): boolean {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== 'object' || node === null) continue;
    if ((node as { type?: unknown }).type === 'PrivateIdentifier') return true;
    for (const value of Object.values(node)) if (typeof value === 'object' && value !== null) pending.push(value);
  }
  return false;
}
