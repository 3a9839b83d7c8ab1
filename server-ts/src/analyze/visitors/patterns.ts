/** The leaves of a destructuring pattern (`[a, { k: b.c }, ...rest] = ..`), each turned into identifiers by `leaf`. */
import type { Pattern } from 'estree';

export function patternLeaves<T>(pattern: Pattern, leaf: (pattern: Pattern) => T[]): T[] {
  switch (pattern.type) {
    case 'ObjectPattern':
      return pattern.properties.flatMap(p => patternLeaves(p.type === 'RestElement' ? p.argument : p.value, leaf));
    case 'ArrayPattern':
      return pattern.elements.flatMap(e => (e ? patternLeaves(e, leaf) : []));
    case 'RestElement':
      return patternLeaves(pattern.argument, leaf);
    case 'AssignmentPattern':
      return patternLeaves(pattern.left, leaf);
    default:
      return leaf(pattern);
  }
}
