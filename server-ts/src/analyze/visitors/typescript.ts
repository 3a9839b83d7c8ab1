/**
 * TS-ESTree → plain ESTree, in place, in one walk: eslint-scope and the
 * mutation visitors only know JavaScript. Types go the way sucrase erases
 * them for the compiler, so analysis sees the code the compiled step runs:
 * type-only statements, imports and class members are removed, `x as T`
 * becomes `x`, an enum becomes sucrase's `var E; (function (E) {..})(E || (E = {}))`.
 * A namespace with values is refused: sucrase drops it, so the compiled step
 * would not define it. One rewrite per node kind; each returns the node's
 * replacement (walked in turn; statements may become several), or nothing to
 * remove it.
 * Children are found by oxc's visitor keys, made for the very AST it returns.
 * Every node keeps its range in the cell's own source.
 */
import { jsxRewrites } from './jsx.js';
import { visitorKeys } from 'oxc-parser';

/** A TS-ESTree node as oxc builds it, loosely typed: rewrites read TypeScript-only fields. */
export interface TsNode {
  type: string;
  range: [number, number];
  start: number;
  end: number;
  [key: string]: unknown;
}

/** Syntax the compiler's JavaScript parser (acorn) rejects, so the cell could not be compiled. */
export class UnsupportedSyntax extends Error {
  constructor(
    message: string,
    readonly offset: number
  ) {
    super(message);
  }
}

/** What the erasure found: TypeScript syntax at all, and namespaces with values (which sucrase drops). */
export interface Erased {
  typed: boolean;
  /** The cell has JSX (lowered to `React.createElement` calls): the compiler transforms it too. */
  jsx: boolean;
  namespaces: Array<{ name: string; offset: number }>;
}

/**
 * Erases types from `program` in place; true when the cell had any TypeScript syntax. `visit` sees every node of
 * the result, children before their parent: the analysis' own visitors ride on this walk instead of another one.
 */
export function eraseTypes(program: TsNode, visit?: (node: TsNode) => void): Erased {
  const state: State = { typed: false, jsx: false, namespaces: [], visit };
  walk(program, state);
  return { typed: state.typed, jsx: state.jsx, namespaces: state.namespaces };
}

interface State extends Erased {
  visit: ((node: TsNode) => void) | undefined;
}

/** `undefined`: remove the node; the same node: keep it; another: replace it; several: statements in its place. */
type Rewrite = (node: TsNode, state: State) => TsNode | TsNode[] | undefined;

/** Keys that hold only types: cleared, never walked. */
const TYPE_KEYS = new Set([
  'typeAnnotation',
  'returnType',
  'typeParameters',
  'typeArguments',
  'superTypeArguments',
  'implements'
]);

/** TypeScript-only modifiers on JavaScript nodes: `x?`, `private`, `readonly`, `abstract class`, `let x!`. */
const TS_FLAGS: Record<string, readonly string[]> = {
  Identifier: ['optional'],
  ArrayPattern: ['optional'],
  ObjectPattern: ['optional'],
  RestElement: ['optional'],
  AssignmentPattern: ['optional'],
  ClassDeclaration: ['abstract'],
  ClassExpression: ['abstract'],
  PropertyDefinition: ['accessibility', 'definite', 'optional', 'override', 'readonly'],
  MethodDefinition: ['accessibility', 'optional', 'override'],
  VariableDeclarator: ['definite']
};

/** Declarations that only exist for the type checker. */
const TYPE_ONLY = new Set([
  'TSInterfaceDeclaration',
  'TSTypeAliasDeclaration',
  'TSDeclareFunction',
  'TSModuleDeclaration',
  'TSNamespaceExportDeclaration'
]);

const typeOnly = (node: TsNode | null) => node !== null && (TYPE_ONLY.has(node.type) || node.declare === true);
const remove: Rewrite = () => undefined;
const unwrap: Rewrite = node => node.expression as TsNode;
const unsupported =
  (what: string): Rewrite =>
  node => {
    throw new UnsupportedSyntax(`${what} are not supported`, node.start);
  };

