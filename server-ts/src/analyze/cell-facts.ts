/**
 * Phase 2 for one cell: what it defines at top level and which free names it
 * reads, from eslint-scope's scope model (unresolved references are exactly
 * the names a cell takes from elsewhere). Pure, and cached by source.
 */
import { analyze as analyzeScopes, type Reference, type Scope, type Variable } from 'eslint-scope';
import type { CallExpression, Expression, Identifier, Node, Program } from 'estree';
import type { Language } from '../ir.js';
import { isParseFailure, isStackOverflow, parseCellSource, type ParseFailure } from './source.js';
import { stripTypes } from './strip-types.js';
import { aliasesOf } from './visitors/alias.js';
import { conditionalRanges, rangeUnion } from './visitors/conditional.js';
import { memberRoot, methodName, mutatedRoots, mutatesThis, READ_ONLY_METHODS } from './visitors/mutation.js';

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
  /**
   * Every top-level write of the name may not happen (it sits in a branch, loop or `try`), or there is none
   * (`var x;`, `let x;`, which the compiled step runs as `var x;`): the name may keep the value it had.
   */
  maybe: boolean;
  /** The class of `new C(..)` when that is the value (`const p = new Point()`): instances travel only if C does. */
  instanceOf?: string;
  /** What the last top-level write makes, when that may be a value no step can hand on (dataflow.ts decides). */
  origin?: ValueOrigin;
}

/**
 * A value that can never be marshalled, or may not be: a function (`f.bind(..)`, `promisify(..)`), a promise
 * (`fetch(..)`, `new Promise(..)`, `p.then(..)`), a weak collection, a resource (`new ReadableStream()`,
 * `http.createServer()` when `http` is imported), an instance (`new C(..)`: of an imported class?) or a call's
 * result (`f(..)` without `await`: of an async function or a generator?).
 */
export interface ValueOrigin {
  what: 'function' | 'promise' | 'weak' | 'resource' | 'new' | 'call';
  /** The constructor or callee as written: `WeakMap`, `http.createServer`, `gen`. */
  via: string;
  /** The name `via` starts from, when whether it is an import or a notebook function decides. */
  root?: string;
}

/** A name the cell may leave as it was: the step takes it from upstream where a step defines it. */
export interface KeepSite extends NameSite {
  /** Kept because its top-level writes may not happen (not because a function body assigns it). */
  maybe?: boolean;
}

/** What a class defined in the cell shows: which methods change `this`, and what the marshaller cannot rebuild. */
export interface ClassFacts {
  /** For each method (by name): whether its body mutates `this`. */
  methods: Record<string, boolean>;
  /** The class extends another: methods it does not define are inherited, unseen. */
  extends: boolean;
  /** A `#private` member or a `get`/`set` accessor: instances cannot be handed between steps. */
  unmarshallable?: NameSite & { feature: 'private' | 'accessor' };
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
  keeps: KeepSite[];
  /** Free names read by code that runs when the cell runs (not in function bodies): what a prelude cell needs first. */
  topLevelReads: NameSite[];
  /** For each top-level name: the other names its definition reads (free or top-level). */
  uses: Record<string, string[]>;
  /** For each top-level name: the free or top-level names its definition assigns or mutates. */
  writes: Record<string, string[]>;
  /** Calls of free or top-level functions, with the free or top-level name each argument starts from. */
  calls: Call[];
  /** For each top-level function: the positions of the arguments it mutates (`function add(rows, x) { rows.push(x) }`). */
  mutatesArguments: Record<string, number[]>;
  /** Top-level async functions and generator functions: calling them without `await` makes a promise or generator. */
  asyncFunctions: string[];
  generatorFunctions: string[];
  /** Top-level classes. */
  classes: Record<string, ClassFacts>;
  /**
   * Calls of read-only method names on a free or top-level name (`stats.get(k)`): read-only for built-in values,
   * but for an instance of a notebook class only what its method does tells.
   */
  methodCalls: Array<NameSite & { method: string }>;
  /**
   * Functions an optimizer's `minimize` runs (`opt.minimize(() => loss(w))`): what they read (the tf.Variables it
   * trains) is mutated. The closure's own reads count as mutations already; these are the functions it calls.
   */
  minimizes: NameSite[];
  parseError?: ParseFailure;
  /** Namespaces with values (`namespace N { export const x = 1 }`): the compiler drops them, so they are refused. */
  namespaces: NameSite[];
  /** Modules the cell loads by a literal specifier, in source order: checked before a run starts. */
  imports: ImportSite[];
  /**
   * Names the cell imports and never uses as a value (`import { Shape } from './shapes'` used only in types):
   * unless another cell reads them, the compiled step leaves them out, as TypeScript and tslab do.
   */
  unreferencedImports: string[];
}

