/**
 * Names that stand for (part of) another value, so mutating them mutates it:
 * loop variables (`for (const r of rows) r.v = 1` changes `rows`), callback
 * parameters of a method call (`rows.forEach(r => { r.v = 1 })`), and
 * variables initialised from another name or its members
 * (`const first = rows[0]; first.v = 1`). One visitor per node kind; each
 * returns [alias declaration, the name it stands for] pairs, which the cell
 * analysis follows when it resolves a mutation.
 */
import type { Identifier, Node, Pattern } from 'estree';
import { memberRoot } from './mutation.js';
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

const visitors: Record<string, Visitor> = {
  ForOfStatement: loopAliases,
  ForInStatement: loopAliases,
  VariableDeclarator(node) {
    if (node.type !== 'VariableDeclarator' || !node.init) return [];
    if (node.init.type !== 'Identifier' && node.init.type !== 'MemberExpression') return [];
    const of = memberRoot(node.init);
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
