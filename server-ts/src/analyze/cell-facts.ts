/**
 * Phase 2 for one cell: what it defines at top level and which free names it
 * reads, from eslint-scope's scope model (unresolved references are exactly
 * the names a cell takes from elsewhere). Pure, and cached by source.
 */
import { analyze as analyzeScopes, type Reference, type Scope, type Variable } from 'eslint-scope';
import type { CallExpression, Expression, Identifier, Node, Program } from 'estree';
import type { Language } from '../ir.js';
import { isParseFailure, parseCellSource, type ParseFailure } from './source.js';
import { stripTypes } from './strip-types.js';
import { aliasesOf } from './visitors/alias.js';
import { memberRoot, mutatedRoots } from './visitors/mutation.js';

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
  /** Every assignment or mutation of the name sits in a function body: it happens when the function is called. */
  inFunction: boolean;
  /** The class of `new C(..)` when that is the value (`const p = new Point()`): instances travel only if C does. */
  instanceOf?: string;
}

export interface CellFacts {
  /** The cell as JavaScript (types stripped), lines where the source has them: made when the compiler first asks. */
  readonly js: string;
  sourceType: 'module' | 'script';
  /** Top-level definitions, one per name (the first site), in source order. */
  defines: Definition[];
  /** Free names read before this cell defines them, first site each, in source order. */
  reads: NameSite[];
  /**
   * Free names the cell assigns inside function bodies (and not at top level before reading them): whether the
   * functions ran decides if the name has a new value, so the step takes it from upstream where a step defines it,
   * and does without it otherwise.
   */
  keeps: NameSite[];
  /** For each top-level name: the other names its definition reads (free or top-level). */
  uses: Record<string, string[]>;
  /** For each top-level name: the free or top-level names its definition assigns or mutates. */
  writes: Record<string, string[]>;
  /** Calls of free or top-level functions, with the free or top-level name each argument starts from. */
  calls: Call[];
  /** For each top-level function: the positions of the arguments it mutates (`function add(rows, x) { rows.push(x) }`). */
  mutatesArguments: Record<string, number[]>;
  parseError?: ParseFailure;
}

export interface Call extends NameSite {
  /** The callee's name. */
  name: string;
  args: Array<string | null>;
}

