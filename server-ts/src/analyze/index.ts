/**
 * Analysis of a whole notebook: group cells into steps, analyze each cell
 * (cached), build the step graph, then compute the data flow. Pure: a
 * notebook in, the pipeline IR out.
 */
import { readNotebookSettings } from '../annotations/settings.js';
import { codeError, tagError } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Parameter, PipelineIR, PreludeCell } from '../ir.js';
import { detectLanguage } from '../notebook/language.js';
import { cellSource, type NotebookJson } from '../notebook/nbformat.js';
import { groupCells } from './blocks.js';
import { sharedCellFactsCache, type CellFactsCache } from './cell-cache.js';
import type { CellFacts } from './cell-facts.js';
import { computeDataflow, preludeNames } from './dataflow.js';
import { buildStepGraph } from './graph.js';
import { readMetricNames, type MetricName } from './metrics.js';
import { readParameters } from './parameters.js';
import { reservedName } from './reserved-names.js';
import { stepSourceHash, withLearntWrites } from './learnt.js';

export interface AnalyzeOptions {
  cache?: CellFactsCache;
  /** Per step, names runs saw it change that the source does not show (see engine/local/learnt-writes.ts). */
  learnt?: ReadonlyMap<string, readonly string[]>;
}

export interface Analysis {
  ir: PipelineIR;
  /** Facts of every analyzed code cell, by cell index: the compilers need the stripped JavaScript. */
  facts: Map<number, CellFacts>;
  /** Per step, a hash of its cells' sources: what was learnt about a step holds while it is unchanged. */
  sourceHashes: Map<string, string>;
}

export function analyzeNotebook(notebook: NotebookJson, options: AnalyzeOptions = {}): Analysis {
  const cache = options.cache ?? sharedCellFactsCache;
  const { language, kernel } = detectLanguage(notebook);
  const settings = readNotebookSettings(notebook);
  const blocks = groupCells(notebook, settings.steps_defaults);
  const diagnostics: Diagnostic[] = [...blocks.diagnostics];

  const facts = new Map<number, CellFacts>();
  for (const cell of blocks.cells) {
    if (cell.kind === 'skip') continue;
    const cellFacts = cache.get(cellSource(notebook.cells[cell.index]), language);
    facts.set(cell.index, cellFacts);
    const error = cellFacts.parseError;
    if (error) {
      const place = { cellIndex: cell.index, line: error.line, column: error.column };
      diagnostics.push(error.tooDeep ? codeError.tooDeep(place, error.message) : codeError.parse(place, error.message));
    }
    for (const definition of cellFacts.defines) {
      const why = definition.how === 'mutate' ? undefined : reservedName(definition.name);
      const place = { cellIndex: cell.index, line: definition.line, column: definition.column };
      if (why) diagnostics.push(codeError.reservedName(place, definition.name, why));
    }
    for (const namespace of cellFacts.namespaces) {
      const place = { cellIndex: cell.index, line: namespace.line, column: namespace.column };
      diagnostics.push(codeError.namespaceWithValues(place, namespace.name));
    }
  }

  const prelude: PreludeCell[] = [];
  const parameters: Parameter[] = [];
  const metricNames: MetricName[] = [];
  for (const cell of blocks.cells) {
    const source = cellSource(notebook.cells[cell.index]);
    if (cell.kind === 'imports' || cell.kind === 'functions') {
      prelude.push({ cellIndex: cell.index, kind: cell.kind, defines: preludeNames(facts.get(cell.index)!) });
    } else if (cell.kind === 'pipeline-parameters') {
      const read = readParameters(cell.index, source, language);
      for (const parameter of read.parameters) {
        const first = parameters.find(p => p.name === parameter.name);
        // One value per run: a later parameters cell may repeat a parameter, not change it.
        if (first && first.default !== parameter.default) {
          const place = { cellIndex: parameter.cellIndex, line: parameter.line, column: 0 };
          diagnostics.push(codeError.parameterRedefined(place, parameter.name, first.cellIndex));
        }
        if (!first) parameters.push(parameter);
      }
      diagnostics.push(...read.diagnostics);
    } else if (cell.kind === 'pipeline-metrics') {
      const read = readMetricNames(cell.index, source, language);
      metricNames.push(...read.metrics);
      diagnostics.push(...read.diagnostics);
    }
  }

  const sourceHashes = new Map(
    blocks.steps.map(step => [step.name, stepSourceHash(step.cells.map(c => cellSource(notebook.cells[c])))])
  );
  for (const step of blocks.steps) {
    const names = options.learnt?.get(step.name);
    const last = step.cells[step.cells.length - 1];
    const lastFacts = last === undefined ? undefined : facts.get(last);
    if (names && names.length > 0 && lastFacts && !lastFacts.parseError)
      facts.set(last!, withLearntWrites(lastFacts, names));
  }

  const graph = buildStepGraph(blocks.steps);
  diagnostics.push(...graph.diagnostics);
  if (blocks.steps.length === 0) diagnostics.push(tagError.noSteps());

  const flow = computeDataflow({
    steps: blocks.steps,
    graph,
    facts,
    preludeCells: prelude.map(p => p.cellIndex),
    preludeKinds: new Map(prelude.map(p => [p.cellIndex, p.kind])),
    parameterNames: new Set(parameters.map(p => p.name)),
    metricNames,
    unparsedNames: namesOfUnparsedCells(notebook, facts),
    kernel
  });
  diagnostics.push(...flow.diagnostics);

  const draftByName = new Map(blocks.steps.map(s => [s.name, s]));
  const ir: PipelineIR = {
    version: 1,
    language,
    kernel,
    settings,
    prelude,
    parameters,
    steps: graph.order.map(name => {
      const draft = draftByName.get(name)!;
      const stepFlow = flow.flows.get(name)!;
      const learnt = [...(options.learnt?.get(name) ?? [])];
      return {
        name,
        cells: draft.cells,
        dependencies: graph.dependencies.get(name)!,
        ins: stepFlow.ins,
        outs: stepFlow.outs,
        ...(learnt.length > 0 && { learnt }),
        parameters: stepFlow.parameters,
        settings: draft.settings
      };
    }),
    metrics: flow.metrics,
    diagnostics: sortDiagnostics(diagnostics)
  };
  return { ir, facts, sourceHashes };
}

