/**
 * Phase 3: which variables each step receives and hands on. A step's input
 * is a name it reads before defining it; its producer is the nearest upstream
 * step that defines (or mutates) it. Prelude names (imports, functions) run in
 * every step and never travel; a prelude function's free names travel with
 * the steps that call it, and what it assigns or mutates is defined by them.
 * A step that may leave a name as it was (a write in a branch, `var x;`)
 * loads it too. Then the refusals: whatever the pipeline would compute
 * differently from the notebook run top to bottom is reported here, before
 * anything runs.
 */
import { codeError } from '../diagnostics/codes.js';
import type { Diagnostic, Place } from '../diagnostics/diagnostic.js';
import type { Metric, StepInput } from '../ir.js';
import type { StepDraft } from './blocks.js';
import type { CellFacts, ClassFacts, Definition, DefinitionKind } from './cell-facts.js';
import type { StepGraph, StepSet } from './graph.js';
import { BROWSER_GLOBALS, kernelOnlyGlobals, knownGlobals } from './known-globals.js';
import type { MetricName } from './metrics.js';

export interface DataflowInput {
  steps: readonly StepDraft[];
  graph: StepGraph;
  facts: ReadonlyMap<number, CellFacts>;
  preludeCells: readonly number[];
  /** The kind of each prelude cell, by cell index. */
  preludeKinds?: ReadonlyMap<number, 'imports' | 'functions'>;
  parameterNames: ReadonlySet<string>;
  metricNames: readonly MetricName[];
  /**
   * Names cells that failed to parse seem to define (read off their text): reads of them are not reported as
   * undefined, while every other name still is.
   */
  unparsedNames?: ReadonlySet<string>;
  /** The notebook's kernel: which globals its steps have (`Deno` on Deno, `$$` for ijavascript). Node's when not given. */
  kernel?: string;
}

export interface StepFlow {
  ins: StepInput[];
  outs: string[];
  parameters: string[];
}

export interface Dataflow {
  flows: Map<string, StepFlow>;
  metrics: Metric[];
  diagnostics: Diagnostic[];
}

interface Producer {
  step: string;
  definition: Definition;
  cellIndex: number;
}

interface Read {
  name: string;
  place: Place;
  /** A name the step may leave as it was (it is assigned in a function): taken from upstream if defined there. */
  optional: boolean;
  /** Optional because the step's own top-level writes may not happen (a branch, loop, `try`, `var x;`). */
  maybe: boolean;
}

/** What the whole notebook says about names, for what one cell cannot tell alone. */
interface Notebook {
  prelude: Prelude;
  /** Names bound by imports (`import`, `require`), in any cell. */
  imports: ReadonlySet<string>;
  asyncFunctions: ReadonlySet<string>;
  generatorFunctions: ReadonlySet<string>;
  /** Classes of the notebook (prelude and step cells), by name. */
  classes: ReadonlyMap<string, ClassFacts>;
  /** For each name some step initialises with `new C(..)` of a notebook class: those classes. */
  instanceClasses: ReadonlyMap<string, ReadonlySet<string>>;
}

