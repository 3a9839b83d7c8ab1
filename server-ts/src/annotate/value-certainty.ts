/**
 * Which values a cell leaves that are surely data a step can hand on, and
 * which may not be (the proposal keeps those in one step with every cell that
 * uses them). The analysis refuses what it knows cannot be marshalled
 * (functions, classes, promises, resources, instances of imported or step
 * classes); this asks the other way round: is the value *known* to be plain
 * data or a tfjs value? Anything it cannot tell (a call into a package, a
 * notebook function that returns a closure, a method result of a tfjs model,
 * a global) counts as not known, so the cells stay together.
 */
import { TYPED_ARRAY_CONSTRUCTORS } from '../analyze/typed-arrays.js';
import type { Expression, Node, Pattern, Program } from 'estree';
import { children, isFunctionNode, patternNames } from './ast.js';
import { isRequire } from './cell-shape.js';

/** What an expression evaluates to, as far as the proposal needs to know. */
export type Certainty = 'data' | 'tf' | 'unsure';

/** A function the notebook defines: what calling it gives. */
export interface NotebookFunction {
  async: boolean;
  generator: boolean;
  /** Some return of its own gives a function, an object with methods, or an instance of a non-data class. */
  returnsUnsure: boolean;
}

/** What the notebook says about names so far, in notebook order (updated cell by cell). */
export interface ValueContext {
  /** Names bound by imports, with their module specifier. */
  imports: Map<string, string>;
  functions: Map<string, NotebookFunction>;
  /** Classes defined in `functions` cells: the marshaller rebuilds their instances. */
  preludeClasses: Set<string>;
  /** Names some cell defined so far (any value). */
  defined: Set<string>;
  /** Names whose value now may not be data. */
  unsure: Set<string>;
  /** Names whose value now is a tfjs value (tensor, model). */
  tf: Set<string>;
}

export function emptyValueContext(): ValueContext {
  return {
    imports: new Map(),
    functions: new Map(),
    preludeClasses: new Set(),
    defined: new Set(),
    unsure: new Set(),
    tf: new Set()
  };
}

const DATA_CONSTRUCTORS = new Set([
  'Array',
  'Object',
  'Map',
  'Set',
  'Date',
  'RegExp',
  'URL',
  'URLSearchParams',
  'Error',
  'TypeError',
  'RangeError',
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  ...TYPED_ARRAY_CONSTRUCTORS,
  'Number',
  'String',
  'Boolean'
]);
const DATA_FUNCTIONS = new Set([
  'Number',
  'String',
  'Boolean',
  'BigInt',
  'parseInt',
  'parseFloat',
  'isNaN',
  'isFinite',
  'structuredClone',
  'encodeURIComponent',
  'decodeURIComponent',
  'Array'
]);
const DATA_NAMESPACES = new Set(['Math', 'JSON', 'Number', 'String', 'Array', 'Object', 'Date', 'BigInt']);
const DATA_GLOBALS = new Set(['undefined', 'NaN', 'Infinity']);
/** Methods whose result is not data even on data: bound functions, promises, iterators. */
const NON_DATA_METHODS = new Set([
  'bind',
  'then',
  'catch',
  'finally',
  'entries',
  'keys',
  'values',
  'matchAll',
  'getReader',
  'stream'
]);
/** Methods that call a callback and do not keep it. */
const CALLBACK_METHODS = new Set([
  'forEach',
  'map',
  'filter',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'every',
  'some',
  'flatMap',
  'sort',
  'toSorted',
  'reduce',
  'reduceRight',
  'replace',
  'replaceAll',
  'tidy',
  'minimize'
]);
/** tfjs tensor and model methods whose result is a tensor, an array of them or plain numbers. */
const TF_DATA_METHODS = new Set([
  'predict',
  'evaluate',
  'dataSync',
  'arraySync',
  'data',
  'array',
  'getWeights',
  'countParams',
  'add',
  'sub',
  'mul',
  'div',
  'matMul',
  'dot',
  'reshape',
  'clone',
  'sum',
  'mean',
  'max',
  'min',
  'argMax',
  'argMin',
  'square',
  'sqrt',
  'exp',
  'log',
  'abs',
  'neg',
  'relu',
  'sigmoid',
  'tanh',
  'softmax',
  'transpose',
  'flatten',
  'squeeze',
  'expandDims',
  'slice',
  'concat',
  'gather',
  'toFloat',
  'toInt',
  'cast',
  'greater',
  'less',
  'equal',
  'round',
  'pow'
]);
const TF_DATA_MEMBERS = new Set(['shape', 'size', 'dtype', 'rank', 'length', 'id', 'name']);