const rewrites: Record<string, Rewrite> = {
  TSAsExpression: unwrap,
  TSSatisfiesExpression: unwrap,
  TSNonNullExpression: unwrap,
  TSTypeAssertion: unwrap,
  TSInstantiationExpression: unwrap,
  TSParameterProperty: node => node.parameter as TsNode,
  TSInterfaceDeclaration: remove,
  TSTypeAliasDeclaration: remove,
  TSDeclareFunction: remove,
  // sucrase erases every namespace, values too: one with values would not exist in the compiled step.
  // Removed here as there; analysis reports it (index.ts) rather than let the name go missing at run time.
  TSModuleDeclaration(node, state) {
    if (!node.declare && hasValues(node)) {
      const id = node.id as TsNode;
      state.namespaces.push({ name: id.type === 'Identifier' ? (id.name as string) : dotted(id), offset: node.start });
    }
    return undefined;
  },
  TSNamespaceExportDeclaration: remove,
  TSIndexSignature: remove,
  TSAbstractMethodDefinition: remove,
  TSAbstractPropertyDefinition: remove,
  TSAbstractAccessorProperty: remove,
  TSEnumDeclaration: node => (node.declare ? undefined : enumStatements(node)),
  TSImportEqualsDeclaration: node => (node.importKind === 'type' ? undefined : importEqualsAsVariable(node)),
  TSExportAssignment: node => exportAssignmentAsStatement(node),
  VariableDeclaration: node => (node.declare ? undefined : node),
  ClassDeclaration: node => (node.declare ? undefined : node),
  FunctionDeclaration: withoutThisParameter,
  FunctionExpression: withoutThisParameter,
  // Overload signatures and `declare` fields have no runtime part.
  MethodDefinition: node => ((node.value as TsNode).type === 'TSEmptyBodyFunctionExpression' ? undefined : node),
  PropertyDefinition: node => (node.declare ? undefined : node),
  ImportDeclaration(node, state) {
    if (node.phase) return unsupported('Source and deferred imports')(node, state);
    if (node.importKind === 'type') return undefined;
    return withoutTypeSpecifiers(node, 'importKind', state);
  },
  ExportNamedDeclaration(node, state) {
    if (node.exportKind === 'type' || typeOnly(node.declaration as TsNode | null)) return undefined;
    const declaration = node.declaration as TsNode | null;
    if (declaration?.type === 'TSEnumDeclaration') {
      // `export enum E {..}` as sucrase writes it: `export var E; (function (E) {..})(E || (E = {}))`.
      const [variable, call] = enumStatements(declaration);
      return [
        { ...node, declaration: variable, range: variable.range, start: variable.start, end: variable.end },
        call
      ];
    }
    return withoutTypeSpecifiers(node, 'exportKind', state);
  },
  ExportDefaultDeclaration: node => (typeOnly(node.declaration as TsNode) ? undefined : node),
  ExportAllDeclaration: node => (node.exportKind === 'type' ? undefined : node),
  ImportExpression: (node, state) => (node.phase ? unsupported('Source and deferred imports')(node, state) : node),
  JSXElement: (node, state) => ((state.jsx = true), jsxRewrites.JSXElement!(node)),
  JSXFragment: (node, state) => ((state.jsx = true), jsxRewrites.JSXFragment!(node)),
  Decorator: unsupported('Decorators'),
  AccessorProperty: unsupported('`accessor` fields')
};

/** What the walk needs of a node kind: its rewrite, the keys holding code, the keys holding types, its TS flags. */
interface Kind {
  rewrite: Rewrite | undefined;
  children: readonly string[];
  types: readonly string[];
  flags: readonly string[];
}

const kinds = new Map<string, Kind>();

function kindOf(type: string): Kind {
  let kind = kinds.get(type);
  if (!kind) {
    const keys = Object.hasOwn(visitorKeys, type) ? visitorKeys[type] : [];
    kind = {
      rewrite: Object.hasOwn(rewrites, type) ? rewrites[type] : undefined,
      children: keys.filter(k => !TYPE_KEYS.has(k)),
      types: keys.filter(k => TYPE_KEYS.has(k)),
      flags: Object.hasOwn(TS_FLAGS, type) ? TS_FLAGS[type] : []
    };
    kinds.set(type, kind);
  }
  return kind;
}

/** A node's rewrite, applied until it settles (`x as A as B`), then its children's; the node's replacement. */
function walk(node: TsNode, state: State): TsNode | TsNode[] | undefined {
  let kind = kindOf(node.type);
  while (kind.rewrite) {
    const next = kind.rewrite(node, state);
    if (next === node) break;
    state.typed = true;
    if (next === undefined) return undefined;
    if (Array.isArray(next)) return next.flatMap(n => walk(n, state) ?? []);
    node = next;
    kind = kindOf(node.type);
  }
  for (const key of kind.types) {
    const value = node[key];
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    state.typed = true;
    node[key] = null;
  }
  for (const flag of kind.flags) if (node[flag]) state.typed = true;
  for (const key of kind.children) {
    const child = node[key] as TsNode | Array<TsNode | null> | null | undefined;
    if (!child) continue;
    if (!Array.isArray(child)) {
      const next = walk(child, state);
      // Several statements where one belongs (`if (c) enum E {}` cannot be written): a block holds them.
      node[key] = Array.isArray(next) ? make('BlockStatement', child, { body: next }) : (next ?? emptyStatement(child));
      continue;
    }
    const items: Array<TsNode | null> = [];
    for (const item of child) {
      const next = item === null ? null : walk(item, state); // null: a hole in `[a, , b]`
      if (Array.isArray(next)) items.push(...next);
      else if (next !== undefined) items.push(next);
    }
    if (items.length !== child.length || items.some((item, i) => item !== child[i])) node[key] = items;
  }
  state.visit?.(node);
  return node;
}

/** `A.B` of a namespace's qualified name. */
function dotted(id: TsNode): string {
  if (id.type === 'Identifier') return id.name as string;
  if (id.type === 'TSQualifiedName') return `${dotted(id.left as TsNode)}.${dotted(id.right as TsNode)}`;
  return String(id.value ?? 'namespace');
}

