/**
 * Mutation through methods and member writes: `rows.push(x)`, `model.fit(..)`,
 * `cfg.lr = 0.1`, `cfg.n++`, `delete cfg.k`, `[cfg.a, cfg.b] = ..`. A mutated
 * top-level name counts as a new definition of it, so the changed value flows
 * to later steps. One visitor per node kind; each reports the root identifiers
 * of the mutated member chains.
 */
import { patternLeaves } from './patterns.js';
import type { Node, Identifier, Expression, MemberExpression, Pattern, Super } from 'estree';

/**
 * Methods that read without changing their receiver. Calling them is not a
 * mutation, so steps that only look at a value do not become its producers
 * (and parallel readers are not flagged as ambiguous).
 */
export const READ_ONLY_METHODS: ReadonlySet<string> = new Set([
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

/** The bases of the member chains a node mutates: identifiers, `this`, or other expressions (ignored). */
type Visitor = (node: Node) => Node[];

/** The expression a member chain starts from: `a` in `a.b[c].d`, `this` in `this.items.push`. */
export function memberBase(node: Expression | Super): Node {
  let current: Node = node;
  // Through calls too: `m.get(k).push(x)` changes what `m` holds.
  for (;;) {
    if (current.type === 'MemberExpression') current = current.object;
    else if (current.type === 'ChainExpression') current = current.expression;
    else if (current.type === 'CallExpression' && current.callee.type === 'MemberExpression')
      current = current.callee.object;
    else break;
  }
  return current;
}

/** The identifier a member chain starts from: `a` in `a.b[c].d`. */
export function memberRoot(node: Expression | Super): Identifier | undefined {
  const base = memberBase(node);
  return base.type === 'Identifier' ? base : undefined;
}

/**
 * Static functions that change their first argument: `Object.assign(cfg, ..)`, `Reflect.set(cfg, ..)`,
 * `Atomics.add(counts, ..)` (on a typed array). Freezing counts: the value after it is not the one before.
 * A Map, so a cell calling `constructor.x(..)` does not find `Object.prototype.constructor`.
 */
const MUTATING_STATICS = new Map<string, ReadonlySet<string>>([
  [
    'Object',
    new Set(['assign', 'defineProperty', 'defineProperties', 'setPrototypeOf', 'freeze', 'seal', 'preventExtensions'])
  ],
  ['Reflect', new Set(['set', 'defineProperty', 'deleteProperty', 'setPrototypeOf', 'preventExtensions'])],
  ['Atomics', new Set(['store', 'add', 'sub', 'and', 'or', 'xor', 'exchange', 'compareExchange'])]
]);

/** The method a member call names: `push` in `rows.push(..)` and `rows['push'](..)`; null when computed (`rows[m]`). */
export function methodName(callee: MemberExpression): string | null {
  if (!callee.computed) return callee.property.type === 'Identifier' ? callee.property.name : null;
  const key = callee.property;
  return key.type === 'Literal' && typeof key.value === 'string' ? key.value : null;
}

/** A method that changes its receiver, as far as the name tells: any but the known read-only ones, or unknown. */
const mayMutate = (callee: MemberExpression) => {
  const name = methodName(callee);
  return name === null || !READ_ONLY_METHODS.has(name);
};

function rootOf(node: Node | undefined): Node[] {
  return node && node.type !== 'SpreadElement' ? [memberBase(node as Expression)] : [];
}

const unchained = (node: Node): Node => (node.type === 'ChainExpression' ? node.expression : node);

/** Bases of the member chains an assignment target writes to: `a` and `b` in `[a.x, { k: b.y }] = ..`. */
function targetRoots(target: Pattern): Node[] {
  return patternLeaves(target, leaf => (leaf.type === 'MemberExpression' ? [memberBase(leaf)] : []));
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
    const callee = unchained(node.callee);
    if (callee.type !== 'MemberExpression') return [];
    const name = methodName(callee);
    const statics = callee.object.type === 'Identifier' ? MUTATING_STATICS.get(callee.object.name) : undefined;
    if (name !== null && statics?.has(name)) return rootOf(node.arguments[0]);
    // `Reflect.apply(Array.prototype.push, rows, [x])`: the method runs on its second argument.
    if (callee.object.type === 'Identifier' && callee.object.name === 'Reflect' && name === 'apply') {
      const method = node.arguments[0] ? unchained(node.arguments[0]) : undefined;
      return method?.type === 'MemberExpression' && mayMutate(method) ? rootOf(node.arguments[1]) : [];
    }
    // `rows.push.apply(rows, more)`, `Array.prototype.push.call(rows, x)`: the method runs on `this`, the first
    // argument. `fn.call(t, rows)` of a plain function is a call of `fn` (cell-facts.ts follows what it mutates).
    if (name === 'call' || name === 'apply') {
      const method = unchained(callee.object);
      if (method.type === 'MemberExpression') return mayMutate(method) ? rootOf(node.arguments[0]) : [];
      if (method.type === 'Identifier') return [];
    }
    if (!mayMutate(callee)) return [];
    return rootOf(callee.object);
  }
};

/**
 * The root identifiers `node` itself mutates. Called on every node as the parse walk leaves it (source.ts), inner
 * expressions first, so a cell's tree is walked once.
 */
export function mutatedRoots(node: Node): Identifier[] {
  const visitor = visitors[node.type];
  return visitor ? (visitor(node).filter(base => base.type === 'Identifier') as Identifier[]) : [];
}

/** Whether `node` itself mutates `this` (`this.n++`, `this.items.push(x)`): methods that do change their receiver. */
export function mutatesThis(node: Node): boolean {
  const visitor = visitors[node.type];
  return visitor ? visitor(node).some(base => base.type === 'ThisExpression') : false;
}