/** `import .. from 'x'`, `export .. from 'x'`, `import('x')`, `require('x')`: a specifier the step must resolve. */
export interface ImportSite {
  specifier: string;
  kind: 'static' | 'dynamic' | 'require';
  /** In a function body, or caught (a `try` block, `import(..).catch(..)`): a failure to load need not fail the cell. */
  optional?: true;
  line: number;
  column: number;
}

export interface Call extends NameSite {
  /**
   * The callee's name. Calls through `fn.call(t, ..)`, `fn.apply(t, [..])`, `Reflect.apply(fn, t, [..])` and
   * callbacks (`rows.forEach(clamp)`: `clamp` gets the elements and the array) count as calls of `fn`.
   */
  name: string;
  args: Array<string | null>;
}

export function analyzeCell(source: string, language: Language): CellFacts {
  try {
    return analyzeParsedCell(source, language);
  } catch (error) {
    if (!isStackOverflow(error)) throw error;
    // Deep nesting without brackets (`1 + 1 + …` many thousand times): a limit of cellflow, said as one.
    const parseError = { message: 'the code nests too deeply to analyze', line: 1, column: 0, tooDeep: true as const };
    return { js: source, sourceType: 'module', ...NO_FACTS, parseError };
  }
}

function analyzeParsedCell(source: string, language: Language): CellFacts {
  const collected = new NodeFacts();
  const parsed = parseCellSource(source, language, collected.visit);
  if (isParseFailure(parsed)) return { js: source, sourceType: 'module', ...NO_FACTS, parseError: parsed };
  const facts = factsOfProgram(parsed.program, parsed.sourceType, parsed.position, collected);
  return withJavaScript(source, parsed.typed, parsed.jsx, { ...facts, namespaces: parsed.namespaces });
}

const NO_FACTS = {
  defines: [],
  reads: [],
  keeps: [],
  topLevelReads: [],
  uses: {},
  writes: {},
  calls: [],
  mutatesArguments: {},
  asyncFunctions: [],
  generatorFunctions: [],
  classes: {},
  methodCalls: [],
  minimizes: [],
  namespaces: [],
  imports: [],
  unreferencedImports: []
};

/** Methods that call their callback with the receiver's elements (argument 0, or 1 for reduce) and the receiver. */
const ELEMENT_CALLBACKS: Record<string, number> = {
  forEach: 0,
  map: 0,
  filter: 0,
  find: 0,
  findIndex: 0,
  findLast: 0,
  findLastIndex: 0,
  every: 0,
  some: 0,
  flatMap: 0,
  sort: 0,
  toSorted: 0,
  reduce: 1,
  reduceRight: 1
};

/** A call of a function named by an identifier, with the expressions it passes (null: nothing known). */
interface IndirectCall {
  callee: Identifier;
  args: Array<Node | null>;
}

/**
 * What the walk of the parse gathers, node by node, children first (source.ts calls `visit`; the differential
 * test walks acorn's tree of the compiled JavaScript with it): one pass besides eslint-scope's.
 */
