/**
 * `materialize`: a snapshot's files into a new folder, every object's hash checked as it is copied. The files are
 * written into a sibling folder and renamed to the target at the end, so a corrupted object (refused, naming
 * the file) or a full disk leaves no half-restored folder. `node_modules` folders are not restored: the result
 * names each with its lockfile, for the package manager.
 */
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { snapshotError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';
import { isDiskFull } from '../runtime/step-failure.js';
import { contentHasher } from './hash.js';
import type { FileEntry, Manifest } from './manifest.js';
import { readManifest, resolveSnapshotId } from './manifest-store.js';
import { ObjectStore } from './object-store.js';
import { realFs, type SnapshotFs } from './snapshot-fs.js';
import { StoreLayout } from './store-layout.js';

export interface MaterializeResult {
  id: string;
  dir: string;
  files: number;
  /** `node_modules` folders to install again, each with the lockfile that says what was there. */
  packages: { path: string; lockfile: string | null }[];
}

export async function materialize(
  workspace: string,
  snapshotId: string,
  targetDir: string,
  options: { fs?: SnapshotFs } = {}
): Promise<MaterializeResult> {
  const fsys = options.fs ?? realFs;
  const layout = new StoreLayout(resolve(workspace));
  const id = resolveSnapshotId(fsys, layout, snapshotId);
  const manifest = readManifest(fsys, layout, id);
  checkPaths(manifest, layout);
  const target = resolve(targetDir);
  if (fsys.existsSync(target) && fsys.readdirSync(target, { withFileTypes: true }).length > 0)
    throw new CellflowError(snapshotError.targetNotEmpty(target));
  const staging = join(dirname(target), `.${basename(target)}.restoring-${randomBytes(4).toString('hex')}`);
  const objects = new ObjectStore(fsys, layout, await contentHasher());
  try {
    fsys.mkdirSync(staging, { recursive: true, mode: 0o755 });
    let files = 0;
    for (const entry of manifest.entries) {
      const path = join(staging, entry.path);
      if (entry.kind === 'node_modules') continue;
      fsys.mkdirSync(dirname(path), { recursive: true });
      if (entry.kind === 'symlink') {
        fsys.symlinkSync(entry.target, path);
        continue;
      }
      restoreFile(fsys, objects, entry, path, id);
      files++;
    }
    if (fsys.existsSync(target)) fsys.rmSync(target, { recursive: true, force: true }); // empty, checked above
    fsys.renameSync(staging, target);
    const packages = manifest.entries.flatMap(e =>
      e.kind === 'node_modules' ? [{ path: e.path, lockfile: e.lockfile }] : []
    );
    return { id, dir: target, files, packages };
  } catch (error) {
    fsys.rmSync(staging, { recursive: true, force: true });
    if (error instanceof CellflowError) throw error;
    const { code, message } = error as NodeJS.ErrnoException;
    if (isDiskFull(error)) throw new CellflowError(snapshotError.diskFull(target, code ?? 'ENOSPC'));
    throw new CellflowError(snapshotError.storageFailed(target, message ?? String(error)));
  }
}

function restoreFile(fsys: SnapshotFs, objects: ObjectStore, entry: FileEntry, path: string, id: string): void {
  const copied = objects.copyOut(entry.hash, path);
  if (!copied.ok) throw new CellflowError(snapshotError.corruptObject(entry.path, id, copied.why));
  fsys.chmodSync(path, entry.mode);
  // Seconds as a double: microsecond precision, as close as utimes takes it.
  const mtime = Number(BigInt(entry.mtimeNs) / 1000n) / 1e6;
  fsys.utimesSync(path, mtime, mtime);
}

/** A manifest is the store's own, but a damaged or hand-made one must not write outside the target. */
export function checkPaths(manifest: Manifest, layout: StoreLayout): void {
  for (const entry of manifest.entries) {
    const parts = entry.path.split('/');
    const bad = entry.path === '' || entry.path.startsWith('/') || parts.some(p => p === '..' || p === '.' || p === '');
    if (bad)
      throw new CellflowError(
        snapshotError.damagedManifest(manifest.id, layout.manifest(manifest.id), `it names the path "${entry.path}"`)
      );
  }
}