export function computeDataflow(input: DataflowInput): Dataflow {
  const { steps, graph, facts } = input;
  const diagnostics: Diagnostic[] = [];
  const notebook = notebookFacts(input);
  const prelude = notebook.prelude;

  // A name is a notebook variable when some step declares or assigns it; mutating
  // a name nobody defines (`console.log`, `Math.random`) is not a definition.
  const definitions = new Map<string, Map<string, Producer>>();
  const variables = new Set<string>();
  /** Every top-level write of each name, by the cell it is in: what the notebook's order makes of them. */
  const writers = new Map<string, Array<{ step: string; cellIndex: number }>>();
  for (const step of steps) {
    for (const cellIndex of step.cells) {
      for (const definition of stepDefinitions(facts.get(cellIndex), notebook)) {
        if (prelude.names.has(definition.name)) continue;
        if (definition.how !== 'mutate') variables.add(definition.name);
        const byStep = definitions.get(definition.name) ?? new Map<string, Producer>();
        const previous = byStep.get(step.name);
        // The value a step hands on is its last definition; a later mutation keeps the earlier kind.
        if (!previous || definition.how !== 'mutate') byStep.set(step.name, { step: step.name, definition, cellIndex });
        definitions.set(definition.name, byStep);
        if (!definition.inFunction) {
          const list = writers.get(definition.name) ?? [];
          if (!list.some(w => w.cellIndex === cellIndex)) list.push({ step: step.name, cellIndex });
          writers.set(definition.name, list);
        }
      }
    }
  }
  // Classes declared in step cells: their instances cannot be rebuilt in another step.
  const stepClasses = new Set(
    [...definitions.values()].flatMap(byStep =>
      [...byStep.values()].filter(p => p.definition.kind === 'class').map(p => p.definition.name)
    )
  );
  const definersOf = (name: string): string[] =>
    variables.has(name) || input.parameterNames.has(name) ? [...(definitions.get(name)?.keys() ?? [])] : [];

  const flows = new Map<string, StepFlow>();
  for (const name of graph.order) flows.set(name, { ins: [], outs: [], parameters: [] });
  const outs = new Map<string, Set<string>>(graph.order.map(n => [n, new Set<string>()]));

  for (const step of orderedSteps(steps, graph.order)) {
    const flow = flows.get(step.name)!;
    const ancestors = graph.ancestors.get(step.name)!;
    for (const read of stepReads(step, facts, prelude)) {
      const { name, place, optional } = read;
      if (prelude.names.has(name)) continue;
      const definers = definersOf(name);
      const upstream = nearest(
        definers.filter(d => ancestors.has(d)),
        graph.ancestors
      );
      if (upstream.length === 1) {
        const producer = definitions.get(name)!.get(upstream[0])!;
        flow.ins.push({ name, from: producer.step });
        outs.get(producer.step)!.add(name);
        checkMarshallable(producer, step.name, diagnostics, stepClasses, notebook);
      } else if (upstream.length > 1) {
        diagnostics.push(codeError.ambiguousProducer(place, step.name, name, upstream));
        continue;
      } else if (input.parameterNames.has(name)) {
        flow.parameters.push(name); // a step that may leave a parameter as it is hands on the parameter's value
      } else if (optional) {
        // Nothing upstream to keep: the step's own assignment is the only value, unless a step the notebook runs
        // before it (but the pipeline does not) set the name.
        const before = [
          ...new Set(
            (writers.get(name) ?? [])
              .filter(w => w.step !== step.name && w.cellIndex < place.cellIndex!)
              .map(w => w.step)
          )
        ];
        if (read.maybe && before.length > 0)
          diagnostics.push(codeError.maybeNotUpstream(place, step.name, name, before));
        continue;
      } else if (definers.length > 0) {
        diagnostics.push(codeError.notUpstream(place, step.name, name, definers));
        continue;
      } else {
        const kernel = input.kernel ?? '';
        const kernelOnly = kernelOnlyGlobals(kernel).get(name);
        // Browser code in callbacks the page runs (ijavascript's `$$.html` scripts, a bundler's): not the step's.
        const browserCallback =
          BROWSER_GLOBALS.has(name) && !facts.get(place.cellIndex!)?.topLevelReads.some(r => r.name === name);
        if (kernelOnly) diagnostics.push(codeError.kernelGlobalUnavailable(place, step.name, name, kernelOnly));
        else if (!knownGlobals(kernel).has(name) && !browserCallback && !input.unparsedNames?.has(name))
          diagnostics.push(codeError.undefinedVariable(place, step.name, name));
        continue;
      }
      // The value the notebook reads here is the last write before it, in notebook order: the pipeline gives the
      // step the same value only if that write is in a step it depends on.
      const last = (writers.get(name) ?? [])
        .filter(w => w.step !== step.name && w.cellIndex < place.cellIndex!)
        .reduce<{ step: string; cellIndex: number } | undefined>(
          (a, w) => (!a || w.cellIndex > a.cellIndex ? w : a),
          undefined
        );
      // A later step's cell before this one: this step's cells are merged around it (reported by mergedStepOrder).
      const descendant = last !== undefined && graph.ancestors.get(last.step)!.has(step.name);
      if (last && !ancestors.has(last.step) && !descendant)
        diagnostics.push(codeError.writeNotUpstream(place, step.name, name, last.step, last.cellIndex));
    }
  }

  for (const [name, flow] of flows) {
    // Code-unit order, as outs and parameters: the same on every machine, whatever its locale.
    flow.ins.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    flow.outs = [...outs.get(name)!].sort();
    flow.parameters.sort();
  }

  const metrics: Metric[] = [];
  for (const metric of input.metricNames) {
    const place = { cellIndex: metric.cellIndex, line: metric.line, column: metric.column };
    let producers = nearest(definersOf(metric.name), graph.ancestors);
    if (producers.length === 0 && input.parameterNames.has(metric.name) && graph.order.length > 0) {
      // A parameter no step assigns: its value is the run's, reported by the last step, which takes it for that.
      const last = graph.order[graph.order.length - 1];
      producers = [last];
      const parameters = flows.get(last)!.parameters;
      if (!parameters.includes(metric.name)) parameters.push(metric.name);
      parameters.sort();
    }
    if (producers.length === 0) diagnostics.push(codeError.metricUndefined(place, metric.name));
    if (producers.length > 1) diagnostics.push(codeError.ambiguousMetric(place, metric.name, producers));
    metrics.push({
      name: metric.name,
      step: producers.length === 1 ? producers[0] : null,
      cellIndex: metric.cellIndex,
      line: metric.line
    });
  }

  diagnostics.push(...mergedStepOrder(steps, graph, facts, notebook));
  diagnostics.push(...preludeProblems(input, notebook, variables));
  return { flows, metrics, diagnostics };
}