export class NodeFacts {
  readonly mutationRoots: Identifier[] = [];
  readonly aliases = new Map<Identifier, Identifier>();
  readonly calls: IndirectCall[] = [];
  readonly conditional: Array<[number, number]> = [];
  readonly thisMutations: number[] = [];
  readonly classes: Node[] = [];
  readonly readOnlyCalls: Array<{ receiver: Identifier; method: string }> = [];
  /** Closures passed to `minimize`, and identifiers passed to it. */
  readonly minimized: Array<[number, number]> = [];
  readonly minimizedNames: Identifier[] = [];
  /** `import('x')` and `require('x')` with a literal specifier (static imports are read off the program's body). */
  readonly moduleLoads: Array<{ specifier: string; kind: 'dynamic' | 'require'; offset: number }> = [];
  /** Function bodies and `try` blocks with a `catch`: a module load there may fail without failing the cell. */
  readonly optionalRanges: Array<[number, number]> = [];

  readonly visit = (node: Node): void => {
    for (const root of mutatedRoots(node)) this.mutationRoots.push(root);
    for (const [alias, of] of aliasesOf(node)) this.aliases.set(alias, of);
    for (const range of conditionalRanges(node)) this.conditional.push(range);
    if (mutatesThis(node)) this.thisMutations.push(node.range![0]);
    if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') this.classes.push(node);
    if (node.type === 'CallExpression') this.call(node);
    if (
      node.type === 'FunctionDeclaration' ||
      node.type === 'FunctionExpression' ||
      node.type === 'ArrowFunctionExpression'
    )
      this.optionalRanges.push(node.range!);
    if (node.type === 'TryStatement' && node.handler) this.optionalRanges.push(node.block.range!);
    if (node.type === 'ImportExpression') {
      const specifier = literalString(node.source);
      if (specifier !== undefined) this.moduleLoads.push({ specifier, kind: 'dynamic', offset: node.range![0] });
    }
  };

  private call(node: CallExpression): void {
    const callee = node.callee.type === 'ChainExpression' ? node.callee.expression : node.callee;
    if (
      callee.type === 'MemberExpression' &&
      callee.object.type === 'ImportExpression' &&
      (methodName(callee) === 'catch' || (methodName(callee) === 'then' && node.arguments.length > 1))
    )
      this.optionalRanges.push(callee.object.range!); // `import('x').catch(..)`: the failure is handled
    if (callee.type === 'Identifier' && callee.name === 'require' && node.arguments.length === 1) {
      const specifier = literalString(node.arguments[0]);
      if (specifier !== undefined) this.moduleLoads.push({ specifier, kind: 'require', offset: node.range![0] });
    }
    if (callee.type === 'Identifier') {
      this.calls.push({ callee, args: node.arguments });
      return;
    }
    if (callee.type !== 'MemberExpression') return;
    const method = methodName(callee);
    const object = callee.object;
    const [first, second, third] = node.arguments;
    const listed = (list: Node | undefined) =>
      list?.type === 'ArrayExpression' ? list.elements.map(e => (e && e.type !== 'SpreadElement' ? e : null)) : [];
    if (object.type === 'Identifier' && (method === 'call' || method === 'apply')) {
      // `fn.call(t, a, b)`, `fn.apply(t, [a, b])`: a call of `fn` with a and b.
      const args = method === 'call' ? node.arguments.slice(1) : listed(second);
      this.calls.push({ callee: object, args });
    } else if (object.type === 'Identifier' && object.name === 'Reflect' && method === 'apply') {
      if (first?.type === 'Identifier') this.calls.push({ callee: first, args: listed(third) });
    } else if (method !== null && Object.hasOwn(ELEMENT_CALLBACKS, method)) {
      // `rows.forEach(clamp)`: `clamp` is called with the elements (and the array last but one argument after).
      const element = ELEMENT_CALLBACKS[method];
      for (const argument of node.arguments) {
        if (argument.type !== 'Identifier') continue;
        const args: Array<Node | null> =
          element === 0 ? [object, null, object] : [second ?? null, object, null, object];
        this.calls.push({ callee: argument, args });
      }
    }
    if (method === 'minimize' && first) {
      if (first.type === 'ArrowFunctionExpression' || first.type === 'FunctionExpression')
        this.minimized.push(first.range!);
      else if (first.type === 'Identifier') this.minimizedNames.push(first);
    }
    if (method !== null && READ_ONLY_METHODS.has(method) && object.type === 'Identifier')
      this.readOnlyCalls.push({ receiver: object, method });
  }
}