/** Notebook order: by cell, line and column, notebook-wide ones first. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => [d.cellIndex ?? -1, d.line ?? 0, d.column ?? 0];
  return diagnostics.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2] || a.code.localeCompare(b.code);
  });
}

/**
 * Names a cell that does not parse seems to declare, read off its text (`const x`, `function f`, `class C`,
 * `import { a, b as c }`): the cell's own error is reported, and reads of these elsewhere are not reported
 * as undefined on top of it, while every other cell is still checked.
 */
function namesOfUnparsedCells(notebook: NotebookJson, facts: ReadonlyMap<number, CellFacts>): Set<string> {
  const names = new Set<string>();
  for (const [index, cellFacts] of facts) {
    if (!cellFacts.parseError) continue;
    const source = cellSource(notebook.cells[index]!);
    for (const match of source.matchAll(/\b(?:const|let|var|function\*?|class|enum|namespace)\s+([A-Za-z_$][\w$]*)/g))
      names.add(match[1]!);
    for (const match of source.matchAll(/\b(?:const|let|var)\s*[{[]([^=]*)[}\]]\s*=/g))
      for (const name of match[1]!.match(/[A-Za-z_$][\w$]*/g) ?? []) names.add(name);
    for (const match of source.matchAll(/\bimport\s+([^'"]*?)\s+from\b/g))
      for (const name of match[1]!.replace(/\b\w+\s+as\b/g, '').match(/[A-Za-z_$][\w$]*/g) ?? []) names.add(name);
    for (const match of source.matchAll(/^\s*([A-Za-z_$][\w$]*)\s*=[^=]/gm)) names.add(match[1]!);
  }
  return names;
}