function notebookFacts(input: DataflowInput): Notebook {
  const prelude = preludeDefinitions(input.preludeCells, input.facts);
  const imports = new Set<string>();
  const asyncFunctions = new Set<string>();
  const generatorFunctions = new Set<string>();
  const classes = new Map<string, ClassFacts>();
  for (const cell of input.facts.values()) {
    for (const d of cell.defines) if (d.kind === 'import' && d.how === 'declare') imports.add(d.name);
    for (const name of cell.asyncFunctions) asyncFunctions.add(name);
    for (const name of cell.generatorFunctions) generatorFunctions.add(name);
    for (const [name, facts] of Object.entries(cell.classes)) classes.set(name, facts);
  }
  const instanceClasses = new Map<string, Set<string>>();
  for (const step of input.steps) {
    for (const cellIndex of step.cells) {
      for (const d of input.facts.get(cellIndex)?.defines ?? []) {
        if (!d.instanceOf || !classes.has(d.instanceOf)) continue;
        if (!instanceClasses.has(d.name)) instanceClasses.set(d.name, new Set());
        instanceClasses.get(d.name)!.add(d.instanceOf);
      }
    }
  }
  return { prelude, imports, asyncFunctions, generatorFunctions, classes, instanceClasses };
}

/** Names a cell reads (before defining them, prelude functions' free names included) and writes, for ordering checks. */
function cellNames(cell: CellFacts | undefined, notebook: Notebook): { reads: Set<string>; writes: Set<string> } {
  const reads = new Set<string>();
  const writes = new Set<string>();
  if (!cell) return { reads, writes };
  const { prelude } = notebook;
  for (const site of [...cell.reads, ...cell.keeps]) {
    reads.add(site.name);
    if (prelude.names.has(site.name)) for (const name of prelude.freeNames(site.name)) reads.add(name);
  }
  for (const d of stepDefinitions(cell, notebook)) writes.add(d.name);
  for (const names of [reads, writes]) for (const name of prelude.names) names.delete(name);
  return { reads, writes };
}

/**
 * A step whose cells are not adjacent runs them all together: a cell of another step between them then runs before
 * or after all of them, not in between. Refused when that changes what a cell reads or what is left written.
 */