/**
 * The facts of one cell from its plain ESTree program and what the walk gathered. Any parser's tree will do: the
 * differential test feeds it acorn's parse of the JavaScript the compiler runs, and expects the same facts.
 */
export function factsOfProgram(
  program: Program,
  sourceType: 'module' | 'script',
  position: (offset: number) => { line: number; column: number },
  collected: NodeFacts
): Omit<CellFacts, 'js' | 'namespaces'> {
  const siteOf = (name: string, node: Node): NameSite => ({ name, ...position(start(node)) });
  const manager = analyzeScopes(program, {
    ecmaVersion: 2022,
    sourceType,
    // Script cells get a function scope over the cell (as CommonJS does), so top-level names resolve like module ones.
    nodejsScope: sourceType === 'script'
  });
  const globalScope = manager.globalScope!;
  const topScope = globalScope.childScopes[0] ?? globalScope;

  // Writes inside function bodies happen when the function is called, not when the cell runs.
  const inFunction = (ref: Reference) => ref.from.variableScope !== topScope;
  // A top-level write in a branch, loop or `try` may not happen when the cell runs.
  const inConditional = rangeUnion(collected.conditional);
  const definite = (ref: Reference) => ref.isWrite() && !inFunction(ref) && !inConditional(start(idOf(ref)));

  const defines = new Map<string, Definition>();
  const define = (name: string, node: Node, kind: DefinitionKind, how: Definition['how'], nested: boolean) => {
    const known = defines.get(name);
    if (known) known.inFunction &&= nested;
    else defines.set(name, { ...siteOf(name, node), kind, how, inFunction: nested, maybe: false });
  };
  /** The last top-level write of each name, whose value the cell hands on. */
  const lastWrite = new Map<string, Reference>();
  const noteWrite = (name: string, ref: Reference) => {
    if (!ref.isWrite() || inFunction(ref)) return;
    const last = lastWrite.get(name);
    if (!last || start(idOf(last)) < start(idOf(ref))) lastWrite.set(name, ref);
  };
  const definitelyWritten = new Set<string>();
  for (const variable of topScope.variables) {
    if (variable.defs.length === 0 || variable.name === 'arguments') continue;
    define(variable.name, variable.defs[0].name as Identifier, definitionKind(variable), 'declare', false);
    const init = variable.defs[0].type === 'Variable' ? (variable.defs[0].node as { init?: Node | null }).init : null;
    const instanceOf = init ? classInstantiated(init) : undefined;
    if (instanceOf) defines.get(variable.name)!.instanceOf = instanceOf;
    // Functions, classes and imports are bound when the cell runs; a variable only by a write that surely happens.
    if (variable.defs.some(d => d.type !== 'Variable') || variable.references.some(definite))
      definitelyWritten.add(variable.name);
    for (const ref of variable.references) noteWrite(variable.name, ref);
  }

  // Free references: a name is read from elsewhere when the cell reads it before its first top-level write is done
  // (the right-hand side of `x = x + 1` runs before the write). A name assigned in a function body may or may not
  // be set by then, so the cell keeps it (takes it where there is one) instead of reading it. So does a name read
  // after top-level writes that may not have happened.
  const through = [...globalScope.through].sort((a, b) => start(idOf(a)) - start(idOf(b)));
  const writtenAt = new Map<string, number>();
  const surelyWrittenAt = new Map<string, number>();
  for (const ref of through) {
    if (!ref.isWrite() || inFunction(ref)) continue;
    const name = idOf(ref).name;
    const done = end((ref.writeExpr as Node | null | undefined) ?? idOf(ref));
    writtenAt.set(name, Math.min(writtenAt.get(name) ?? Infinity, done));
    if (definite(ref)) surelyWrittenAt.set(name, Math.min(surelyWrittenAt.get(name) ?? Infinity, done));
    noteWrite(name, ref);
  }
  for (const name of surelyWrittenAt.keys()) definitelyWritten.add(name);
  const assignedInFunction = new Set(through.filter(r => r.isWrite() && inFunction(r)).map(r => idOf(r).name));
  const reads = new Map<string, NameSite>();
  const keeps = new Map<string, KeepSite>();
  const topLevelReads = new Map<string, NameSite>();
  for (const ref of through) {
    const name = idOf(ref).name;
    const at = start(idOf(ref));
    const readFirst = at < (writtenAt.get(name) ?? Infinity);
    const into = assignedInFunction.has(name) ? keeps : reads;
    if ((ref.isRead() && readFirst) || (ref.isWrite() && inFunction(ref) && !writtenAt.has(name))) {
      if (!into.has(name)) into.set(name, siteOf(name, idOf(ref)));
    } else if (ref.isRead() && at < (surelyWrittenAt.get(name) ?? Infinity) && !reads.has(name) && !keeps.has(name)) {
      keeps.set(name, { ...siteOf(name, idOf(ref)), maybe: true });
    }
    if (ref.isRead() && !inFunction(ref) && !topLevelReads.has(name)) topLevelReads.set(name, siteOf(name, idOf(ref)));
    if (ref.isWrite()) define(name, idOf(ref), assignedKind(ref), 'assign', inFunction(ref));
  }

  // Identifiers an optimizer's closure reads: the variables `minimize` trains (and whatever else it reads) change.
  const inMinimized = rangeUnion(collected.minimized);
  const mutationRoots = [...collected.mutationRoots, ...collected.minimizedNames];
  for (const scope of manager.scopes) {
    if (collected.minimized.length === 0) break;
    for (const ref of scope.references) {
      const outer = !ref.resolved || ref.resolved.scope === topScope;
      if (outer && ref.isRead() && inMinimized(start(idOf(ref)))) mutationRoots.push(idOf(ref));
    }
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
      identifier = declaration ? collected.aliases.get(declaration) : undefined;
    }
  }

  // Which names may keep the value they had: declared or assigned, but by no top-level write that surely happens.
  for (const definition of defines.values()) {
    if (definition.how === 'mutate' || definition.inFunction || definitelyWritten.has(definition.name)) continue;
    definition.maybe = true;
    const name = definition.name;
    if (!reads.has(name) && !keeps.has(name)) keeps.set(name, { ...definition, name, maybe: true });
  }
  for (const [name, ref] of lastWrite) {
    const value = ref.writeExpr as Node | null | undefined;
    const origin = value ? valueOrigin(value) : undefined;
    const definition = defines.get(name);
    if (origin && definition) definition.origin = origin;
  }

  // Which arguments each top-level function mutates, and which names calls pass in.
  const functionName = new Map<Node, string>();
  const asyncFunctions: string[] = [];
  const generatorFunctions: string[] = [];
  for (const variable of topScope.variables) {
    const definition = variable.defs[0];
    if (definition?.type === 'FunctionName') functionName.set(definition.node as Node, variable.name);
    const init = definition?.type === 'Variable' ? (definition.node as { init?: Node | null }).init : undefined;
    if (init) functionName.set(init, variable.name);
    const fn = definition?.type === 'FunctionName' ? (definition.node as Node) : init;
    if (
      fn?.type === 'FunctionDeclaration' ||
      fn?.type === 'FunctionExpression' ||
      fn?.type === 'ArrowFunctionExpression'
    ) {
      if (fn.type !== 'ArrowFunctionExpression' && fn.generator) generatorFunctions.push(variable.name);
      else if (fn.async) asyncFunctions.push(variable.name);
    }
  }
  const mutatesArguments: Record<string, number[]> = {};
  for (const { fn, index } of mutatedParameters) {
    const name = functionName.get(fn);
    if (name && !(mutatesArguments[name] ??= []).includes(index)) mutatesArguments[name].push(index);
  }
  const isOuter = (identifier: Identifier) => {
    const ref = referenceByIdentifier.get(identifier);
    return ref !== undefined && (!ref.resolved || ref.resolved.scope === topScope);
  };
  const outerName = (node: Node | null | undefined): string | null => {
    const root = node && node.type !== 'SpreadElement' ? memberRoot(node as Expression) : undefined;
    return root && isOuter(root) ? root.name : null;
  };
  const calls: Call[] = collected.calls.flatMap(call =>
    isOuter(call.callee) ? [{ ...siteOf(call.callee.name, call.callee), args: call.args.map(outerName) }] : []
  );
  const methodCalls = collected.readOnlyCalls.flatMap(({ receiver, method }) =>
    isOuter(receiver) ? [{ ...siteOf(receiver.name, receiver), method }] : []
  );
  const minimizes = mutationRoots
    .filter(root => collected.minimizedNames.includes(root) || inMinimized(start(root)))
    .filter(isOuter)
    .map(root => siteOf(root.name, root));

  return {
    sourceType,
    defines: [...defines.values()].sort((a, b) => a.line - b.line || a.column - b.column),
    reads: [...reads.values()],
    keeps: [...keeps.values()].map(({ name, line, column, maybe }) =>
      maybe ? { name, line, column, maybe } : { name, line, column }
    ),
    topLevelReads: [...topLevelReads.values()],
    ...namesByDefinition(program, topScope, new Set(globalScope.through), manager.scopes, mutated),
    calls,
    mutatesArguments,
    asyncFunctions,
    generatorFunctions,
    classes: classFacts(topScope, collected, siteOf),
    methodCalls,
    minimizes,
    imports: importSites(program, collected, position, topScope.set.has('require')),
    // Types are erased by now: an import binding nothing references is a type, or unused (both elided by TS).
    unreferencedImports: topScope.variables
      .filter(v => v.defs.every(d => d.type === 'ImportBinding') && v.references.length === 0)
      .map(v => v.name)
  };
}

