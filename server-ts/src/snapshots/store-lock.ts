/**
 * One lock on the store (proper-lockfile: a lock directory its holder refreshes, stale once it stops) held while
 * a snapshot is taken or checked out and while `gc` runs: a snapshot reuses objects it does not store again (the
 * stat cache, an object already there) before its manifest names them, so a `gc` at that moment would remove
 * them. Snapshots wait for each other and for `gc`; `gc` is synchronous and refuses while a snapshot holds it.
 */
import lockfile from 'proper-lockfile';
import { join } from 'node:path';
import { snapshotError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';
import type { SnapshotFs } from './snapshot-fs.js';
import type { StoreLayout } from './store-layout.js';

const STALE_MS = 10_000;

function options(layout: StoreLayout) {
  // A lost lock (another process found it stale after a long stall) is not a reason to crash the holder.
  return { lockfilePath: join(layout.dir, 'store.lock'), realpath: false, stale: STALE_MS, onCompromised: () => {} };
}

/** Runs `work` holding the store's lock, waiting (up to ~15 minutes) for another holder to finish. */
export async function withStoreLock<T>(fsys: SnapshotFs, layout: StoreLayout, work: () => T | Promise<T>): Promise<T> {
  fsys.mkdirSync(layout.dir, { recursive: true });
  const release = await lockfile.lock(layout.dir, {
    ...options(layout),
    update: STALE_MS / 4,
    retries: { retries: 1000, minTimeout: 50, maxTimeout: 1000, factor: 1.3 }
  });
  try {
    return await work();
  } finally {
    await release().catch(() => undefined); // already released or taken over: nothing to give back
  }
}

/** `gc`'s lock: taken at once or refused with `snapshot-store-busy` (a snapshot is being taken). */
export function withStoreLockSync<T>(fsys: SnapshotFs, layout: StoreLayout, work: () => T): T {
  if (!fsys.existsSync(layout.dir)) return work();
  let release: () => void;
  try {
    release = lockfile.lockSync(layout.dir, { ...options(layout), update: STALE_MS / 4 } as never);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED')
      throw new CellflowError(snapshotError.storeBusy(layout.dir));
    throw error;
  }
  try {
    return work();
  } finally {
    try {
      release();
    } catch {
      // already released or taken over
    }
  }
}

/** Whether a snapshot holds the store's lock now. */
export function storeLocked(layout: StoreLayout): boolean {
  try {
    return lockfile.checkSync(layout.dir, options(layout));
  } catch {
    return false;
  }
}
