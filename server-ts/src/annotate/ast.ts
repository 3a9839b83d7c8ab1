/** Small ESTree helpers the annotate modules share. */
import type { Node, Pattern } from 'estree';

export const isFunctionNode = (node: Node): boolean =>
  node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression' || node.type === 'FunctionDeclaration';

/** Children of a node (ESTree keys holding nodes), without position fields. */
export function children(node: Node): Node[] {
  const out: Node[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'type' || key === 'range' || key === 'loc' || key === 'start' || key === 'end') continue;
    if (Array.isArray(value)) {
      for (const v of value) if (v && typeof v === 'object' && typeof v.type === 'string') out.push(v as Node);
    } else if (value && typeof value === 'object' && typeof (value as Node).type === 'string') out.push(value as Node);
  }
  return out;
}

/** Names a pattern binds. */
export function patternNames(pattern: Pattern | Node): string[] {
  switch (pattern.type) {
    case 'Identifier':
      return [pattern.name];
    case 'ObjectPattern':
      return pattern.properties.flatMap(p => patternNames(p.type === 'RestElement' ? p.argument : p.value));
    case 'ArrayPattern':
      return pattern.elements.flatMap(e => (e ? patternNames(e) : []));
    case 'RestElement':
      return patternNames(pattern.argument);
    case 'AssignmentPattern':
      return patternNames(pattern.left);
    default:
      return []; // a member target (`a.b = ..` in a pattern) binds no name
  }
}

/** What a name holds; `global` for a name neither the notebook nor the function at hand defines. */