/** Static imports and re-exports from the program's body, then literal `import()`/`require()` calls, in source order. */
function importSites(
  program: Program,
  collected: NodeFacts,
  position: (offset: number) => { line: number; column: number },
  ownRequire: boolean
): ImportSite[] {
  const optional = rangeUnion(collected.optionalRanges);
  const loads: Array<{ specifier: string; kind: ImportSite['kind']; offset: number }> = [];
  for (const statement of program.body) {
    if (
      (statement.type === 'ImportDeclaration' ||
        statement.type === 'ExportAllDeclaration' ||
        statement.type === 'ExportNamedDeclaration') &&
      statement.source
    ) {
      const specifier = literalString(statement.source);
      if (specifier !== undefined) loads.push({ specifier, kind: 'static', offset: start(statement) });
    }
  }
  for (const load of collected.moduleLoads) if (load.kind !== 'require' || !ownRequire) loads.push(load);
  return loads
    .sort((a, b) => a.offset - b.offset)
    .map(({ specifier, kind, offset }) => ({
      specifier,
      kind,
      ...(optional(offset) && { optional: true as const }),
      ...position(offset)
    }));
}

function literalString(node: Node | undefined | null): string | undefined {
  return node?.type === 'Literal' && typeof node.value === 'string' ? node.value : undefined;
}

