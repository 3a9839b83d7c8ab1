/**
 * Groups cells into blocks the way Kale does: the first kind tag of a cell
 * decides what it is, an untagged code cell continues the block above (a
 * skipped cell in between does not end that block), a reused step name merges
 * its cells, markdown and raw cells are ignored.
 *
 * A notebook with no step tag at all (as notebooks are published) is one
 * step, `main`: its untagged cells, in order, after the prelude the
 * `imports`/`functions` cells make, so it runs exactly as the kernel runs it.
 */
import { readCellAnnotation, type CellKind } from '../annotations/tags.js';
import { tagError } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { StepSettings } from '../ir.js';
import { cellTags, type NotebookJson } from '../notebook/nbformat.js';

export type BlockKind = Exclude<CellKind, 'continue'>;

export interface BlockCell {
  index: number;
  kind: BlockKind;
  step?: string;
}

export interface PrevTag {
  step: string;
  cellIndex: number;
}

export interface StepDraft {
  name: string;
  cells: number[];
  prev: PrevTag[];
  settings: StepSettings;
}

export interface Blocks {
  cells: BlockCell[];
  /** Steps in the order their first cell appears. */
  steps: StepDraft[];
  diagnostics: Diagnostic[];
}

/** The one step of a notebook without step tags. */
export const WHOLE_NOTEBOOK_STEP = 'main';

export function groupCells(notebook: NotebookJson, stepsDefaults: readonly string[] = []): Blocks {
  // Each code cell's tags, read once: whether any names a step decides how untagged cells group.
  const annotated = notebook.cells.map((cell, index) =>
    cell.cell_type === 'code' ? readCellAnnotation(cellTags(cell), index) : undefined
  );
  const wholeNotebook = !annotated.some(read => read?.annotation.kind === 'step');
  const diagnostics: Diagnostic[] = [];
  const cells: BlockCell[] = [];
  const steps = new Map<string, StepDraft>();
  const defaults = readCellAnnotation(stepsDefaults, -1).annotation.settings;
  let current: { kind: BlockKind; step?: string } | undefined;
  let metricsSeen = false;

  annotated.forEach((read, index) => {
    if (!read) return;
    const { annotation, diagnostics: tagProblems } = read;
    diagnostics.push(...tagProblems);

    if (annotation.kind === 'skip') {
      cells.push({ index, kind: 'skip' });
      return;
    }
    if (annotation.kind === 'continue' && wholeNotebook && current?.kind !== 'step') {
      // Untagged cells are the work: Kale would fold them into the prelude block above, which runs nothing.
      current = { kind: 'step', step: WHOLE_NOTEBOOK_STEP };
    } else if (annotation.kind === 'continue') {
      if (!current) {
        diagnostics.push(tagError.untaggedLeadingCell(index));
        cells.push({ index, kind: 'skip' });
        return;
      }
    } else {
      current = { kind: annotation.kind, step: annotation.step };
    }
    if (current.kind === 'pipeline-metrics') metricsSeen = true;

    if (current.kind === 'step' && current.step !== undefined) {
      const name = current.step;
      if (metricsSeen && annotation.kind === 'step') diagnostics.push(tagError.stepAfterMetrics(index, name));
      let draft = steps.get(name);
      if (!draft) {
        draft = { name, cells: [], prev: [], settings: emptySettings(defaults) };
        steps.set(name, draft);
      }
      draft.cells.push(index);
      // `prev:` and step options count on a cell tagged with the step only; elsewhere they are reported above.
      if (annotation.kind === 'step') {
        for (const prev of annotation.prev) {
          if (!draft.prev.some(p => p.step === prev)) draft.prev.push({ step: prev, cellIndex: index });
        }
        mergeSettings(draft.settings, annotation.settings);
      }
    }
    cells.push({ index, kind: current.kind, step: current.step });
  });

  if (wholeNotebook && steps.size > 0)
    diagnostics.push(tagError.wholeNotebookOneStep(steps.get(WHOLE_NOTEBOOK_STEP)!.cells[0]));
  return { cells, steps: [...steps.values()], diagnostics };
}

function emptySettings(defaults: Partial<StepSettings>): StepSettings {
  const settings: StepSettings = { limits: {}, annotations: {}, labels: {} };
  mergeSettings(settings, defaults);
  return settings;
}

/** Later tags win; maps merge key by key. */
function mergeSettings(into: StepSettings, from: Partial<StepSettings>): void {
  Object.assign(into.limits, from.limits);
  Object.assign(into.annotations, from.annotations);
  Object.assign(into.labels, from.labels);
  if (from.image !== undefined) into.image = from.image;
  if (from.cache !== undefined) into.cache = from.cache;
  if (from.retry !== undefined) into.retry = from.retry;
  if (from.timeoutSeconds !== undefined) into.timeoutSeconds = from.timeoutSeconds;
}
