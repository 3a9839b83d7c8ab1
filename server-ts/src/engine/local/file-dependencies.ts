/**
 * Files as a hidden dependency between steps. In the notebook a cell sees every file the cells above it wrote; in
 * a pipeline a step sees another step's file only when it runs after it, which the tags decide (`prev:`). A step
 * that reads a file (its contents, its existence, or the listing of its folder) another step writes, where neither
 * step is downstream of the other, may see it written or not depending on timing; two such steps writing one file
 * leave whichever finished last. Both are refused, naming the file, the steps, and the tag that fixes it. Pure: the
 * engine gives each finished step's file use (what its process reported and the files the copy shows it wrote).
 */
import { planCheckError } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { FileAccessReport } from '../../runtime/file-access.js';

/** A step's use of the run's copy of the workspace (workspace-relative paths, `/`). */
export interface StepFileUse {
  read: string[];
  listed: string[];
  wrote: string[];
}

export interface StepOrder {
  /** Is either step downstream of the other? */
  related(a: string, b: string): boolean;
  /** The step's first cell, for which comes first in the notebook. */
  firstCell(step: string): number;
}

export function fileUseOf(report: FileAccessReport | undefined, written: readonly string[]): StepFileUse {
  return {
    read: report?.read ?? [],
    listed: report?.listed ?? [],
    wrote: [...new Set([...(report?.wrote ?? []), ...written])].sort()
  };
}

const parentOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.');

/** A conflict of the step just finished with `other`, one finished before it. */
export interface FileConflict {
  other: string;
  diagnostic: Diagnostic;
}

/** The conflicts between `step` (just finished) and the steps finished before it. */
export function fileConflicts(
  step: string,
  use: StepFileUse,
  finished: ReadonlyMap<string, StepFileUse>,
  order: StepOrder
): FileConflict[] {
  const conflicts: FileConflict[] = [];
  for (const [other, theirs] of finished) {
    if (other === step || order.related(step, other)) continue;
    const [earlier, later] = order.firstCell(other) <= order.firstCell(step) ? [other, step] : [step, other];
    const place = { step: later, cellIndex: order.firstCell(later) };
    const found =
      readOfWrite(use, theirs, step, other) ?? readOfWrite(theirs, use, other, step) ?? sharedWrite(use, theirs);
    if (!found) continue;
    conflicts.push({
      other,
      diagnostic:
        found.kind === 'write'
          ? planCheckError.fileWrittenByUnrelatedSteps(place, found.path, earlier, later)
          : planCheckError.fileReadFromUnrelatedStep(place, found.path, found.reader!, found.writer!, earlier)
    });
  }
  return conflicts;
}

interface Found {
  kind: 'read' | 'write';
  path: string;
  reader?: string;
  writer?: string;
}

function readOfWrite(reads: StepFileUse, writes: StepFileUse, reader: string, writer: string): Found | undefined {
  const read = new Set(reads.read);
  const listed = new Set(reads.listed);
  for (const path of writes.wrote) {
    if (read.has(path)) return { kind: 'read', path, reader, writer };
    if (listed.has(parentOf(path))) return { kind: 'read', path: parentOf(path), reader, writer };
  }
  return undefined;
}

function sharedWrite(a: StepFileUse, b: StepFileUse): Found | undefined {
  const mine = new Set(a.wrote);
  const path = b.wrote.find(p => mine.has(p));
  return path === undefined ? undefined : { kind: 'write', path };
}
