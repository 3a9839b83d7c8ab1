/**
 * Mutation through methods and member writes: `rows.push(x)`, `model.fit(..)`,
 * `cfg.lr = 0.1`, `cfg.n++`, `delete cfg.k`. A mutated top-level name counts as
 * a new definition of it, so the changed value flows to later steps. One
 * visitor per node kind; each reports the root identifier of the mutated
 * member chain.
 */
import type { Node as AcornNode } from 'acorn';
import { full } from 'acorn-walk';
import type { Node, Identifier, Expression, Super } from 'estree';

/**
 * Methods that read without changing their receiver. Calling them is not a
 * mutation, so steps that only look at a value do not become its producers
 * (and parallel readers are not flagged as ambiguous).
 */
const READ_ONLY_METHODS = new Set([
  // Array, TypedArray and String
  'at', 'concat', 'entries', 'every', 'filter', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flat', 'flatMap',
  'forEach', 'includes', 'indexOf', 'join', 'keys', 'lastIndexOf', 'map', 'reduce', 'reduceRight', 'slice', 'some',
  'toLocaleString', 'toReversed', 'toSorted', 'toSpliced', 'toString', 'values', 'with', 'subarray', 'charAt',
  'charCodeAt', 'codePointAt', 'endsWith', 'localeCompare', 'match', 'matchAll', 'normalize', 'padEnd', 'padStart',
  'repeat', 'replace', 'replaceAll', 'search', 'split', 'startsWith', 'substring', 'toLowerCase', 'toUpperCase',
  'trim', 'trimEnd', 'trimStart', 'valueOf', 'toFixed', 'toPrecision', 'toISOString', 'toJSON', 'getTime',
  // Map, Set, Object
  'get', 'has', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable',
  // tfjs tensors and models: reading data, predicting, describing
  'array', 'arraySync', 'data', 'dataSync', 'print', 'summary', 'predict', 'evaluate', 'getWeights', 'getLayer',
  'getConfig', 'toJSON', 'clone', 'reshape', 'squeeze', 'expandDims', 'cast', 'argMax', 'argMin', 'sum', 'mean',
  'min', 'max', 'add', 'sub', 'mul', 'div', 'greater', 'less', 'equal', 'round', 'abs', 'sqrt', 'square', 'exp',
  'log', 'matMul', 'transpose', 'gather', 'buffer', 'bufferSync'
]);

type Visitor = (node: Node) => Identifier | undefined;

/** The identifier a member chain starts from: `a` in `a.b[c].d`. */
function memberRoot(node: Expression | Super): Identifier | undefined {
  let current: Node = node;
  while (current.type === 'MemberExpression') current = current.object;
  return current.type === 'Identifier' ? current : undefined;
}

const visitors: Record<string, Visitor> = {
  AssignmentExpression(node) {
    if (node.type !== 'AssignmentExpression' || node.left.type !== 'MemberExpression') return undefined;
    return memberRoot(node.left);
  },
  UpdateExpression(node) {
    if (node.type !== 'UpdateExpression' || node.argument.type !== 'MemberExpression') return undefined;
    return memberRoot(node.argument);
  },
  UnaryExpression(node) {
    if (node.type !== 'UnaryExpression' || node.operator !== 'delete' || node.argument.type !== 'MemberExpression') {
      return undefined;
    }
    return memberRoot(node.argument);
  },
  CallExpression(node) {
    if (node.type !== 'CallExpression') return undefined;
    const callee = node.callee.type === 'ChainExpression' ? node.callee.expression : node.callee;
    if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return undefined;
    if (READ_ONLY_METHODS.has(callee.property.name)) return undefined;
    return memberRoot(callee.object);
  }
};

/** Every mutated root identifier in `program`, in source order. */
export function findMutations(program: Node): Identifier[] {
  const roots: Identifier[] = [];
  full(program as unknown as AcornNode, acornNode => {
    const node = acornNode as unknown as Node;
    const root = visitors[node.type]?.(node);
    if (root) roots.push(root);
  });
  return roots;
}