export function isTfModule(specifier: string): boolean {
  return specifier.startsWith('@tensorflow/tfjs');
}

type Resolve = (name: string) => Certainty | 'global';

/** What an expression gives, names resolved by `resolve`. */
export function classify(expression: Node, context: ValueContext, resolve: Resolve): Certainty {
  const of = (node: Node): Certainty => classify(node, context, resolve);
  const all = (nodes: Array<Node | null>): Certainty =>
    nodes.every(n => n === null || of(n.type === 'SpreadElement' ? n.argument : n) !== 'unsure') ? 'data' : 'unsure';
  const e = expression as Expression;
  switch (e.type) {
    case 'Literal':
    case 'TemplateLiteral':
    case 'UnaryExpression':
    case 'BinaryExpression':
    case 'UpdateExpression':
      return 'data';
    case 'Identifier': {
      const certainty = resolve(e.name);
      return certainty === 'global' ? (DATA_GLOBALS.has(e.name) ? 'data' : 'unsure') : certainty;
    }
    case 'LogicalExpression':
      return worst(of(e.left), of(e.right));
    case 'ConditionalExpression':
      return worst(of(e.consequent), of(e.alternate));
    case 'SequenceExpression':
      return of(e.expressions[e.expressions.length - 1]);
    case 'AssignmentExpression':
      return of(e.right);
    case 'ArrayExpression':
      return all(e.elements);
    case 'ObjectExpression':
      return e.properties.every(p =>
        p.type === 'SpreadElement'
          ? of(p.argument) !== 'unsure'
          : p.kind === 'init' && !p.method && of(p.value) !== 'unsure'
      )
        ? 'data'
        : 'unsure';
    case 'ChainExpression':
      return of(e.expression);
    case 'AwaitExpression': {
      const awaited = e.argument;
      if (awaited.type !== 'CallExpression') return of(awaited);
      // `await Promise.all(xs)`: the settled values of what `xs` holds.
      const callee = awaited.callee;
      const settles =
        callee.type === 'MemberExpression' &&
        callee.object.type === 'Identifier' &&
        callee.object.name === 'Promise' &&
        !context.defined.has('Promise') &&
        ['all', 'allSettled'].includes(memberName(callee) ?? '');
      if (settles) return awaited.arguments.length === 1 ? of(awaited.arguments[0]) : 'unsure';
      return classifyCall(awaited, context, resolve, true);
    }
    case 'NewExpression': {
      if (e.callee.type !== 'Identifier') return 'unsure';
      const name = e.callee.name;
      const known = (DATA_CONSTRUCTORS.has(name) && resolve(name) === 'global') || context.preludeClasses.has(name);
      return known ? all(e.arguments) : 'unsure';
    }
    case 'CallExpression':
      return classifyCall(e, context, resolve, false);
    case 'MemberExpression': {
      const root = rootName(e);
      if (root === undefined) return 'unsure';
      const rootCertainty = resolve(root);
      if (rootCertainty !== 'global') {
        if (rootCertainty === 'tf')
          return memberName(e) !== undefined && TF_DATA_MEMBERS.has(memberName(e)!) ? 'data' : 'unsure';
        return rootCertainty;
      }
      if (DATA_NAMESPACES.has(root)) return 'data';
      // `process.env.X`, `process.argv`: strings; the rest of `process` is streams and handles.
      if (root === 'process' && e.object.type === 'MemberExpression')
        return memberName(e.object) === 'env' ? 'data' : 'unsure';
      if (root === 'process') return memberName(e) === 'argv' ? 'data' : 'unsure';
      return 'unsure';
    }
    default:
      return 'unsure'; // functions, classes, tagged templates, `import(..)`, `this`, `yield`
  }
}

