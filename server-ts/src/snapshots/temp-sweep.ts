/**
 * Temp files of the store are named `<what>.<pid>.<random>`: those of a process that is gone (killed mid-write)
 * are removed; a live process's are its writes in progress.
 */
import type { SnapshotFs } from './snapshot-fs.js';
import { removeQuietly } from './snapshot-fs.js';
import type { StoreLayout } from './store-layout.js';
import { join } from 'node:path';

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function sweepStaleTemps(fsys: SnapshotFs, layout: StoreLayout): void {
  if (!fsys.existsSync(layout.tmpDir())) return;
  for (const d of fsys.readdirSync(layout.tmpDir(), { withFileTypes: true })) {
    const pid = Number(d.name.split('.')[1]);
    if (!Number.isInteger(pid) || !alive(pid)) removeQuietly(fsys, join(layout.tmpDir(), d.name));
  }
}

/** Temp files of this process still in the folder (tests: a failed snapshot must leave none). */
export function ownTemps(fsys: SnapshotFs, layout: StoreLayout): string[] {
  if (!fsys.existsSync(layout.tmpDir())) return [];
  return fsys
    .readdirSync(layout.tmpDir(), { withFileTypes: true })
    .map(d => d.name)
    .filter(name => Number(name.split('.')[1]) === process.pid);
}