export function analyzeCell(source: string, language: Language): CellFacts {
  const mutationRoots: Identifier[] = [];
  const aliases = new Map<Identifier, Identifier>();
  const callNodes: CallExpression[] = [];
  const parsed = parseCellSource(source, language, node => {
    for (const root of mutatedRoots(node)) mutationRoots.push(root);
    for (const [alias, of] of aliasesOf(node)) aliases.set(alias, of);
    if (node.type === 'CallExpression' && node.callee.type === 'Identifier') callNodes.push(node);
  });
  if (isParseFailure(parsed)) {
    const nothing = { defines: [], reads: [], keeps: [], uses: {}, writes: {}, calls: [], mutatesArguments: {} };
    return { js: source, sourceType: 'module', ...nothing, parseError: parsed };
  }
  const program = parsed.program;
  const position = parsed.position;
  const siteOf = (name: string, node: Node): NameSite => ({ name, ...position(start(node)) });
  const manager = analyzeScopes(program, {
    ecmaVersion: 2022,
    sourceType: parsed.sourceType,
    // Script cells get a function scope over the cell (as CommonJS does), so top-level names resolve like module ones.
    nodejsScope: parsed.sourceType === 'script'
  });
  const globalScope = manager.globalScope!;
  const topScope = globalScope.childScopes[0] ?? globalScope;

  // Writes inside function bodies happen when the function is called, not when the cell runs.
  const inFunction = (ref: Reference) => ref.from.variableScope !== topScope;

  const defines = new Map<string, Definition>();
  const define = (name: string, node: Node, kind: DefinitionKind, how: Definition['how'], nested: boolean) => {
    const known = defines.get(name);
    if (known) known.inFunction &&= nested;
    else defines.set(name, { ...siteOf(name, node), kind, how, inFunction: nested });
  };
  for (const variable of topScope.variables) {
    if (variable.defs.length === 0 || variable.name === 'arguments') continue;
    define(variable.name, variable.defs[0].name as Identifier, definitionKind(variable), 'declare', false);
    const init = variable.defs[0].type === 'Variable' ? (variable.defs[0].node as { init?: Node | null }).init : null;
    const instanceOf = init ? classInstantiated(init) : undefined;
    if (instanceOf) defines.get(variable.name)!.instanceOf = instanceOf;
  }

  // Free references: a name is read from elsewhere when the cell reads it before its first top-level write is done
  // (the right-hand side of `x = x + 1` runs before the write). A name assigned in a function body may or may not
  // be set by then, so the cell keeps it (takes it where there is one) instead of reading it.
  const through = [...globalScope.through].sort((a, b) => start(idOf(a)) - start(idOf(b)));
  const writtenAt = new Map<string, number>();
  for (const ref of through) {
    if (!ref.isWrite() || inFunction(ref)) continue;
    const name = idOf(ref).name;
    const done = end((ref.writeExpr as Node | null | undefined) ?? idOf(ref));
    writtenAt.set(name, Math.min(writtenAt.get(name) ?? Infinity, done));
  }
  const assignedInFunction = new Set(through.filter(r => r.isWrite() && inFunction(r)).map(r => idOf(r).name));
  const reads = new Map<string, NameSite>();
  const keeps = new Map<string, NameSite>();
  for (const ref of through) {
    const name = idOf(ref).name;
    const readFirst = start(idOf(ref)) < (writtenAt.get(name) ?? Infinity);
    const into = assignedInFunction.has(name) ? keeps : reads;
    if ((ref.isRead() && readFirst) || (ref.isWrite() && inFunction(ref) && !writtenAt.has(name))) {
      if (!into.has(name)) into.set(name, siteOf(name, idOf(ref)));
    }
    if (ref.isWrite()) define(name, idOf(ref), assignedKind(ref), 'assign', inFunction(ref));
  }

  // Mutations of top-level or free names count as definitions of them.
  const referenceByIdentifier = new Map<Identifier, Reference>();
  for (const scope of manager.scopes) for (const ref of scope.references) referenceByIdentifier.set(idOf(ref), ref);
  const mutated = new Set<Identifier>();
  const mutatedParameters: Array<{ fn: Node; index: number }> = [];
  for (const root of mutationRoots) {
    // Follow aliases (loop variables, callback parameters, `const first = rows[0]`) to the names they stand for.
    let identifier: Identifier | undefined = root;
    const nested = inFunction(referenceByIdentifier.get(root) ?? ({ from: topScope } as Reference));
    for (let depth = 0; identifier && depth < 8; depth++) {
      const ref = referenceByIdentifier.get(identifier);
      if (!ref) break;
      if (!ref.resolved || ref.resolved.scope === topScope) {
        mutated.add(identifier);
        define(identifier.name, identifier, 'value', 'mutate', nested || inFunction(ref));
      }
      const definition = ref.resolved?.defs[0];
      if (definition?.type === 'Parameter') {
        mutatedParameters.push({
          fn: definition.node as Node,
          index: (definition as unknown as { index: number }).index
        });
      }
      const declaration = definition?.name as Identifier | undefined;
      identifier = declaration ? aliases.get(declaration) : undefined;
    }
  }

  // Which arguments each top-level function mutates, and which names calls pass in.
  const functionName = new Map<Node, string>();
  for (const variable of topScope.variables) {
    const definition = variable.defs[0];
    if (definition?.type === 'FunctionName') functionName.set(definition.node as Node, variable.name);
    const init = definition?.type === 'Variable' ? (definition.node as { init?: Node | null }).init : undefined;
    if (init) functionName.set(init, variable.name);
  }
  const mutatesArguments: Record<string, number[]> = {};
  for (const { fn, index } of mutatedParameters) {
    const name = functionName.get(fn);
    if (name && !(mutatesArguments[name] ??= []).includes(index)) mutatesArguments[name].push(index);
  }
  const outerName = (node: Node | undefined): string | null => {
    const root = node && node.type !== 'SpreadElement' ? memberRoot(node as Expression) : undefined;
    const ref = root && referenceByIdentifier.get(root);
    return ref && (!ref.resolved || ref.resolved.scope === topScope) ? root.name : null;
  };
  const calls: Call[] = callNodes.flatMap(call => {
    const callee = outerName(call.callee);
    return callee ? [{ ...siteOf(callee, call.callee), args: call.arguments.map((a: Node) => outerName(a)) }] : [];
  });

  return withJavaScript(source, parsed.typed, {
    sourceType: parsed.sourceType,
    defines: [...defines.values()].sort((a, b) => a.line - b.line || a.column - b.column),
    reads: [...reads.values()],
    keeps: [...keeps.values()],
    ...namesByDefinition(program, topScope, new Set(globalScope.through), manager.scopes, mutated),
    calls,
    mutatesArguments
  });
}

