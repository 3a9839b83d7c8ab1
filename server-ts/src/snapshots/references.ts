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
  const found = new Set<string>();
  const state = join(workspace, '.cellflow');
  const runs = join(state, 'runs');
  if (fsys.existsSync(runs))
    for (const d of fsys.readdirSync(runs, { withFileTypes: true }))
      if (d.isDirectory()) readRecord(fsys, join(runs, d.name, 'run.json'), found, true);
  const experiments = join(state, 'experiments');
  if (fsys.existsSync(experiments)) jsonFilesUnder(fsys, experiments, file => readRecord(fsys, file, found, false));
  return found;
}

function jsonFilesUnder(fsys: SnapshotFs, dir: string, visit: (file: string) => void): void {
  for (const d of fsys.readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, d.name);
    if (d.isDirectory()) jsonFilesUnder(fsys, path, visit);
    else if (d.isFile() && d.name.endsWith('.json')) visit(path);
  }
}

function readRecord(fsys: SnapshotFs, file: string, found: Set<string>, mayBeMissing: boolean): void {
  let value: unknown;
  try {
    value = JSON.parse(fsys.readFileSync(file).toString('utf8'));
  } catch (error) {
    // A run folder being made has no record yet, and nothing snapshotted for it is named anywhere else.
    if (mayBeMissing && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new CellflowError(snapshotError.referencesUnreadable(file, (error as Error).message));
  }
  collect(value, found);
}

/** `snapshot`, and any `…Snapshot` field (a step's `workspaceSnapshot`). */
function isSnapshotKey(key: string): boolean {
  return key === 'snapshot' || key.endsWith('Snapshot');
}

function collect(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) collect(v, found);
  else if (value !== null && typeof value === 'object')
    for (const [key, v] of Object.entries(value)) {
      if (isSnapshotKey(key) && typeof v === 'string') found.add(v);
      else collect(v, found);
    }
}
