/**
 * What a snapshot leaves out, in gitignore syntax (the `ignore` package, git's own rules): `.gitignore` and
 * `.cellflowignore` files, each applying to its own folder's subtree as git applies nested `.gitignore` files (a
 * deeper file's rules take precedence, negations included), and patterns the caller adds (from the root).
 * `.cellflow` (the store itself) is always out, and so is every folder `cellflow restore` made (it holds
 * `.cellflow-restore/`: a workspace of its own, and a copy of this one's files, so each restore would otherwise change
 * every step's cache key and store the files again); a step reading one reads it live, checked as excluded paths are.
 * `node_modules` folders are not walked but recorded by their lockfile (`lockfiles.ts`).
 */
import ignore, { type Ignore } from 'ignore';
import { join } from 'node:path';
import { RESTORE_DIR } from '../restore-kernel/restore-file.js';
import type { SnapshotFs } from './snapshot-fs.js';

export const IGNORE_FILES = ['.gitignore', '.cellflowignore'] as const;

export interface Exclusions {
  /** `path` is workspace-relative with `/` separators; folders end with `/`. */
  excludes(path: string): boolean;
}

export function workspaceExclusions(fsys: SnapshotFs, root: string, extra: readonly string[] = []): Exclusions {
  /** Per folder ('' for the root): its ignore files' rules, or null when it has none. Read once per folder. */
  const byFolder = new Map<string, Ignore | null>();
  const rulesOf = (folder: string): Ignore | null => {
    let rules = byFolder.get(folder);
    if (rules !== undefined) return rules;
    rules = null;
    for (const name of IGNORE_FILES) {
      const file = join(root, folder, name);
      if (!fsys.existsSync(file)) continue;
      rules ??= ignore();
      rules.add(fsys.readFileSync(file).toString('utf8'));
    }
    if (folder === '' && extra.length > 0) (rules ??= ignore()).add([...extra]);
    byFolder.set(folder, rules);
    return rules;
  };
  return {
    excludes: path => {
      if (path === '.cellflow/' || path.startsWith('.cellflow/')) return true;
      if (path.endsWith('/') && fsys.existsSync(join(root, path, RESTORE_DIR, 'restore.json'))) return true;
      // From the root down: each folder's rules see the path relative to that folder; the deepest verdict wins.
      const parts = path.replace(/\/$/, '').split('/');
      let ignored = false;
      for (let depth = 0; depth < parts.length; depth++) {
        const folder = parts.slice(0, depth).join('/');
        const rules = rulesOf(folder);
        if (!rules) continue;
        const verdict = rules.test(path.slice(folder === '' ? 0 : folder.length + 1));
        if (verdict.ignored) ignored = true;
        else if (verdict.unignored) ignored = false;
      }
      return ignored;
    }
  };
}