function mergedStepOrder(
  steps: readonly StepDraft[],
  graph: StepGraph,
  facts: ReadonlyMap<number, CellFacts>,
  notebook: Notebook
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const stepOfCell = new Map<number, string>();
  for (const step of steps) for (const cellIndex of step.cells) stepOfCell.set(cellIndex, step.name);
  const names = new Map<number, { reads: Set<string>; writes: Set<string> }>();
  const namesOf = (cellIndex: number) => {
    if (!names.has(cellIndex)) names.set(cellIndex, cellNames(facts.get(cellIndex), notebook));
    return names.get(cellIndex)!;
  };
  const union = (cells: number[], key: 'reads' | 'writes') => new Set(cells.flatMap(c => [...namesOf(c)[key]]));
  const meet = (a: Set<string>, b: Set<string>) => [...a].filter(n => b.has(n));
  for (const step of steps) {
    const [first, last] = [step.cells[0], step.cells[step.cells.length - 1]];
    for (const [cellIndex, other] of stepOfCell) {
      if (other === step.name || cellIndex < first || cellIndex > last) continue;
      const before = step.cells.filter(c => c < cellIndex);
      const after = step.cells.filter(c => c > cellIndex);
      const cell = namesOf(cellIndex);
      let conflicts: string[];
      if (graph.ancestors.get(other)!.has(step.name)) {
        // The other step runs after all of this step's cells: it sees the later cells' writes, they miss its own.
        const [reads, writes] = [union(after, 'reads'), union(after, 'writes')];
        conflicts = [...meet(cell.reads, writes), ...meet(cell.writes, reads), ...meet(cell.writes, writes)];
      } else if (graph.ancestors.get(step.name)!.has(other)) {
        // The other step runs before all of this step's cells: the earlier cells see its writes, it misses theirs.
        const [reads, writes] = [union(before, 'reads'), union(before, 'writes')];
        conflicts = [...meet(cell.writes, reads), ...meet(cell.writes, writes), ...meet(cell.reads, writes)];
      } else {
        conflicts = meet(cell.writes, union(after, 'reads')); // the later cells never see its writes
      }
      if (conflicts.length === 0) continue;
      const unique = [...new Set(conflicts)].sort();
      const site = siteIn(facts.get(cellIndex), unique[0]);
      diagnostics.push(codeError.mergedStepOrder({ cellIndex, ...site }, step.name, other, unique));
    }
  }
  return diagnostics;
}

function siteIn(cell: CellFacts | undefined, name: string): { line: number; column: number } {
  const site = [...(cell?.defines ?? []), ...(cell?.reads ?? []), ...(cell?.keeps ?? [])].find(s => s.name === name);
  return site ? { line: site.line, column: site.column } : { line: 1, column: 0 };
}

/**
 * Prelude cells run first in every step: their top-level code cannot read step variables (they do not exist yet),
 * and a step that defines a prelude name again changes it only for its own later cells, not for later steps.
 */
function preludeProblems(input: DataflowInput, notebook: Notebook, variables: ReadonlySet<string>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const { prelude } = notebook;
  for (const cellIndex of input.preludeCells) {
    const cell = input.facts.get(cellIndex);
    const kind = input.preludeKinds?.get(cellIndex) ?? 'functions';
    for (const site of cell?.topLevelReads ?? []) {
      if (!variables.has(site.name) || prelude.names.has(site.name) || input.parameterNames.has(site.name)) continue;
      diagnostics.push(
        codeError.preludeReadsStepVariable({ cellIndex, line: site.line, column: site.column }, site.name, kind)
      );
    }
  }
  for (const step of input.steps) {
    for (const cellIndex of step.cells) {
      const cell = input.facts.get(cellIndex);
      for (const d of cell?.defines ?? []) {
        if (d.how === 'mutate' || d.inFunction || !prelude.names.has(d.name)) continue;
        const readers = input.steps.filter(
          other =>
            other.name !== step.name &&
            other.cells.some(c => c > cellIndex && (input.facts.get(c)?.reads ?? []).some(r => r.name === d.name))
        );
        if (readers.length === 0) continue;
        const place = { cellIndex, line: d.line, column: d.column };
        diagnostics.push(
          codeError.preludeRedefined(
            place,
            d.name,
            step.name,
            readers.map(r => r.name)
          )
        );
      }
    }
  }
  return diagnostics;
}

interface Prelude {
  names: Set<string>;
  /** Free names each prelude definition reads, following calls to other prelude definitions. */
  freeNames: (name: string) => string[];
  /** Names each prelude definition assigns or mutates, following calls to other prelude definitions. */
  writtenNames: (name: string) => string[];
  /** Positions of the arguments each prelude function mutates. */
  mutatesArguments: ReadonlyMap<string, number[]>;
}