/** Whether a namespace declares anything that exists at run time (not only types). */
function hasValues(node: TsNode): boolean {
  const body = node.body as TsNode | null;
  if (!body) return false;
  if (body.type === 'TSModuleDeclaration') return !body.declare && hasValues(body); // `namespace A.B {..}`
  return (body.body as TsNode[]).some(statement => {
    if (statement.type === 'EmptyStatement' || typeOnly(statement)) return false;
    if (statement.type === 'TSModuleDeclaration') return !statement.declare && hasValues(statement);
    if (statement.type === 'ImportDeclaration') return statement.importKind !== 'type';
    if (statement.type === 'ExportNamedDeclaration') {
      const declaration = statement.declaration as TsNode | null;
      if (statement.exportKind === 'type') return false;
      if (declaration?.type === 'TSModuleDeclaration') return !declaration.declare && hasValues(declaration);
      return declaration ? !typeOnly(declaration) : true;
    }
    return true;
  });
}

function withoutThisParameter(node: TsNode, state: State): TsNode {
  const params = node.params as TsNode[];
  if (params[0]?.type === 'Identifier' && params[0].name === 'this') {
    params.shift(); // `function f(this: T)` types `this`; it is not a parameter
    state.typed = true;
  }
  return node;
}

function withoutTypeSpecifiers(node: TsNode, kind: 'importKind' | 'exportKind', state: State): TsNode {
  const specifiers = node.specifiers as TsNode[];
  const values = specifiers.filter(s => s[kind] !== 'type');
  if (values.length < specifiers.length) {
    node.specifiers = values;
    state.typed = true;
  }
  return node;
}

/** A node made from `like`'s place in the source. */
function make(type: string, like: TsNode, fields: Record<string, unknown>): TsNode {
  return { type, range: like.range, start: like.start, end: like.end, ...fields };
}

function emptyStatement(like: TsNode): TsNode {
  return make('EmptyStatement', like, {});
}

function declaration(kind: 'var' | 'const', id: TsNode, init: TsNode | null, like: TsNode): TsNode {
  return make('VariableDeclaration', like, {
    kind,
    declarations: [make('VariableDeclarator', like, { id, init })],
    declare: false
  });
}

/**
 * `enum E { A = k, B = A + 1 }` as sucrase writes it, `var E; (function (E) { var A = k; var B = A + 1; })(E ||
 * (E = {}))`: E keeps the value it had when there is one (members are added to it), members are local names, and
 * initializers still read outer names. The two statements split the enum's range, so each statement's names stay
 * apart as in the compiled code.
 */
function enumStatements(node: TsNode): [TsNode, TsNode] {
  const id = node.id as TsNode;
  const head: TsNode = { ...node, range: [node.start, id.end], end: id.end };
  const tail: TsNode = { ...node, range: [id.end, node.end], start: id.end };
  const members = (node.body as TsNode).members as TsNode[];
  const statements = members.map(member => {
    const [name, init] = [member.id as TsNode, member.initializer as TsNode | null];
    if (name.type === 'Identifier') return declaration('var', name, init, member);
    return init ? make('ExpressionStatement', member, { expression: init }) : emptyStatement(member);
  });
  const self = () => make('Identifier', tail, { name: id.name });
  const callee = make('FunctionExpression', tail, {
    id: null,
    params: [self()],
    body: make('BlockStatement', tail, { body: statements }),
    async: false,
    generator: false,
    expression: false
  });
  const created = make('AssignmentExpression', tail, {
    operator: '=',
    left: self(),
    right: make('ObjectExpression', tail, { properties: [] })
  });
  const argument = make('LogicalExpression', tail, { operator: '||', left: self(), right: created });
  const call = make('CallExpression', tail, { callee, arguments: [argument], optional: false });
  return [declaration('var', id, null, head), make('ExpressionStatement', tail, { expression: call })];
}

/** `import fs = require('fs')` as `const fs = require('fs')`, `import A = B.C` as `const A = B.C` (as sucrase does). */
function importEqualsAsVariable(node: TsNode): TsNode {
  return declaration('const', node.id as TsNode, moduleValue(node.moduleReference as TsNode), node);
}

function moduleValue(reference: TsNode): TsNode {
  if (reference.type === 'TSExternalModuleReference') {
    const callee = make('Identifier', reference, { name: 'require' });
    return make('CallExpression', reference, { callee, arguments: [reference.expression], optional: false });
  }
  if (reference.type === 'TSQualifiedName') {
    const object = moduleValue(reference.left as TsNode);
    return make('MemberExpression', reference, { object, property: reference.right, computed: false, optional: false });
  }
  return reference;
}

/** `export = x` as `module.exports = x` (as sucrase does). */
function exportAssignmentAsStatement(node: TsNode): TsNode {
  const target = make('MemberExpression', node, {
    object: make('Identifier', node, { name: 'module' }),
    property: make('Identifier', node, { name: 'exports' }),
    computed: false,
    optional: false
  });
  const assignment = make('AssignmentExpression', node, { operator: '=', left: target, right: node.expression });
  return make('ExpressionStatement', node, { expression: assignment });
}
