/**
 * The files a step wrote into the run's copy of the workspace: the copy's files stat-ed before and after the step
 * (size, mtime in ns, inode), the difference saved with the step (`<stepDir>/workspace-files/`: the written files
 * under `files/`, and `written.json` listing them and what it removed), cached with its result and written into the
 * copy of a later run that takes the result from the cache, so a step reading a file an upstream cached step wrote
 * sees the same bytes. Links to the live workspace (node_modules, excluded paths) are not followed.
 */
import { constants, copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/** Path (workspace-relative, `/`) → what a change would change: size, mtime ns, inode. */
export type TreeStat = Map<string, string>;

export interface WorkspaceChanges {
  /** Files made or changed. */
  written: string[];
  /** Files removed. */
  removed: string[];
}

export const WRITTEN_DIR = 'workspace-files';

export function statTree(root: string): TreeStat {
  const tree: TreeStat = new Map();
  const visit = (folder: string) => {
    let children;
    try {
      children = readdirSync(join(root, folder), { withFileTypes: true });
    } catch {
      return;
    }
    for (const child of children) {
      const path = folder === '' ? child.name : `${folder}/${child.name}`;
      if (child.isDirectory()) visit(path);
      else if (child.isFile()) {
        try {
          const stat = lstatSync(join(root, path), { bigint: true });
          tree.set(path, `${stat.size}:${stat.mtimeNs}:${stat.ino}`);
        } catch {
          // removed while it was read
        }
      } else if (child.isSymbolicLink()) tree.set(path, 'link');
    }
  };
  visit('');
  return tree;
}

export function changesBetween(before: TreeStat, after: TreeStat): WorkspaceChanges {
  const written = [...after].filter(([path, stat]) => before.get(path) !== stat && stat !== 'link').map(([p]) => p);
  const removed = [...before.keys()].filter(path => !after.has(path) && before.get(path) !== 'link');
  return { written: written.sort(), removed: removed.sort() };
}

export const noChanges = (changes: WorkspaceChanges) => changes.written.length === 0 && changes.removed.length === 0;

/** Saves the written files (cloned where the file system can) and the list into `<stepDir>/workspace-files/`. */
export function saveChanges(root: string, changes: WorkspaceChanges, stepDir: string): void {
  const dir = join(stepDir, WRITTEN_DIR);
  for (const path of changes.written) {
    const target = join(dir, 'files', path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(root, path), target, constants.COPYFILE_FICLONE);
  }
  mkdirSync(dir, { recursive: true });
  writeFileAtomic.sync(join(dir, 'written.json'), JSON.stringify(changes) + '\n');
}

/** What a step folder (or cache entry) says its step wrote; none when it has no list. */
export function readChanges(writtenDir: string): WorkspaceChanges {
  const file = join(writtenDir, 'written.json');
  if (!existsSync(file)) return { written: [], removed: [] };
  const changes = JSON.parse(readFileSync(file, 'utf8')) as WorkspaceChanges;
  // Paths that would leave the copy are not the engine's own list: a damaged entry writes nothing outside it.
  const inside = (path: unknown) =>
    typeof path === 'string' &&
    path !== '' &&
    !path.startsWith('/') &&
    !path.split('/').some(p => p === '..' || p === '');
  return { written: (changes.written ?? []).filter(inside), removed: (changes.removed ?? []).filter(inside) };
}

/** A cached step's writes, made again in this run's copy. */
export function applyChanges(writtenDir: string, root: string): WorkspaceChanges {
  const changes = readChanges(writtenDir);
  for (const path of changes.removed) rmSync(join(root, path), { force: true });
  for (const path of changes.written) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    rmSync(target, { force: true }); // a file the snapshot holds is replaced, never written through
    copyFileSync(join(writtenDir, 'files', path), target, constants.COPYFILE_FICLONE);
  }
  return changes;
}