function preludeDefinitions(cells: readonly number[], facts: ReadonlyMap<number, CellFacts>): Prelude {
  const names = new Set<string>();
  const uses = new Map<string, string[]>();
  const writes = new Map<string, string[]>();
  for (const cellIndex of cells) {
    const cell = facts.get(cellIndex);
    if (!cell) continue;
    for (const name of preludeNames(cell)) names.add(name);
    for (const [name, used] of Object.entries(cell.uses)) uses.set(name, used);
    for (const [name, written] of Object.entries(cell.writes)) writes.set(name, written);
  }
  /** `direct` names of `name` and of every prelude definition it uses, prelude names left out. */
  const transitive = (direct: ReadonlyMap<string, string[]>) => {
    const memo = new Map<string, string[]>();
    const visit = (name: string): string[] => {
      if (memo.has(name)) return memo.get(name)!;
      memo.set(name, []); // recursion guard for mutually recursive functions
      const found = new Set<string>();
      for (const n of direct.get(name) ?? []) if (!names.has(n)) found.add(n);
      for (const used of uses.get(name) ?? []) if (names.has(used)) for (const n of visit(used)) found.add(n);
      const result = [...found];
      memo.set(name, result);
      return result;
    };
    return visit;
  };
  const mutatesArguments = new Map<string, number[]>();
  for (const cellIndex of cells) {
    for (const [name, indices] of Object.entries(facts.get(cellIndex)?.mutatesArguments ?? {}))
      mutatesArguments.set(name, indices);
  }
  return { names, freeNames: transitive(uses), writtenNames: transitive(writes), mutatesArguments };
}

/**
 * The names a prelude cell binds for every step: declarations and top-level assignments. What its functions
 * assign or mutate is not among them: that happens in the steps that call them.
 */
export function preludeNames(cell: CellFacts): string[] {
  return cell.defines.filter(d => d.how !== 'mutate' && !d.inFunction).map(d => d.name);
}

/**
 * A cell's definitions, plus (as mutations at the call) what the prelude functions it calls assign or mutate, what
 * functions it passes its values to mutate, read-only-named methods of notebook classes that do change `this`, and
 * what an optimizer's `minimize` trains through the functions it calls.
 */
function stepDefinitions(cell: CellFacts | undefined, notebook: Notebook): Definition[] {
  if (!cell) return [];
  const { prelude } = notebook;
  const called: Definition[] = [];
  const mutation = (name: string, site: { line: number; column: number }): Definition => ({
    name,
    line: site.line,
    column: site.column,
    kind: 'value',
    how: 'mutate',
    inFunction: false,
    maybe: false
  });
  for (const site of cell.reads) {
    if (!prelude.names.has(site.name)) continue;
    for (const name of prelude.writtenNames(site.name)) called.push(mutation(name, site));
  }
  // A function that mutates an argument (`addRow(rows, x)` with `rows.push(x)` inside) mutates what the call passes.
  for (const call of cell.calls) {
    const mutated = prelude.mutatesArguments.get(call.name) ?? cell.mutatesArguments[call.name] ?? [];
    for (const index of mutated) {
      const name = call.args[index];
      if (name) called.push(mutation(name, call));
    }
  }
  // `counter.get()` is read-only on a Map, but on an instance of a notebook class only its method body tells.
  for (const site of cell.methodCalls) {
    const classes = notebook.instanceClasses.get(site.name);
    if (!classes) continue;
    if ([...classes].some(c => methodMutates(notebook.classes.get(c)!, site.method)))
      called.push(mutation(site.name, site));
  }
  // `opt.minimize(() => loss())`: the variables `loss` reads are trained.
  for (const site of cell.minimizes) {
    const names = prelude.names.has(site.name) ? prelude.freeNames(site.name) : (cell.uses[site.name] ?? []);
    for (const name of names) called.push(mutation(name, site));
  }
  return [...cell.defines, ...called];
}

const OBJECT_METHODS = new Set([
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf'
]);

/**
 * Whether calling `method` on an instance may change it: its body mutates `this`, or it is not seen (inherited from
 * a superclass, or a field holding a function). Only `Object.prototype`'s methods are known without a body.
 */
function methodMutates(facts: ClassFacts, method: string): boolean {
  if (Object.hasOwn(facts.methods, method)) return facts.methods[method];
  return facts.extends || !OBJECT_METHODS.has(method);
}

/**
 * The names a step reads before it defines them, first site each, prelude functions expanded; then, as
 * optional reads, the names it may leave unchanged: assigned only in function bodies, its own or the prelude's.
 */
