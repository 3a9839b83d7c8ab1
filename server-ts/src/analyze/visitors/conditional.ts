/**
 * Code that may not run when the cell runs: the branches of `if`, `?:` and
 * `switch`, the right side of `&&`, `||`, `??` (and `&&=`, `||=`, `??=`), loop
 * bodies (and a for-in/of loop's target, written once per element), `try`,
 * `catch` and `finally` blocks, labelled statements (`break label`), optional
 * chains and default values. A top-level write inside one is a
 * maybe-definition: when it does not happen the name keeps the value it had,
 * so the step must load that value too. One visitor per node kind; each
 * returns the children that may not run.
 */
import type { Node } from 'estree';

type Visitor = (node: Node) => Array<Node | null | undefined>;

const LOGICAL_ASSIGNMENT = new Set(['&&=', '||=', '??=']);

const visitors: Record<string, Visitor> = {
  IfStatement: node => (node.type === 'IfStatement' ? [node.consequent, node.alternate] : []),
  ConditionalExpression: node => (node.type === 'ConditionalExpression' ? [node.consequent, node.alternate] : []),
  LogicalExpression: node => (node.type === 'LogicalExpression' ? [node.right] : []),
  AssignmentExpression: node =>
    node.type === 'AssignmentExpression' && LOGICAL_ASSIGNMENT.has(node.operator) ? [node.right] : [],
  SwitchStatement: node => (node.type === 'SwitchStatement' ? node.cases : []),
  WhileStatement: node => (node.type === 'WhileStatement' ? [node.body] : []),
  // The body runs once at least, but `break`/`continue` can skip what follows in it.
  DoWhileStatement: node => (node.type === 'DoWhileStatement' ? [node.body, node.test] : []),
  ForStatement: node => (node.type === 'ForStatement' ? [node.update, node.body] : []),
  ForInStatement: node => (node.type === 'ForInStatement' ? [node.left, node.body] : []),
  ForOfStatement: node => (node.type === 'ForOfStatement' ? [node.left, node.body] : []),
  // A throw skips the rest of `try`; `catch` runs only on one; `finally` is counted too, to be safe.
  TryStatement: node => (node.type === 'TryStatement' ? [node.block, node.handler, node.finalizer] : []),
  LabeledStatement: node => (node.type === 'LabeledStatement' ? [node.body] : []),
  ChainExpression: node => (node.type === 'ChainExpression' ? [node.expression] : []),
  AssignmentPattern: node => (node.type === 'AssignmentPattern' ? [node.right] : [])
};

const NONE: Array<[number, number]> = [];

/** The source ranges of `node`'s children that may not run when `node` does. */
export function conditionalRanges(node: Node): Array<[number, number]> {
  const visitor = visitors[node.type];
  if (!visitor) return NONE;
  return visitor(node).flatMap(child => (child ? [child.range!] : []));
}

/** Membership in a union of ranges, by binary search over the merged, sorted ranges. */
export function rangeUnion(ranges: Array<[number, number]>): (offset: number) => boolean {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [from, to] of sorted) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return offset => {
    let [low, high] = [0, merged.length - 1];
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (merged[mid][1] <= offset) low = mid + 1;
      else if (merged[mid][0] > offset) high = mid - 1;
      else return true;
    }
    return false;
  };
}