/** Each top-level class's methods (does the body change `this`?) and members the marshaller cannot rebuild. */
function classFacts(
  topScope: Scope,
  collected: NodeFacts,
  siteOf: (name: string, node: Node) => NameSite
): Record<string, ClassFacts> {
  const thisMutations = [...collected.thisMutations].sort((a, b) => a - b);
  const mutatesThisIn = ([from, to]: [number, number]) => thisMutations.some(at => at >= from && at < to);
  const classes: Record<string, ClassFacts> = {};
  for (const variable of topScope.variables) {
    const definition = variable.defs[0];
    const init = definition?.type === 'Variable' ? (definition.node as { init?: Node | null }).init : undefined;
    const node = definition?.type === 'ClassName' ? (definition.node as Node) : init;
    if (node?.type !== 'ClassDeclaration' && node?.type !== 'ClassExpression') continue;
    const facts: ClassFacts = { methods: {}, extends: node.superClass != null };
    for (const member of node.body.body) {
      if (member.type === 'StaticBlock') continue;
      const key = member.key;
      if (key.type === 'PrivateIdentifier')
        facts.unmarshallable ??= { ...siteOf(`#${key.name}`, member), feature: 'private' };
      if (member.type !== 'MethodDefinition') continue;
      if (member.kind === 'get' || member.kind === 'set') {
        facts.unmarshallable ??= {
          ...siteOf(key.type === 'Identifier' ? key.name : '[computed]', member),
          feature: 'accessor'
        };
      }
      const name = member.computed
        ? null
        : key.type === 'Identifier'
          ? key.name
          : key.type === 'Literal'
            ? String(key.value)
            : null;
      if (name !== null && member.kind === 'method' && !member.static)
        facts.methods[name] = (facts.methods[name] ?? false) || mutatesThisIn(member.value.range!);
    }
    classes[variable.name] = facts;
  }
  return classes;
}

