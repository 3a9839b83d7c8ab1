/**
 * Phase 2 for one cell: what it defines at top level and which free names it
 * reads, from eslint-scope's scope model (unresolved references are exactly
 * the names a cell takes from elsewhere). Pure, and cached by source.
 */
import { analyze as analyzeScopes, type Reference, type Scope, type Variable } from 'eslint-scope';
import type { Identifier, Node, Program } from 'estree';
import type { Language } from '../ir.js';
import { isParseFailure, parseCellSource, type ParseFailure } from './source.js';
import { findMutations } from './visitors/mutation.js';

export type DefinitionKind = 'value' | 'function' | 'class' | 'import';

export interface NameSite {
  name: string;
  line: number;
  column: number;
}

export interface Definition extends NameSite {
  kind: DefinitionKind;
  /** declare: const/let/var/function/class/import; assign: `x = ..` with no declaration; mutate: `x.push(..)`. */
  how: 'declare' | 'assign' | 'mutate';
}

export interface CellFacts {
  /** The cell as JavaScript (types stripped), lines where the source has them. */
  js: string;
  sourceType: 'module' | 'script';
  /** Top-level definitions, one per name (the first site), in source order. */
  defines: Definition[];
  /** Free names read before this cell defines them, first site each, in source order. */
  reads: NameSite[];
  /** For each top-level name: the other names its definition refers to (free or top-level). */
  uses: Record<string, string[]>;
  parseError?: ParseFailure;
}

export function analyzeCell(source: string, language: Language): CellFacts {
  const parsed = parseCellSource(source, language);
  if (isParseFailure(parsed)) {
    return { js: source, sourceType: 'module', defines: [], reads: [], uses: {}, parseError: parsed };
  }
  const program = parsed.program as unknown as Program;
  const manager = analyzeScopes(program, {
    ecmaVersion: 2022,
    sourceType: parsed.sourceType,
    // Script cells get a function scope over the cell (as CommonJS does), so top-level names resolve like module ones.
    nodejsScope: parsed.sourceType === 'script'
  });
  const globalScope = manager.globalScope!;
  const topScope = globalScope.childScopes[0] ?? globalScope;

  const defines = new Map<string, Definition>();
  for (const variable of topScope.variables) {
    if (variable.defs.length === 0 || variable.name === 'arguments') continue;
    const site = variable.defs[0].name as Identifier;
    defines.set(variable.name, { ...siteOf(variable.name, site), kind: definitionKind(variable), how: 'declare' });
  }

  // Free references: a name is read from elsewhere unless the cell writes it before its first read.
  const reads = new Map<string, NameSite>();
  const through = [...globalScope.through].sort((a, b) => start(idOf(a)) - start(idOf(b)));
  const firstRefByName = new Map<string, Reference>();
  for (const ref of through) {
    const name = idOf(ref).name;
    if (!firstRefByName.has(name)) firstRefByName.set(name, ref);
    const first = firstRefByName.get(name)!;
    const readBeforeWrite = first.isRead() || !first.isWrite();
    if (ref.isRead() && readBeforeWrite && !reads.has(name)) reads.set(name, siteOf(name, idOf(ref)));
    if (ref.isWrite() && !defines.has(name)) {
      defines.set(name, { ...siteOf(name, idOf(ref)), kind: assignedKind(ref), how: 'assign' });
    }
  }

  // Mutations of top-level or free names count as definitions of them.
  const referenceByIdentifier = new Map<Identifier, Reference>();
  for (const scope of manager.scopes) for (const ref of scope.references) referenceByIdentifier.set(idOf(ref), ref);
  for (const root of findMutations(program)) {
    const ref = referenceByIdentifier.get(root);
    if (!ref || (ref.resolved && ref.resolved.scope !== topScope)) continue;
    if (!defines.has(root.name)) defines.set(root.name, { ...siteOf(root.name, root), kind: 'value', how: 'mutate' });
  }

  return {
    js: parsed.js,
    sourceType: parsed.sourceType,
    defines: [...defines.values()].sort((a, b) => a.line - b.line || a.column - b.column),
    reads: [...reads.values()],
    uses: usesByDefinition(program, topScope, globalScope, manager.scopes)
  };
}

/** Which names each top-level statement's definitions refer to: a function's free names travel with its callers. */
function usesByDefinition(program: Program, topScope: Scope, globalScope: Scope, scopes: Scope[]): Record<string, string[]> {
  const statements = program.body as Node[];
  const statementOf = (node: Node) => statements.findIndex(s => start(s) <= start(node) && start(node) < end(s));
  const namesByStatement = new Map<number, string[]>();
  for (const variable of topScope.variables) {
    if (variable.defs.length === 0) continue;
    const index = statementOf(variable.defs[0].name as Node);
    namesByStatement.set(index, [...(namesByStatement.get(index) ?? []), variable.name]);
  }
  const usedByStatement = new Map<number, Set<string>>();
  for (const scope of scopes) {
    for (const ref of scope.references) {
      const free = ref.resolved === null && globalScope.through.includes(ref);
      const topLevel = ref.resolved !== null && ref.resolved.scope === topScope;
      if (!free && !topLevel) continue;
      const index = statementOf(idOf(ref));
      if (!usedByStatement.has(index)) usedByStatement.set(index, new Set());
      usedByStatement.get(index)!.add(idOf(ref).name);
    }
  }
  const uses: Record<string, string[]> = {};
  for (const [index, names] of namesByStatement) {
    const used = [...(usedByStatement.get(index) ?? [])].filter(n => !names.includes(n)).sort();
    for (const name of names) uses[name] = used;
  }
  return uses;
}

function definitionKind(variable: Variable): DefinitionKind {
  const def = variable.defs[0];
  switch (def.type) {
    case 'ImportBinding':
      return 'import';
    case 'FunctionName':
      return 'function';
    case 'ClassName':
      return 'class';
    case 'Variable': {
      const init = (def.node as { init?: Node | null }).init;
      return init ? expressionKind(init) : 'value';
    }
    default:
      return 'value';
  }
}

function assignedKind(ref: Reference): DefinitionKind {
  const value = ref.writeExpr as Node | null | undefined;
  return value ? expressionKind(value) : 'value';
}

/** `() => ..` is a function, `class {}` a class, `require(..)` / `await import(..)` a module. */
function expressionKind(node: Node): DefinitionKind {
  const inner = node.type === 'AwaitExpression' ? node.argument : node;
  switch (inner.type) {
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
      return 'function';
    case 'ClassExpression':
      return 'class';
    case 'ImportExpression':
      return 'import';
    case 'CallExpression':
      return inner.callee.type === 'Identifier' && inner.callee.name === 'require' ? 'import' : 'value';
    default:
      return 'value';
  }
}

function siteOf(name: string, node: Node): NameSite {
  return { name, line: node.loc!.start.line, column: node.loc!.start.column };
}

const idOf = (ref: Reference) => ref.identifier as Identifier;
const start = (node: Node) => node.range![0];
const end = (node: Node) => node.range![1];
