/**
 * What a snapshot leaves out, in gitignore syntax (the `ignore` package, git's own rules): the workspace's
 * `.gitignore` and `.cellflowignore` at its root, and patterns the caller adds. `.cellflow` (the store itself)
 * is always out; `node_modules` folders are not walked but recorded by their lockfile (`lockfiles.ts`).
 */
import ignore, { type Ignore } from 'ignore';
import { join } from 'node:path';
import type { SnapshotFs } from './snapshot-fs.js';

export const IGNORE_FILES = ['.gitignore', '.cellflowignore'] as const;

export interface Exclusions {
  /** `path` is workspace-relative with `/` separators; folders end with `/`. */
  excludes(path: string): boolean;
}

export function workspaceExclusions(fsys: SnapshotFs, root: string, extra: readonly string[] = []): Exclusions {
  const rules: Ignore = ignore();
  for (const name of IGNORE_FILES) {
    const file = join(root, name);
    if (fsys.existsSync(file)) rules.add(fsys.readFileSync(file).toString('utf8'));
  }
  rules.add([...extra]);
  return {
    excludes: path => path === '.cellflow/' || path.startsWith('.cellflow/') || rules.ignores(path)
  };
}
