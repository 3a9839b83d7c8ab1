/**
 * Mutation through methods and member writes: `rows.push(x)`, `model.fit(..)`,
 * `cfg.lr = 0.1`, `cfg.n++`, `delete cfg.k`, `[cfg.a, cfg.b] = ..`. A mutated
 * top-level name counts as a new definition of it, so the changed value flows
 * to later steps. One visitor per node kind; each reports the root identifiers
 * of the mutated member chains.
 */
import { patternLeaves } from './patterns.js';
import type { Node, Identifier, Expression, Pattern, Super } from 'estree';

/**
 * Methods that read without changing their receiver. Calling them is not a
 * mutation, so steps that only look at a value do not become its producers
 * (and parallel readers are not flagged as ambiguous).
 */
const READ_ONLY_METHODS = new Set([
  // Array, TypedArray and String
  'at',
  'concat',
  'entries',
  'every',
  'filter',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'flat',
  'flatMap',
  'forEach',
  'includes',
  'indexOf',
  'join',
  'keys',
  'lastIndexOf',
  'map',
  'reduce',
  'reduceRight',
  'slice',
  'some',
  'toLocaleString',
  'toReversed',
  'toSorted',
  'toSpliced',
  'toString',
  'values',
  'with',
  'subarray',
  'charAt',
  'charCodeAt',
  'codePointAt',
  'endsWith',
  'localeCompare',
  'match',
  'matchAll',
  'normalize',
  'padEnd',
  'padStart',
  'repeat',
  'replace',
  'replaceAll',
  'search',
  'split',
  'startsWith',
  'substring',
  'toLowerCase',
  'toUpperCase',
  'trim',
  'trimEnd',
  'trimStart',
  'valueOf',
  'toFixed',
  'toPrecision',
  'toISOString',
  'toJSON',
  'getTime',
  // Map, Set, Object
  'get',
  'has',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  // tfjs tensors and models: reading data, predicting, describing (not `add`: on a Set it mutates)
  'array',
  'arraySync',
  'data',
  'dataSync',
  'print',
  'summary',
  'predict',
  'evaluate',
  'getWeights',
  'getLayer',
  'getConfig',
  'toJSON',
  'clone',
  'reshape',
  'squeeze',
  'expandDims',
  'cast',
  'argMax',
  'argMin',
  'sum',
  'mean',
  'min',
  'max',
  'sub',
  'mul',
  'div',
  'greater',
  'less',
  'equal',
  'round',
  'abs',
  'sqrt',
  'square',
  'exp',
  'log',
  'matMul',
  'transpose',
  'gather',
  'buffer',
  'bufferSync'
]);

type Visitor = (node: Node) => Identifier[];

/** The identifier a member chain starts from: `a` in `a.b[c].d`. */
export function memberRoot(node: Expression | Super): Identifier | undefined {
  let current: Node = node;
  // Through calls too: `m.get(k).push(x)` changes what `m` holds.
  for (;;) {
    if (current.type === 'MemberExpression') current = current.object;
    else if (current.type === 'ChainExpression') current = current.expression;
    else if (current.type === 'CallExpression' && current.callee.type === 'MemberExpression')
      current = current.callee.object;
    else break;
  }
  return current.type === 'Identifier' ? current : undefined;
}

/** Static functions that change their first argument: `Object.assign(cfg, ..)`. */
const MUTATING_STATICS: Record<string, ReadonlySet<string>> = {
  Object: new Set(['assign', 'defineProperty', 'defineProperties', 'setPrototypeOf']),
  Reflect: new Set(['set', 'defineProperty', 'deleteProperty', 'setPrototypeOf'])
};

/** Roots of the member chains an assignment target writes to: `a` and `b` in `[a.x, { k: b.y }] = ..`. */
function targetRoots(target: Pattern): Identifier[] {
  return patternLeaves(target, leaf => {
    const root = leaf.type === 'MemberExpression' ? memberRoot(leaf) : undefined;
    return root ? [root] : [];
  });
}

const visitors: Record<string, Visitor> = {
  AssignmentExpression(node) {
    return node.type === 'AssignmentExpression' ? targetRoots(node.left) : [];
  },
  ForOfStatement(node) {
    return node.type === 'ForOfStatement' && node.left.type !== 'VariableDeclaration' ? targetRoots(node.left) : [];
  },
  ForInStatement(node) {
    return node.type === 'ForInStatement' && node.left.type !== 'VariableDeclaration' ? targetRoots(node.left) : [];
  },
  UpdateExpression(node) {
    if (node.type !== 'UpdateExpression' || node.argument.type !== 'MemberExpression') return [];
    return targetRoots(node.argument);
  },
  UnaryExpression(node) {
    if (node.type !== 'UnaryExpression' || node.operator !== 'delete') return [];
    return node.argument.type === 'MemberExpression' ? targetRoots(node.argument) : [];
  },
  CallExpression(node) {
    if (node.type !== 'CallExpression') return [];
    const callee = node.callee.type === 'ChainExpression' ? node.callee.expression : node.callee;
    if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return [];
    const statics = callee.object.type === 'Identifier' ? MUTATING_STATICS[callee.object.name] : undefined;
    if (statics?.has(callee.property.name)) {
      const target = node.arguments[0];
      const root = target && target.type !== 'SpreadElement' ? memberRoot(target) : undefined;
      return root ? [root] : [];
    }
    if (READ_ONLY_METHODS.has(callee.property.name)) return [];
    const root = memberRoot(callee.object);
    return root ? [root] : [];
  }
};

const NONE: Identifier[] = [];

/**
 * The root identifiers `node` itself mutates. Called on every node as the parse walk leaves it (source.ts), inner
 * expressions first, so a cell's tree is walked once.
 */
export function mutatedRoots(node: Node): Identifier[] {
  const visitor = visitors[node.type];
  return visitor ? visitor(node) : NONE;
}
