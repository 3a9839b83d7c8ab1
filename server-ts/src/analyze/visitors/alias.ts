/**
 * Names that stand for (part of) another value, so mutating them mutates it:
 * loop variables (`for (const r of rows) r.v = 1` changes `rows`), callback
 * parameters of a method call (`rows.forEach(r => { r.v = 1 })`), and
 * variables initialised from another name or its members
 * (`const first = rows[0]; first.v = 1`), and views that share another
 * value's memory (`const v = arr.subarray(0, 2)`, `new Float32Array(arr.buffer)`,
 * `new DataView(buf)`: writing `v[0]` changes `arr`). One visitor per node kind; each
 * returns [alias declaration, the name it stands for] pairs, which the cell
 * analysis follows when it resolves a mutation.
 */
import { TYPED_ARRAY_CONSTRUCTORS } from '../typed-arrays.js';
import type { Expression, Identifier, Node, Pattern } from 'estree';
import { memberRoot, methodName } from './mutation.js';
import { patternLeaves } from './patterns.js';

export type Alias = [alias: Identifier, of: Identifier];

type Visitor = (node: Node) => Alias[];

function declared(pattern: Pattern): Identifier[] {
  return patternLeaves(pattern, leaf => (leaf.type === 'Identifier' ? [leaf] : []));
}

function loopAliases(node: Node): Alias[] {
  if ((node.type !== 'ForOfStatement' && node.type !== 'ForInStatement') || node.left.type !== 'VariableDeclaration')
    return [];
  const of = memberRoot(node.right);
  return of ? node.left.declarations.flatMap(d => declared(d.id).map((id): Alias => [id, of])) : [];
}

/** Constructors whose instance is a view when given a buffer (a copy when given an array: counted all the same). */
const VIEWS = new Set([...TYPED_ARRAY_CONSTRUCTORS, 'DataView']);

/** The name an initializer stands for part of: `rows` in `rows`, `rows[0].cells`, `rows.subarray(1)`, `new DataView(rows.buffer)`. */
function aliased(init: Expression): Identifier | undefined {
  if (init.type === 'Identifier' || init.type === 'MemberExpression') return memberRoot(init);
  if (
    init.type === 'CallExpression' &&
    init.callee.type === 'MemberExpression' &&
    methodName(init.callee) === 'subarray'
  )
    return memberRoot(init.callee.object);
  if (init.type === 'NewExpression' && init.callee.type === 'Identifier' && VIEWS.has(init.callee.name)) {
    const buffer = init.arguments[0];
    return buffer && buffer.type !== 'SpreadElement' ? memberRoot(buffer) : undefined;
  }
  return undefined;
}

const visitors: Record<string, Visitor> = {
  ForOfStatement: loopAliases,
  ForInStatement: loopAliases,
  VariableDeclarator(node) {
    if (node.type !== 'VariableDeclarator' || !node.init) return [];
    const of = aliased(node.init);
    return of ? declared(node.id).map((id): Alias => [id, of]) : [];
  },
  CallExpression(node) {
    if (node.type !== 'CallExpression') return [];
    const callee = node.callee.type === 'ChainExpression' ? node.callee.expression : node.callee;
    if (callee.type !== 'MemberExpression') return [];
    const of = memberRoot(callee.object);
    if (!of) return [];
    return node.arguments.flatMap(argument =>
      argument.type === 'ArrowFunctionExpression' || argument.type === 'FunctionExpression'
        ? argument.params.flatMap(param => declared(param).map((id): Alias => [id, of]))
        : []
    );
  }
};

const NONE: Alias[] = [];

export function aliasesOf(node: Node): Alias[] {
  const visitor = visitors[node.type];
  return visitor ? visitor(node) : NONE;
}