function classifyCall(
  call: Extract<Expression, { type: 'CallExpression' }>,
  context: ValueContext,
  resolve: Resolve,
  awaited: boolean
): Certainty {
  const callee = call.callee.type === 'ChainExpression' ? call.callee.expression : call.callee;
  if (callee.type === 'Identifier') {
    const fn = context.functions.get(callee.name);
    if (fn) return fn.returnsUnsure || fn.generator || (fn.async && !awaited) ? 'unsure' : 'data';
    const specifier = context.imports.get(callee.name);
    if (specifier !== undefined) return isTfModule(specifier) ? 'tf' : 'unsure';
    return resolve(callee.name) === 'global' && DATA_FUNCTIONS.has(callee.name) ? 'data' : 'unsure';
  }
  if (callee.type !== 'MemberExpression') return 'unsure';
  const root = rootName(callee);
  const method = memberName(callee);
  if (method === undefined || NON_DATA_METHODS.has(method)) return 'unsure';
  // A method of a value made in place (`new Array(n).fill(0)`, `[...xs].sort()`): data on data.
  if (root === undefined) return classify(callee.object, context, resolve) === 'data' ? 'data' : 'unsure';
  const specifier = context.imports.get(root);
  if (specifier !== undefined) {
    // `tf.tensor(..)`, `tf.sequential(..)`: tensors and models travel. `tf.layers.dense()` or `tf.train.adam()`
    // alone does not (a layer or an optimizer travels only with its model).
    if (isTfModule(specifier)) return callee.object.type === 'Identifier' ? 'tf' : 'unsure';
    if (/^(node:)?path$/.test(specifier)) return 'data';
    if (/^(node:)?fs$/.test(specifier) && ['readFileSync', 'readdirSync', 'existsSync'].includes(method)) return 'data';
    return 'unsure';
  }
  const rootCertainty = resolve(root);
  if (rootCertainty === 'global')
    return DATA_NAMESPACES.has(root) && callee.object.type === 'Identifier' ? 'data' : 'unsure';
  if (rootCertainty === 'unsure') return 'unsure';
  if (rootCertainty === 'tf')
    return TF_DATA_METHODS.has(method) && (awaited || !['data', 'array'].includes(method)) ? 'tf' : 'unsure';
  return 'data';
}

function worst(a: Certainty, b: Certainty): Certainty {
  if (a === 'unsure' || b === 'unsure') return 'unsure';
  return a === 'tf' || b === 'tf' ? 'tf' : 'data';
}

function rootName(node: Node): string | undefined {
  let current = node;
  while (current.type === 'MemberExpression') current = current.object;
  return current.type === 'Identifier' ? current.name : undefined;
}

function memberName(node: Node): string | undefined {
  if (node.type !== 'MemberExpression') return undefined;
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  return node.property.type === 'Literal' && typeof node.property.value === 'string' ? node.property.value : undefined;
}

/** Top-level resolution: notebook names by what the context knows, globals only when plainly data. */
export function topLevelResolver(context: ValueContext): Resolve {
  return name => {
    if (context.unsure.has(name) || context.imports.has(name) || context.functions.has(name)) return 'unsure';
    if (context.tf.has(name)) return 'tf';
    return context.defined.has(name) ? 'data' : 'global';
  };
}

