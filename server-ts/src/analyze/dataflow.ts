/**
 * Phase 3: which variables each step receives and hands on. A step's input
 * is a name it reads before defining it; its producer is the nearest upstream
 * step that defines (or mutates) it. Prelude names (imports, functions) run in
 * every step and never travel; a prelude function's free names travel with
 * the steps that call it, and what it assigns or mutates is defined by them.
 */
import { codeError } from '../diagnostics/codes.js';
import type { Diagnostic, Place } from '../diagnostics/diagnostic.js';
import type { Metric, StepInput } from '../ir.js';
import type { StepDraft } from './blocks.js';
import type { CellFacts, Definition, DefinitionKind } from './cell-facts.js';
import type { StepGraph, StepSet } from './graph.js';
import { KNOWN_GLOBALS } from './known-globals.js';
import type { MetricName } from './metrics.js';

export interface DataflowInput {
  steps: readonly StepDraft[];
  graph: StepGraph;
  facts: ReadonlyMap<number, CellFacts>;
  preludeCells: readonly number[];
  parameterNames: ReadonlySet<string>;
  metricNames: readonly MetricName[];
  /** When cells failed to parse, reads of names they would define are not reported as undefined. */
  reportUndefined: boolean;
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
}

export function computeDataflow(input: DataflowInput): Dataflow {
  const { steps, graph, facts } = input;
  const diagnostics: Diagnostic[] = [];
  const prelude = preludeDefinitions(input.preludeCells, facts);

  // A name is a notebook variable when some step declares or assigns it; mutating
  // a name nobody defines (`console.log`, `Math.random`) is not a definition.
  const definitions = new Map<string, Map<string, Producer>>();
  const variables = new Set<string>();
  for (const step of steps) {
    for (const cellIndex of step.cells) {
      for (const definition of stepDefinitions(facts.get(cellIndex), prelude)) {
        if (prelude.names.has(definition.name)) continue;
        if (definition.how !== 'mutate') variables.add(definition.name);
        const byStep = definitions.get(definition.name) ?? new Map<string, Producer>();
        const previous = byStep.get(step.name);
        // The value a step hands on is its last definition; a later mutation keeps the earlier kind.
        if (!previous || definition.how !== 'mutate') byStep.set(step.name, { step: step.name, definition, cellIndex });
        definitions.set(definition.name, byStep);
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
        checkMarshallable(producer, step.name, diagnostics, stepClasses);
      } else if (upstream.length > 1) {
        diagnostics.push(codeError.ambiguousProducer(place, step.name, name, upstream));
      } else if (optional) {
        continue; // nothing upstream to keep: the step's own assignment is the only value
      } else if (input.parameterNames.has(name)) {
        flow.parameters.push(name);
      } else if (definers.length > 0) {
        diagnostics.push(codeError.notUpstream(place, step.name, name, definers));
      } else if (!KNOWN_GLOBALS.has(name) && input.reportUndefined) {
        diagnostics.push(codeError.undefinedVariable(place, step.name, name));
      }
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
    const producers = nearest(definersOf(metric.name), graph.ancestors);
    if (producers.length === 0) diagnostics.push(codeError.metricUndefined(place, metric.name));
    if (producers.length > 1) diagnostics.push(codeError.ambiguousMetric(place, metric.name, producers));
    metrics.push({
      name: metric.name,
      step: producers.length === 1 ? producers[0] : null,
      cellIndex: metric.cellIndex,
      line: metric.line
    });
  }
  return { flows, metrics, diagnostics };
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

/** A cell's definitions, plus what the prelude functions it calls assign or mutate (as mutations at the call). */
function stepDefinitions(cell: CellFacts | undefined, prelude: Prelude): Definition[] {
  if (!cell) return [];
  const called: Definition[] = [];
  for (const site of cell.reads) {
    if (!prelude.names.has(site.name)) continue;
    for (const name of prelude.writtenNames(site.name)) {
      called.push({ name, line: site.line, column: site.column, kind: 'value', how: 'mutate', inFunction: false });
    }
  }
  // A function that mutates an argument (`addRow(rows, x)` with `rows.push(x)` inside) mutates what the call passes.
  for (const call of cell.calls) {
    const mutated = prelude.mutatesArguments.get(call.name) ?? cell.mutatesArguments[call.name] ?? [];
    for (const index of mutated) {
      const name = call.args[index];
      if (name)
        called.push({ name, line: call.line, column: call.column, kind: 'value', how: 'mutate', inFunction: false });
    }
  }
  return [...cell.defines, ...called];
}

/**
 * The names a step reads before it defines them, first site each, prelude functions expanded; then, as
 * optional reads, the names it may leave unchanged: assigned only in function bodies, its own or the prelude's.
 */
function stepReads(step: StepDraft, facts: ReadonlyMap<number, CellFacts>, prelude: Prelude): Read[] {
  const reads = new Map<string, Read>();
  const defined = new Set<string>();
  const read = (name: string, place: Place, optional: boolean) => {
    if (!defined.has(name) && !reads.has(name)) reads.set(name, { name, place, optional });
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
    for (const site of cell.keeps) read(site.name, { cellIndex, line: site.line, column: site.column }, true);
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
  stepClasses: ReadonlySet<string>
): void {
  const { definition } = producer;
  const instanceOf =
    definition.instanceOf && stepClasses.has(definition.instanceOf) ? definition.instanceOf : undefined;
  if (!UNMARSHALLABLE.has(definition.kind) && !instanceOf) return;
  const duplicate = diagnostics.some(
    d =>
      d.code === 'unmarshallable-value' &&
      d.cellIndex === producer.cellIndex &&
      d.line === definition.line &&
      d.column === definition.column
  );
  if (duplicate) return;
  const place = { cellIndex: producer.cellIndex, line: definition.line, column: definition.column };
  diagnostics.push(
    instanceOf
      ? codeError.unmarshallableInstance(place, definition.name, instanceOf, producer.step, consumer)
      : codeError.unmarshallable(place, definition.name, definition.kind, producer.step, consumer)
  );
}
