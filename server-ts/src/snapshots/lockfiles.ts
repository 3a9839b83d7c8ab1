/**
 * `node_modules` is recorded by the hash of the lockfile beside it rather than copied: installed packages are
 * large, and the lockfile says exactly what `npm ci` (or its kin) brings back.
 */
import { join } from 'node:path';
import type { SnapshotFs } from './snapshot-fs.js';

/** In the order a folder's package manager is recognised. */
export const LOCKFILES = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'deno.lock', 'bun.lock'] as const;

/** The lockfile that describes `<dir>/node_modules`, relative to `dir`; null when there is none. */
export function lockfileFor(fsys: SnapshotFs, dir: string): string | null {
  for (const name of LOCKFILES) if (fsys.existsSync(join(dir, name))) return name;
  return null;
}
