/**
 * Which snapshots the workspace's records reference: every `snapshot` or `…Snapshot` field (a string) anywhere in a run record
 * (`.cellflow/runs/<id>/run.json`: the run's and each step's) or an experiment's JSON files
 * (`.cellflow/experiments/**`). Read generically so a record kind added later keeps its snapshots without gc
 * learning about it. A record that cannot be read stops gc: what it references is unknown.
 */
import { join } from 'node:path';
import { snapshotError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';
import type { SnapshotFs } from './snapshot-fs.js';

export function referencedSnapshots(fsys: SnapshotFs, workspace: string): Set<string> {
  return new Set(snapshotReferences(fsys, workspace).keys());
}

/** What a snapshot holds, as the record naming it says (`TrialSnapshot.of` in an experiment's record). */
export type SnapshotOf = 'run' | 'step' | 'step-workspace';

/**
 * A record that names a snapshot: a run, or an experiment (by its folder under `.cellflow/experiments/`), and what
 * it says the snapshot is: the workspace before the run (`run`), a step's folder after it (`step`), or the run's
 * workspace copy after the step (`step-workspace`); absent for a field of another shape.
 */
export interface SnapshotReference {
  kind: 'run' | 'experiment';
  id: string;
  of?: SnapshotOf;
  step?: string;
}

type Where = Pick<SnapshotReference, 'of' | 'step'>;

/** Each referenced snapshot with the records that name it (what the Storage view and the API show). */
export function snapshotReferences(fsys: SnapshotFs, workspace: string): Map<string, SnapshotReference[]> {
  const found = new Map<string, SnapshotReference[]>();
  const state = join(workspace, '.cellflow');
  const runs = join(state, 'runs');
  const note = (by: SnapshotReference) => (snapshot: string, where: Where) => {
    const refs = found.get(snapshot) ?? [];
    const ref: SnapshotReference = { ...by, ...where };
    if (!refs.some(r => r.kind === ref.kind && r.id === ref.id && r.of === ref.of && r.step === ref.step))
      refs.push(ref);
    found.set(snapshot, refs);
  };
  if (fsys.existsSync(runs))
    for (const d of fsys.readdirSync(runs, { withFileTypes: true }))
      if (d.isDirectory()) readRecord(fsys, join(runs, d.name, 'run.json'), note({ kind: 'run', id: d.name }), true);
  const experiments = join(state, 'experiments');
  if (fsys.existsSync(experiments))
    for (const d of fsys.readdirSync(experiments, { withFileTypes: true }))
      if (d.isDirectory())
        jsonFilesUnder(fsys, join(experiments, d.name), file =>
          readRecord(fsys, file, note({ kind: 'experiment', id: d.name }), false)
        );
      else if (d.isFile() && d.name.endsWith('.json'))
        readRecord(fsys, join(experiments, d.name), note({ kind: 'experiment', id: d.name }), false);
  return found;
}

function jsonFilesUnder(fsys: SnapshotFs, dir: string, visit: (file: string) => void): void {
  for (const d of fsys.readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, d.name);
    if (d.isDirectory()) jsonFilesUnder(fsys, path, visit);
    else if (d.isFile() && d.name.endsWith('.json')) visit(path);
  }
}

type Found = (snapshot: string, where: Where) => void;

function readRecord(fsys: SnapshotFs, file: string, found: Found, mayBeMissing: boolean): void {
  let value: unknown;
  try {
    value = JSON.parse(fsys.readFileSync(file).toString('utf8'));
  } catch (error) {
    // A run folder being made has no record yet, and nothing snapshotted for it is named anywhere else.
    if (mayBeMissing && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new CellflowError(snapshotError.referencesUnreadable(file, (error as Error).message));
  }
  collect(value, found, []);
}

/** `snapshot`, and any `…Snapshot` field (a step's `workspaceSnapshot`). */
function isSnapshotKey(key: string): boolean {
  return key === 'snapshot' || key.endsWith('Snapshot');
}

/**
 * Every snapshot field, with what it is where the record's shape says so: an object with `of` beside its `snapshot`
 * (an experiment's trial), a run record's own `snapshot`, or a step's (`steps.<name>.snapshot|workspaceSnapshot`).
 */
function collect(value: unknown, found: Found, path: string[]): void {
  if (Array.isArray(value)) for (const v of value) collect(v, found, [...path, '[]']);
  else if (value !== null && typeof value === 'object')
    for (const [key, v] of Object.entries(value)) {
      if (isSnapshotKey(key) && typeof v === 'string') found(v, whereOf(value as Record<string, unknown>, key, path));
      else collect(v, found, [...path, key]);
    }
}

function whereOf(holder: Record<string, unknown>, key: string, path: string[]): Where {
  const of = holder.of;
  if (key === 'snapshot' && (of === 'run' || of === 'step' || of === 'step-workspace'))
    return typeof holder.step === 'string' ? { of, step: holder.step } : { of };
  if (path.length === 0 && key === 'snapshot') return { of: 'run' };
  if (path.length === 2 && path[0] === 'steps') {
    if (key === 'snapshot') return { of: 'step', step: path[1] };
    if (key === 'workspaceSnapshot') return { of: 'step-workspace', step: path[1] };
  }
  return {};
}
