/**
 * Writing proposed kinds into a notebook's cell tags, through Kale's tag
 * grammar (annotations/tags.ts), so tags the proposal does not decide (unknown
 * ones, `limit:`, ..) stay as the user wrote them. Pure: a copy comes back.
 */
import { readCellAnnotation, writeCellAnnotation } from '../annotations/tags.js';
import { cellTags, type NotebookJson } from '../notebook/nbformat.js';

/** What one cell becomes: a prelude cell, or (the first cell of) a step. */
export type CellPlan =
  | { kind: 'imports' | 'functions' }
  | { kind: 'step'; step: string; prev: string[] }
  /** A later cell of the step above it: stays untagged, as Kale continues a block. */
  | { kind: 'continue' };

export function tagsFor(existing: readonly string[], plan: CellPlan): string[] {
  const { annotation } = readCellAnnotation(existing, -1);
  if (plan.kind === 'continue') return [...existing];
  annotation.kind = plan.kind;
  if (plan.kind === 'step') {
    annotation.step = plan.step;
    annotation.prev = [...plan.prev];
  }
  return writeCellAnnotation(annotation);
}

/** The notebook with each planned cell's tags replaced; an empty tag list is written as none. */
export function applyTags(notebook: NotebookJson, tags: ReadonlyMap<number, readonly string[]>): NotebookJson {
  return {
    ...notebook,
    cells: notebook.cells.map((cell, index) => {
      const wanted = tags.get(index);
      if (!wanted || sameTags(cellTags(cell), wanted)) return cell;
      return { ...cell, metadata: { ...cell.metadata, tags: [...wanted] } };
    })
  };
}

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((tag, i) => tag === b[i]);
}
