/**
 * State the analysis does not hand between steps, found by where code writes:
 * the run's plan check refuses a pipeline that changes it in one step and
 * uses it in another (`global-state-changed`, `prelude-state-changed`,
 * `unplanned-write-seen-later`), so the proposal keeps such cells together.
 */
import type { Node } from 'estree';
import { children, isFunctionNode } from './ast.js';

export interface WriteTargets {
  /** Names at the root of what is assigned, updated or deleted (`a.b = ..` → `a`, `x++` → `x`). */
  roots: Set<string>;
  /** Names inside a target whose root is not a name (`pick(rows)[0].v = 3` → `pick`, `rows`): maybe changed, unseen. */
  through: Set<string>;
}

/** Every write target in `node`, function bodies included (what they write happens when they are called). */
export function writeTargets(node: Node): WriteTargets {
  const targets: WriteTargets = { roots: new Set(), through: new Set() };
  const noteTarget = (target: Node) => {
    let current = target;
    while (current.type === 'MemberExpression') current = current.object;
    if (current.type === 'Identifier') targets.roots.add(current.name);
    else if (target.type === 'MemberExpression') for (const name of identifiersIn(current)) targets.through.add(name);
  };
  const visit = (n: Node) => {
    if (n.type === 'AssignmentExpression' && (n.left.type === 'MemberExpression' || n.left.type === 'Identifier'))
      noteTarget(n.left);
    if (n.type === 'UpdateExpression') noteTarget(n.argument);
    if (n.type === 'UnaryExpression' && n.operator === 'delete') noteTarget(n.argument);
    for (const child of children(n)) visit(child);
  };
  visit(node);
  return targets;
}

function identifiersIn(node: Node): string[] {
  const names: string[] = [];
  const visit = (n: Node) => {
    if (isFunctionNode(n)) return;
    if (n.type === 'Identifier') names.push(n.name);
    if (n.type === 'MemberExpression' && !n.computed) return visit(n.object);
    for (const child of children(n)) visit(child);
  };
  visit(node);
  return names;
}

/**
 * Prelude functions and classes whose code writes to a prelude name (`Counter.made++` in a constructor, a
 * counter a function increments): every step runs the prelude afresh, so what one step changes there, no
 * other step sees.
 */
export function statefulPreludeNames(
  declarations: Iterable<[string, Node]>,
  preludeNames: ReadonlySet<string>
): Set<string> {
  const stateful = new Set<string>();
  for (const [name, node] of declarations) {
    const { roots } = writeTargets(node);
    if ([...roots].some(root => preludeNames.has(root))) stateful.add(name);
  }
  return stateful;
}

/** The top-level function and class declarations of a prelude cell, by name. */
export function preludeDeclarations(body: readonly Node[]): Array<[string, Node]> {
  const found: Array<[string, Node]> = [];
  for (const statement of body) {
    if ((statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') && statement.id)
      found.push([statement.id.name, statement]);
    if (statement.type === 'VariableDeclaration')
      for (const d of statement.declarations)
        if (d.id.type === 'Identifier' && d.init && isFunctionNode(d.init)) found.push([d.id.name, d.init]);
  }
  return found;
}