/** Imports (`import`, `const x = require('m')`) and functions the cell defines at top level: noted into `context`. */
export function noteDeclarations(
  program: Program,
  context: ValueContext,
  kind: 'imports' | 'functions' | 'work',
  loads: readonly string[]
): void {
  const functionsCell = kind === 'functions';
  if (kind === 'imports') {
    // An `imports` cell may pick its module at run time (`let tf; try { tf = await import(..) } ..`): what it
    // binds is a module, tfjs when it loads tfjs.
    const specifier = loads.find(isTfModule) ?? loads[0] ?? '';
    for (const statement of program.body as Node[]) {
      if (statement.type === 'VariableDeclaration')
        for (const d of statement.declarations)
          for (const name of patternNames(d.id)) context.imports.set(name, specifier);
    }
  }
  for (const statement of program.body as Node[]) {
    if (statement.type === 'ImportDeclaration') {
      for (const s of statement.specifiers) context.imports.set(s.local.name, String(statement.source.value));
    } else if (statement.type === 'VariableDeclaration') {
      for (const d of statement.declarations) {
        if (d.init && isRequire(d.init)) {
          const specifier = String((d.init as { arguments: Array<{ value: unknown }> }).arguments[0].value);
          for (const name of patternNames(d.id)) context.imports.set(name, specifier);
        } else if (
          d.id.type === 'Identifier' &&
          d.init &&
          (d.init.type === 'ArrowFunctionExpression' || d.init.type === 'FunctionExpression')
        ) {
          context.functions.set(d.id.name, functionFacts(d.init, context));
        }
      }
    } else if (statement.type === 'FunctionDeclaration' && statement.id) {
      context.functions.set(statement.id.name, functionFacts(statement, context));
    } else if (statement.type === 'ClassDeclaration' && statement.id && functionsCell) {
      context.preludeClasses.add(statement.id.name);
    }
  }
}

function functionFacts(fn: Node, context: ValueContext): NotebookFunction {
  const f = fn as { async?: boolean; generator?: boolean; body: Node; params: Pattern[] };
  // Names local to the function: nested functions are not data; other locals are judged by their own writes,
  // which this does not follow, so they count as data unless they are functions.
  const localFunctions = new Set<string>();
  const locals = new Set<string>(f.params.flatMap(patternNames));
  const visit = (node: Node, nested: boolean) => {
    if (node.type === 'FunctionDeclaration' && node.id) localFunctions.add(node.id.name);
    if (node.type === 'VariableDeclarator') {
      for (const name of patternNames(node.id)) locals.add(name);
      if (node.id.type === 'Identifier' && node.init && isFunctionNode(node.init)) localFunctions.add(node.id.name);
    }
    if (nested && isFunctionNode(node)) return;
    for (const child of children(node)) visit(child, true);
  };
  visit(f.body, false);
  const top = topLevelResolver(context);
  const resolve: Resolve = name => (localFunctions.has(name) ? 'unsure' : locals.has(name) ? 'data' : top(name));
  const returns: Node[] = f.body.type === 'BlockStatement' ? [] : [f.body];
  const collect = (node: Node) => {
    if (node.type === 'ReturnStatement' && node.argument) returns.push(node.argument);
    if (isFunctionNode(node) || node.type === 'ClassDeclaration' || node.type === 'ClassExpression') return;
    for (const child of children(node)) collect(child);
  };
  if (f.body.type === 'BlockStatement') for (const child of children(f.body)) collect(child);
  return {
    async: Boolean(f.async),
    generator: Boolean(f.generator),
    returnsUnsure: returns.some(r => classify(r, context, resolve) === 'unsure')
  };
}

/** What one cell writes: names whose value may not be data, names that are tfjs values, and plain data. */
export interface CellWrites {
  unsure: Set<string>;
  tf: Set<string>;
  data: Set<string>;
}

/**
 * Every write of a name in the cell (declarations at top level, assignments anywhere, `for (x of ..)` targets),
 * and every mutation that stores a value that may not be data (`handlers.push(() => ..)`, `o.f = fn`).
 */
