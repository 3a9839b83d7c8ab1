/**
 * `checkout`: a snapshot's files into a new folder that a run works in (its frozen copy of the workspace). Unlike
 * `materialize` (a restore, which hashes every object), objects are cloned (`COPYFILE_FICLONE`: a reflink where
 * the file system has one, a copy otherwise; never a hard link, since a step writing a file in place would change
 * the store) and checked by size: they were hashed when stored. What the snapshot does not hold as files is
 * linked to the live workspace, so it resolves as there: each `node_modules` folder (recorded by its lockfile) and
 * every path the exclusions leave out. A live file that is not excluded and not in the manifest was made after the
 * snapshot: it is left out (a run never sees it). Empty live folders are made empty, as the snapshot has no folders.
 */
import {
  chmodSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { snapshotError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';
import { isDiskFull } from '../runtime/step-failure.js';
import { workspaceExclusions } from './exclusions.js';
import type { Manifest } from './manifest.js';
import { readManifest, resolveSnapshotId } from './manifest-store.js';
import { checkPaths } from './materialize.js';
import { realFs } from './snapshot-fs.js';
import { withStoreLock } from './store-lock.js';
import { StoreLayout } from './store-layout.js';

export interface CheckoutResult {
  manifest: Manifest;
  /** Workspace-relative paths linked to the live workspace (node_modules and excluded paths). */
  linked: string[];
}

export async function checkout(workspace: string, snapshotId: string, target: string): Promise<CheckoutResult> {
  const live = resolve(workspace);
  const layout = new StoreLayout(live);
  try {
    return await withStoreLock(realFs, layout, () => {
      const id = resolveSnapshotId(realFs, layout, snapshotId);
      const manifest = readManifest(realFs, layout, id);
      checkPaths(manifest, layout);
      mkdirSync(target, { recursive: true });
      const linked: string[] = [];
      const folders = new Set(['']);
      const named = new Set<string>();
      for (const entry of manifest.entries) {
        named.add(entry.path);
        for (let d = dirname(entry.path); d !== '.'; d = dirname(d)) folders.add(d);
        const path = join(target, entry.path);
        mkdirSync(dirname(path), { recursive: true });
        if (entry.kind === 'symlink') symlinkSync(entry.target, path);
        else if (entry.kind === 'node_modules') {
          if (existsSync(join(live, entry.path))) {
            symlinkSync(join(live, entry.path), path);
            linked.push(entry.path);
          }
        } else {
          copyFileSync(layout.object(entry.hash), path, constants.COPYFILE_FICLONE);
          const size = statSync(path).size;
          if (size !== entry.size)
            throw new CellflowError(
              snapshotError.corruptObject(entry.path, id, `its stored copy has ${size} bytes, not ${entry.size}`)
            );
          chmodSync(path, entry.mode);
          const mtime = Number(BigInt(entry.mtimeNs) / 1000n) / 1e6;
          utimesSync(path, mtime, mtime);
        }
      }
      linkLeftOut(live, target, folders, named, linked);
      return { manifest, linked };
    });
  } catch (error) {
    rmSync(target, { recursive: true, force: true });
    if (error instanceof CellflowError) throw error;
    const { code, message } = error as NodeJS.ErrnoException;
    if (isDiskFull(error)) throw new CellflowError(snapshotError.diskFull(target, code ?? 'ENOSPC'));
    throw new CellflowError(snapshotError.storageFailed(target, message ?? String(error)));
  }
}

/** Excluded live paths, linked; live folders the snapshot holds no file of, made (empty, or linked when excluded). */
function linkLeftOut(live: string, target: string, folders: Set<string>, named: Set<string>, linked: string[]) {
  const exclusions = workspaceExclusions(realFs, live);
  const visit = (folder: string) => {
    let children;
    try {
      children = readdirSync(join(live, folder), { withFileTypes: true });
    } catch {
      return; // gone since the snapshot
    }
    for (const child of children) {
      const path = folder === '' ? child.name : `${folder}/${child.name}`;
      if (path === '.cellflow' || named.has(path)) continue;
      const isFolder = child.isDirectory();
      if (isFolder && folders.has(path)) {
        visit(path);
        continue;
      }
      if (exclusions.excludes(isFolder ? `${path}/` : path)) {
        symlinkSync(join(live, path), join(target, path));
        linked.push(path);
      } else if (isFolder) {
        mkdirSync(join(target, path), { recursive: true });
        visit(path);
      }
      // A file neither in the snapshot nor excluded was made after it: not part of this run's workspace.
    }
  };
  visit('');
}
