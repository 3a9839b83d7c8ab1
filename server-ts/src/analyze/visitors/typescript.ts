/**
 * TS-ESTree → plain ESTree, in place, in one walk: eslint-scope and the
 * mutation visitors only know JavaScript. Types go the way sucrase erases
 * them for the compiler, so analysis sees the code the compiled step runs:
 * type-only statements, imports and class members are removed, `x as T`
 * becomes `x`, an enum becomes a variable. One rewrite per node kind; each
 * returns the node's replacement (walked in turn), or nothing to remove it.
 * Children are found by oxc's visitor keys, made for the very AST it returns.
 * Every node keeps its range in the cell's own source.
 */
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

/**
 * Erases types from `program` in place; true when the cell had any TypeScript syntax. `visit` sees every node of
 * the result, children before their parent: the analysis' own visitors ride on this walk instead of another one.
 */
export function eraseTypes(program: TsNode, visit?: (node: TsNode) => void): boolean {
  const state = { typed: false, visit };
  walk(program, state);
  return state.typed;
}

interface State {
  typed: boolean;
  visit: ((node: TsNode) => void) | undefined;
}

/** `undefined`: remove the node; the same node: keep it; another: replace it. */
type Rewrite = (node: TsNode, state: State) => TsNode | undefined;

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
  // sucrase erases namespaces (it supports type-only ones), so the compiled step never defines the name.
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
  TSModuleDeclaration: remove,
  TSNamespaceExportDeclaration: remove,
  TSIndexSignature: remove,
  TSAbstractMethodDefinition: remove,
  TSAbstractPropertyDefinition: remove,
  TSAbstractAccessorProperty: remove,
  TSEnumDeclaration: node => (node.declare ? undefined : enumAsVariable(node)),
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
    return withoutTypeSpecifiers(node, 'exportKind', state);
  },
  ExportDefaultDeclaration: node => (typeOnly(node.declaration as TsNode) ? undefined : node),
  ExportAllDeclaration: node => (node.exportKind === 'type' ? undefined : node),
  ImportExpression: (node, state) => (node.phase ? unsupported('Source and deferred imports')(node, state) : node),
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
function walk(node: TsNode, state: State): TsNode | undefined {
  let kind = kindOf(node.type);
  while (kind.rewrite) {
    const next = kind.rewrite(node, state);
    if (next === node) break;
    state.typed = true;
    if (next === undefined) return undefined;
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
      node[key] = walk(child, state) ?? emptyStatement(child);
      continue;
    }
    let kept = 0;
    for (const item of child) {
      const next = item === null ? null : walk(item, state); // null: a hole in `[a, , b]`
      if (next !== undefined) child[kept++] = next;
    }
    if (kept < child.length) child.length = kept;
  }
  state.visit?.(node);
  return node;
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
 * `enum E { A = k, B = A + 1 }` as `var E = (() => { var A = k; var B = A + 1; })()`: E is a value defined here,
 * members are local names (as in sucrase's function), and initializers still read outer names.
 */
function enumAsVariable(node: TsNode): TsNode {
  const members = (node.body as TsNode).members as TsNode[];
  const statements = members.map(member => {
    const [id, init] = [member.id as TsNode, member.initializer as TsNode | null];
    if (id.type === 'Identifier') return declaration('var', id, init, member);
    return init ? make('ExpressionStatement', member, { expression: init }) : emptyStatement(member);
  });
  const body = make('BlockStatement', node, { body: statements });
  const callee = make('ArrowFunctionExpression', node, {
    id: null,
    params: [],
    body,
    async: false,
    generator: false,
    expression: false
  });
  return declaration(
    'var',
    node.id as TsNode,
    make('CallExpression', node, { callee, arguments: [], optional: false }),
    node
  );
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