export function cellWrites(program: Program, context: ValueContext, declared: ReadonlySet<string>): CellWrites {
  const writes: CellWrites = { unsure: new Set(), tf: new Set(), data: new Set() };
  const top = topLevelResolver(context);
  // The cell's own names, as written so far (the walk is in source order); a name it declares but has not
  // judged yet (a function or class declaration) is the notebook's.
  const resolve: Resolve = name => {
    if (writes.unsure.has(name)) return 'unsure';
    if (writes.tf.has(name)) return 'tf';
    if (writes.data.has(name)) return 'data';
    return declared.has(name) && !context.functions.has(name) && !context.imports.has(name) ? 'data' : top(name);
  };
  const note = (names: string[], certainty: Certainty) => {
    for (const name of names) writes[certainty].add(name);
  };
  const visit = (node: Node, depth: number) => {
    switch (node.type) {
      case 'VariableDeclarator':
        if (depth === 0)
          note(patternNames(node.id), node.init ? narrow(classify(node.init, context, resolve), node.id) : 'data');
        break;
      case 'AssignmentExpression':
        if (node.left.type === 'MemberExpression') {
          const root = rootName(node.left);
          if (root && resolve(root) !== 'global' && classify(node.right, context, resolve) === 'unsure')
            note([root], 'unsure');
        } else note(patternNames(node.left), narrow(classify(node.right, context, resolve), node.left));
        break;
      case 'ForOfStatement':
      case 'ForInStatement':
        if (node.left.type !== 'VariableDeclaration' || depth === 0) {
          const target = node.left.type === 'VariableDeclaration' ? node.left.declarations[0].id : node.left;
          const over = node.type === 'ForInStatement' ? 'data' : classify(node.right, context, resolve);
          note(patternNames(target), over === 'data' ? 'data' : 'unsure');
        }
        break;
      case 'CallExpression': {
        // A value stored into a notebook name by a method (`rows.push(fn)`, `m.set(k, stream)`).
        const callee = node.callee;
        if (callee.type === 'MemberExpression') {
          const root = rootName(callee);
          const method = memberName(callee);
          const stores = method === undefined || !CALLBACK_METHODS.has(method);
          if (
            root &&
            stores &&
            node.arguments.some(
              a => classify(a.type === 'SpreadElement' ? a.argument : a, context, resolve) === 'unsure'
            )
          )
            note(
              (root === 'Object' || root === 'Reflect' ? targetOf(node.arguments[0]) : [root]).filter(
                name => resolve(name) !== 'global'
              ),
              'unsure'
            );
        }
        break;
      }
    }
    const nested = depth + (isFunctionNode(node) || node.type === 'BlockStatement' ? 1 : 0);
    for (const child of children(node)) visit(child, nested);
  };
  for (const statement of program.body as Node[]) visit(statement, 0);
  // A name written several ways counts as its worst.
  for (const name of writes.unsure) {
    writes.tf.delete(name);
    writes.data.delete(name);
  }
  for (const name of writes.tf) writes.data.delete(name);
  return writes;
}

/** Destructuring a tfjs value (`const { layers } = model`) takes parts the proposal cannot judge. */
function narrow(certainty: Certainty, target: Node): Certainty {
  return certainty === 'tf' && target.type !== 'Identifier' ? 'unsure' : certainty;
}

function targetOf(node: Node | undefined): string[] {
  const root = node ? rootName(node) : undefined;
  return root ? [root] : [];
}

/** After a cell: names it declared or assigned take its verdict; mutated ones may only get worse. */
export function advanceContext(context: ValueContext, writes: CellWrites, assigned: Iterable<string>): void {
  const assignedSet = new Set(assigned);
  for (const name of assignedSet) {
    context.defined.add(name);
    context.unsure.delete(name);
    context.tf.delete(name);
  }
  for (const name of writes.unsure) context.unsure.add(name);
  for (const name of writes.tf) if (!context.unsure.has(name)) context.tf.add(name);
}
