/**
 * Who owns a run: the engine running it holds a lock on its folder (proper-lockfile: a lock directory whose
 * mtime the holder refreshes, stale once it stops). A run that says `running` while nobody holds its lock
 * (or whose engine process is gone) was interrupted. Cancelling from outside the owner writes a request file
 * the owner watches for.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';

const LOCK_FILE = 'owner.lock';
const CANCEL_FILE = 'cancel-request.json';
/** A lock not refreshed for this long is stale (its holder is stuck or gone); refreshed every STALE_MS / 4. */
const STALE_MS = 10_000;

function lockOptions(runDir: string) {
  return { lockfilePath: join(runDir, LOCK_FILE), realpath: false, stale: STALE_MS };
}

/** Takes the run's lock; `onLost` is called when another process took it over (it found it stale). */
export async function lockRun(runDir: string, onLost: (error: Error) => void): Promise<() => Promise<void>> {
  return lockfile.lock(runDir, { ...lockOptions(runDir), update: STALE_MS / 4, onCompromised: onLost });
}

export function runIsLocked(runDir: string): boolean {
  try {
    return lockfile.checkSync(runDir, lockOptions(runDir));
  } catch {
    return false; // the run folder is gone
  }
}

export function requestCancel(runDir: string): void {
  writeFileAtomic.sync(join(runDir, CANCEL_FILE), JSON.stringify({ by: process.pid, at: new Date().toISOString() }));
}

export function cancelRequested(runDir: string): boolean {
  return existsSync(join(runDir, CANCEL_FILE));
}

/** The request is spent once the run ends: a run read later shows no pending request. */
export function clearCancelRequest(runDir: string): void {
  rmSync(join(runDir, CANCEL_FILE), { force: true });
}