/** Globals whose instances hold what no step can hand on: weak references, streams, channels, sockets, workers. */
const WEAK = new Set(['WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry']);
const RESOURCES = new Set([
  'ReadableStream',
  'WritableStream',
  'TransformStream',
  'MessageChannel',
  'MessagePort',
  'BroadcastChannel',
  'WebSocket',
  'Worker',
  'AbortController',
  'EventTarget',
  'EventEmitter'
]);
/** Module functions that make a resource (a server, stream, socket, child process, interface, watcher). */
const RESOURCE_FACTORIES = new Set([
  'createServer',
  'createSecureServer',
  'createReadStream',
  'createWriteStream',
  'createConnection',
  'createInterface',
  'createSocket',
  'connect',
  'spawn',
  'fork',
  'exec',
  'execFile',
  'watch',
  'request' // not `get`: `_.get(obj, path)` returns data
]);

/** What an initializer makes, when it may be something no step can hand on (see ValueOrigin). */
function valueOrigin(node: Node): ValueOrigin | undefined {
  switch (node.type) {
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
      return { what: 'function', via: 'function' };
    case 'NewExpression': {
      const via = dotted(node.callee);
      if (via === undefined) return undefined;
      if (via === 'Promise') return { what: 'promise', via };
      if (WEAK.has(via)) return { what: 'weak', via };
      if (RESOURCES.has(via)) return { what: 'resource', via };
      return { what: 'new', via, root: via.split('.')[0] };
    }
    case 'CallExpression': {
      const callee = node.callee.type === 'ChainExpression' ? node.callee.expression : node.callee;
      const via = dotted(callee);
      if (via === undefined) return undefined;
      if (callee.type === 'Identifier') {
        if (via === 'fetch') return { what: 'promise', via };
        if (via === 'promisify') return { what: 'function', via };
        return { what: 'call', via, root: via };
      }
      if (callee.type !== 'MemberExpression') return undefined;
      const method = methodName(callee);
      const root = via.split('.')[0];
      if (method === 'bind' || method === 'promisify') return { what: 'function', via };
      if (root === 'Promise' || method === 'then' || method === 'catch' || method === 'finally')
        return { what: 'promise', via };
      if (method !== null && RESOURCE_FACTORIES.has(method)) return { what: 'resource', via, root };
      return undefined;
    }
    default:
      return undefined;
  }
}

/** `a.b.c` for a member chain of names (the callee of `new` or a call); undefined for anything else. */
function dotted(node: Node): string | undefined {
  if (node.type === 'Identifier') return node.name;
  if (node.type !== 'MemberExpression') return undefined;
  const object = dotted(node.object);
  const property = methodName(node);
  return object !== undefined && property !== null ? `${object}.${property}` : undefined;
}

/**
 * The facts with `js` made when the compiler first asks: analysis alone never runs sucrase. A function of its own
 * so the getter's closure holds the source only, not the syntax tree and scopes of analyzeCell (cached facts would
 * keep every cell's tree alive).
 */
function withJavaScript(source: string, typed: boolean, jsx: boolean, facts: Omit<CellFacts, 'js'>): CellFacts {
  let js: string | undefined;
  return {
    get js() {
      return (js ??= typed || jsx ? stripTypes(source, { jsx }) : source);
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
