/**
 * What the live analysis sends, and which answer it keeps. The unsaved cells
 * go without outputs (the analysis reads sources and tags only, and outputs
 * can be megabytes); the ids are kept beside them, since the IR numbers cells
 * by position and the notebook may change before the answer comes.
 */
import type { IAnalysisCell } from './api/types';

/** A cell model as far as the request needs it (ICellModel has these). */
export interface IRequestCell {
  readonly id: string;
  readonly type: string;
  readonly sharedModel: { getSource(): string; getMetadata(): Record<string, unknown> };
}

export interface IAnalysisCells {
  cells: IAnalysisCell[];
  ids: string[];
}

export function cellsForAnalysis(models: Iterable<IRequestCell>): IAnalysisCells {
  const cells: IAnalysisCell[] = [];
  const ids: string[] = [];
  for (const model of models) {
    const cell: IAnalysisCell = {
      id: model.id,
      cell_type: model.type,
      source: model.sharedModel.getSource(),
      metadata: model.sharedModel.getMetadata()
    };
    if (model.type === 'code') {
      cell.outputs = [];
      cell.execution_count = null;
    }
    cells.push(cell);
    ids.push(model.id);
  }
  return { cells, ids };
}

/**
 * Numbers requests so that only the answer to the latest one is used: an
 * answer to an older request (typing went on meanwhile) arrives unseen, even
 * when it arrives last.
 */
export class RequestSequence {
  /** Starts a request; its number. */
  next(): number {
    return ++this._latest;
  }

  isLatest(request: number): boolean {
    return request === this._latest;
  }

  /** Makes every request started so far stale (the notebook was closed or switched). */
  invalidate(): void {
    this._latest++;
  }

  private _latest = 0;
}
