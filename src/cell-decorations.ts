/**
 * What each cell shows of the pipeline: its kind or step (badge and colour),
 * what its step receives and hands on, and the diagnostics on it. Pure: the
 * cells and the latest analysis in, one decoration per cell id out, so the
 * decorator only touches cells whose decoration changed (typing in a long
 * notebook re-decorates one or two cells, not all of them).
 */
import { annotationFromTags, CellKind } from './annotation';
import type { Diagnostic, PipelineIR, StepInput } from './ir';
import { NON_STEP_COLOR, stepColors, stepsInNotebookOrder } from './step-colors';

/** A cell as the decorations need it. */
export interface IDecoratedCell {
  id: string;
  type: string;
  tags: readonly string[];
}

/** An analysis and the ids of the cells it was asked about, in order (the IR numbers cells by position). */
export interface IAnalysisSnapshot {
  ir: PipelineIR;
  cellIds: readonly string[];
}

export interface ICellDecoration {
  kind: Exclude<CellKind, 'continue'>;
  /** The badge's text: the step name, or the kind. */
  label: string;
  color: string;
  /** The step this cell belongs to, when it is a step's. */
  step: string | null;
  /** Whether this is the first cell of its step (the one that shows the data flow). */
  first: boolean;
  ins: StepInput[];
  outs: string[];
  /** Only on the first cell of a step, `prev:` steps. */
  dependencies: string[];
  diagnostics: Diagnostic[];
}

const KIND_LABEL: Readonly<Record<Exclude<CellKind, 'continue' | 'step'>, string>> = {
  imports: 'imports',
  functions: 'functions',
  parameters: 'parameters',
  metrics: 'metrics',
  skip: 'skip'
};

/**
 * Decorations by cell id. A cell's kind and step come from the analysis (the
 * backend's grammar decides what an untagged cell continues); cells the
 * analysis does not list (skipped cells, cells added since it was asked) fall
 * back to their own first kind tag. Diagnostics of cells that changed since
 * the analysis still point at the right cell: the IR's indices are mapped
 * through the ids the request was made with.
 */
export function decorateCells(
  cells: readonly IDecoratedCell[],
  analysis: IAnalysisSnapshot | null
): Map<string, ICellDecoration> {
  const result = new Map<string, ICellDecoration>();
  const fromAnalysis = analysis ? decorationsFromAnalysis(analysis) : new Map<string, ICellDecoration>();
  const colors = analysis ? stepColors(stepsInNotebookOrder(analysis.ir.steps)) : new Map<string, string>();
  for (const cell of cells) {
    if (cell.type !== 'code') {
      continue;
    }
    const decoration = fromAnalysis.get(cell.id) ?? fromOwnTags(cell, colors);
    if (decoration) {
      result.set(cell.id, decoration);
    }
  }
  return result;
}

function decorationsFromAnalysis({ ir, cellIds }: IAnalysisSnapshot): Map<string, ICellDecoration> {
  const byId = new Map<string, ICellDecoration>();
  const colors = stepColors(stepsInNotebookOrder(ir.steps));
  const place = (index: number, decoration: ICellDecoration) => {
    const id = cellIds[index];
    if (id !== undefined && !byId.has(id)) {
      byId.set(id, decoration);
    }
  };
  for (const step of ir.steps) {
    step.cells.forEach((index, position) =>
      place(index, {
        kind: 'step',
        label: step.name,
        color: colors.get(step.name) ?? NON_STEP_COLOR,
        step: step.name,
        first: position === 0,
        ins: position === 0 ? step.ins : [],
        outs: position === 0 ? step.outs : [],
        dependencies: position === 0 ? step.dependencies : [],
        diagnostics: []
      })
    );
  }
  for (const cell of ir.prelude) {
    place(cell.cellIndex, kindDecoration(cell.kind));
  }
  for (const parameter of ir.parameters) {
    place(parameter.cellIndex, kindDecoration('parameters'));
  }
  for (const metric of ir.metrics) {
    place(metric.cellIndex, kindDecoration('metrics'));
  }
  for (const diagnostic of ir.diagnostics) {
    const id = diagnostic.cellIndex === null ? undefined : cellIds[diagnostic.cellIndex];
    if (id === undefined) {
      continue;
    }
    const decoration = byId.get(id);
    if (decoration) {
      decoration.diagnostics.push(diagnostic);
    } else {
      // A cell the analysis put in no block (e.g. an untagged cell before the first tag) still shows its problem.
      byId.set(id, { ...kindDecoration('skip'), diagnostics: [diagnostic] });
    }
  }
  return byId;
}

function fromOwnTags(cell: IDecoratedCell, colors: Map<string, string>): ICellDecoration | null {
  const annotation = annotationFromTags(cell.tags);
  if (annotation.kind === 'continue') {
    return null;
  }
  if (annotation.kind === 'step') {
    return {
      ...kindDecoration('skip'),
      kind: 'step',
      label: annotation.step,
      step: annotation.step,
      color: colors.get(annotation.step) ?? NON_STEP_COLOR
    };
  }
  return kindDecoration(annotation.kind);
}

function kindDecoration(kind: Exclude<CellKind, 'continue' | 'step'>): ICellDecoration {
  return {
    kind,
    label: KIND_LABEL[kind],
    color: NON_STEP_COLOR,
    step: null,
    first: false,
    ins: [],
    outs: [],
    dependencies: [],
    diagnostics: []
  };
}

/** Whether two decorations show the same thing. */
export function sameDecoration(a: ICellDecoration | undefined, b: ICellDecoration | undefined): boolean {
  if (a === undefined || b === undefined) {
    return a === b;
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The ids whose decoration is new, changed or gone. */
export function changedDecorations(
  before: ReadonlyMap<string, ICellDecoration>,
  after: ReadonlyMap<string, ICellDecoration>
): string[] {
  const changed: string[] = [];
  for (const [id, decoration] of after) {
    if (!sameDecoration(before.get(id), decoration)) {
      changed.push(id);
    }
  }
  for (const id of before.keys()) {
    if (!after.has(id)) {
      changed.push(id);
    }
  }
  return changed;
}