function stepReads(step: StepDraft, facts: ReadonlyMap<number, CellFacts>, prelude: Prelude): Read[] {
  const reads = new Map<string, Read>();
  const defined = new Set<string>();
  const read = (name: string, place: Place, optional: boolean, maybe = false) => {
    if (!defined.has(name) && !reads.has(name)) reads.set(name, { name, place, optional, maybe });
  };
  for (const cellIndex of step.cells) {
    const cell = facts.get(cellIndex);
    if (!cell) continue;
    // A prelude function's free names are read where it is called: names this cell defined before the call are its own.
    const definedBefore = (name: string, site: { line: number; column: number }) =>
      cell.defines.some(
        d =>
          d.name === name && !d.inFunction && (d.line < site.line || (d.line === site.line && d.column < site.column))
      );
    for (const site of cell.reads) {
      const place = { cellIndex, line: site.line, column: site.column };
      read(site.name, place, false);
      if (!prelude.names.has(site.name)) continue;
      for (const name of prelude.freeNames(site.name)) if (!definedBefore(name, site)) read(name, place, false);
      for (const name of prelude.writtenNames(site.name)) if (!definedBefore(name, site)) read(name, place, true);
    }
    for (const site of cell.keeps)
      read(site.name, { cellIndex, line: site.line, column: site.column }, true, site.maybe);
    for (const definition of cell.defines) defined.add(definition.name);
  }
  return [...reads.values()];
}

/** Drops every candidate that is an ancestor of another: the nearest definitions shadow earlier ones. */
function nearest(candidates: string[], ancestors: ReadonlyMap<string, StepSet>): string[] {
  return candidates.filter(c => !candidates.some(other => other !== c && ancestors.get(other)?.has(c)));
}

function orderedSteps(steps: readonly StepDraft[], order: readonly string[]): StepDraft[] {
  const byName = new Map(steps.map(s => [s.name, s]));
  return order.map(name => byName.get(name)!);
}

const UNMARSHALLABLE: ReadonlySet<DefinitionKind> = new Set(['function', 'class', 'import']);

function checkMarshallable(
  producer: Producer,
  consumer: string,
  diagnostics: Diagnostic[],
  stepClasses: ReadonlySet<string>,
  notebook: Notebook
): void {
  const duplicate = diagnostics.some(
    d =>
      d.code === 'unmarshallable-value' &&
      d.cellIndex === producer.cellIndex &&
      d.line === producer.definition.line &&
      d.column === producer.definition.column
  );
  if (duplicate) return;
  const problem = marshalProblem(producer, consumer, stepClasses, notebook);
  if (problem) diagnostics.push(problem);
}

/** Why the value a producer hands on cannot reach the consumer intact, if it cannot. */
function marshalProblem(
  producer: Producer,
  consumer: string,
  stepClasses: ReadonlySet<string>,
  notebook: Notebook
): Diagnostic | undefined {
  const { definition, step } = producer;
  const { name, instanceOf, origin } = definition;
  const place = { cellIndex: producer.cellIndex, line: definition.line, column: definition.column };
  if (instanceOf && stepClasses.has(instanceOf))
    return codeError.unmarshallableInstance(place, name, instanceOf, step, consumer);
  if (UNMARSHALLABLE.has(definition.kind))
    return codeError.unmarshallable(place, name, definition.kind, step, consumer);
  const classFacts = instanceOf ? notebook.classes.get(instanceOf) : undefined;
  if (instanceOf && classFacts?.unmarshallable) {
    const { name: member, feature } = classFacts.unmarshallable;
    return codeError.unmarshallableClassFeature(place, name, instanceOf, member, feature, step, consumer);
  }
  if (!origin) return undefined;
  switch (origin.what) {
    case 'function':
      return codeError.unmarshallable(place, name, 'function', step, consumer);
    case 'promise':
      return codeError.unmarshallablePromise(place, name, origin.via, step, consumer);
    case 'weak':
      return codeError.unmarshallableBuiltin(place, name, origin.via, step, consumer);
    case 'resource':
      // A global resource class, or a factory of an imported module (`http.createServer`); `m.get(k)` is neither.
      return origin.root === undefined || notebook.imports.has(origin.root)
        ? codeError.unmarshallableBuiltin(place, name, origin.via, step, consumer)
        : undefined;
    case 'new':
      return notebook.imports.has(origin.root!) && !classFacts
        ? codeError.unmarshallableImportedInstance(place, name, origin.via, step, consumer)
        : undefined;
    case 'call':
      if (notebook.generatorFunctions.has(origin.via))
        return codeError.unmarshallableGenerator(place, name, origin.via, step, consumer);
      if (notebook.asyncFunctions.has(origin.via))
        return codeError.unmarshallablePromise(place, name, origin.via, step, consumer);
      return undefined;
  }
}