/**
 * The facts with `js` made when the compiler first asks: analysis alone never runs sucrase. A function of its own
 * so the getter's closure holds the source only, not the syntax tree and scopes of analyzeCell (cached facts would
 * keep every cell's tree alive).
 */
function withJavaScript(source: string, typed: boolean, facts: Omit<CellFacts, 'js'>): CellFacts {
  let js: string | undefined;
  return {
    get js() {
      return (js ??= typed ? stripTypes(source) : source);
    },
    ...facts
  };
}

/**
 * What each top-level statement's definitions refer to: the names they read, and the names they assign or
 * mutate. A prelude function's reads and writes happen in the steps that call it.
 */
function namesByDefinition(
  program: Program,
  topScope: Scope,
  through: ReadonlySet<Reference>,
  scopes: Scope[],
  mutated: ReadonlySet<Identifier>
): Pick<CellFacts, 'uses' | 'writes'> {
  const statements = program.body as Node[];
  const statementOf = (node: Node) => {
    // Statements are sorted and disjoint: binary search by offset.
    const offset = start(node);
    let [low, high] = [0, statements.length - 1];
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (end(statements[mid]) <= offset) low = mid + 1;
      else if (start(statements[mid]) > offset) high = mid - 1;
      else return mid;
    }
    return -1;
  };
  const namesByStatement = new Map<number, string[]>();
  for (const variable of topScope.variables) {
    if (variable.defs.length === 0) continue;
    const index = statementOf(variable.defs[0].name as Node);
    namesByStatement.set(index, [...(namesByStatement.get(index) ?? []), variable.name]);
  }
  const readByStatement = new Map<number, Set<string>>();
  const writtenByStatement = new Map<number, Set<string>>();
  const note = (byStatement: Map<number, Set<string>>, index: number, name: string) => {
    if (!byStatement.has(index)) byStatement.set(index, new Set());
    byStatement.get(index)!.add(name);
  };
  for (const scope of scopes) {
    for (const ref of scope.references) {
      const free = ref.resolved === null && through.has(ref);
      const topLevel = ref.resolved !== null && ref.resolved.scope === topScope;
      if (!free && !topLevel) continue;
      const index = statementOf(idOf(ref));
      if (ref.isRead()) note(readByStatement, index, idOf(ref).name);
      if (ref.isWrite() || mutated.has(idOf(ref))) note(writtenByStatement, index, idOf(ref).name);
    }
  }
  const uses: Record<string, string[]> = {};
  const writes: Record<string, string[]> = {};
  for (const [index, names] of namesByStatement) {
    const others = (byStatement: Map<number, Set<string>>) =>
      [...(byStatement.get(index) ?? [])].filter(n => !names.includes(n)).sort();
    for (const name of names) {
      uses[name] = others(readByStatement);
      writes[name] = others(writtenByStatement);
    }
  }
  return { uses, writes };
}

/** `C` in `new C(..)` or `await new C(..)`. */
function classInstantiated(node: Node): string | undefined {
  const inner = node.type === 'AwaitExpression' ? node.argument : node;
  return inner.type === 'NewExpression' && inner.callee.type === 'Identifier' ? inner.callee.name : undefined;
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

const idOf = (ref: Reference) => ref.identifier as Identifier;
const start = (node: Node) => node.range![0];
const end = (node: Node) => node.range![1];
