/**
 * Which notebook names may share objects: a name made from others
 * (`const copy = { ...base }`, `const inner = cfg.inner`, `holder.ref = data`)
 * joins their family. Changing a value in place may change every name of its
 * family without the analysis seeing it, so the proposal orders later readers
 * of the family after the step that changes it.
 */
import type { Node, Program } from 'estree';
import { children, isFunctionNode, patternNames } from './ast.js';

/** For each name a cell assigns at top level: the names its assigned values are made from. */
export function madeFrom(program: Program): Map<string, Set<string>> {
  const sources = new Map<string, Set<string>>();
  const note = (targets: string[], value: Node) => {
    const names = referencedNames(value);
    for (const target of targets) {
      const set = sources.get(target) ?? new Set<string>();
      for (const name of names) if (name !== target) set.add(name);
      sources.set(target, set);
    }
  };
  const visit = (node: Node) => {
    if (isFunctionNode(node)) return;
    if (node.type === 'VariableDeclarator' && node.init) note(patternNames(node.id), node.init);
    if (node.type === 'AssignmentExpression') {
      const target = node.left.type === 'MemberExpression' ? rootOf(node.left) : undefined;
      note(target ? [target] : patternNames(node.left), node.right);
    }
    for (const child of children(node)) visit(child);
  };
  for (const statement of program.body as Node[]) visit(statement);
  return sources;
}

/** Identifiers an expression reads, outside function bodies and property keys. */
function referencedNames(node: Node): Set<string> {
  const names = new Set<string>();
  const visit = (n: Node) => {
    if (isFunctionNode(n)) return;
    if (n.type === 'Identifier') names.add(n.name);
    if (n.type === 'MemberExpression') {
      visit(n.object);
      if (n.computed) visit(n.property);
      return;
    }
    if (n.type === 'Property') {
      if (n.computed) visit(n.key);
      visit(n.value);
      return;
    }
    for (const child of children(n)) visit(child);
  };
  visit(node);
  return names;
}

function rootOf(node: Node): string | undefined {
  let current = node;
  while (current.type === 'MemberExpression') current = current.object;
  return current.type === 'Identifier' ? current.name : undefined;
}

/** Union of `madeFrom` over the cells, among `variables` only: the family representative of each name. */
export function sharingFamilies(
  cells: Iterable<Map<string, Set<string>>>,
  variables: ReadonlySet<string>
): (name: string) => string {
  const parent = new Map<string, string>();
  const find = (name: string): string => {
    let root = name;
    while (parent.has(root)) root = parent.get(root)!;
    return root;
  };
  for (const sources of cells) {
    for (const [name, from] of sources) {
      if (!variables.has(name)) continue;
      for (const other of from) {
        if (!variables.has(other)) continue;
        const [a, b] = [find(name), find(other)];
        if (a !== b) parent.set(a, b);
      }
    }
  }
  return find;
}
