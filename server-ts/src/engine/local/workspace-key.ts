/**
 * The part of a step's cache key that covers workspace files: the hash of the frozen workspace's manifest (the
 * run's snapshot), so a step reading `data.csv` runs again when `data.csv` changed. Left out: the notebook being
 * run (its code and parameters are in the key already, and saving it must not invalidate every step) and
 * `.ipynb_checkpoints` (Jupyter's autosaves); and mtimes (touching a file changes nothing a step reads).
 */
import { createHash } from 'node:crypto';
import { relative, resolve, sep } from 'node:path';
import { readManifest } from '../../snapshots/manifest-store.js';
import { realFs } from '../../snapshots/snapshot-fs.js';
import { StoreLayout } from '../../snapshots/store-layout.js';

export function workspaceKey(workspaceDir: string, snapshot: string, notebookPath: string): string {
  const layout = new StoreLayout(resolve(workspaceDir));
  const notebook = relative(resolve(workspaceDir), resolve(notebookPath)).split(sep).join('/');
  const hash = createHash('sha256');
  for (const entry of readManifest(realFs, layout, snapshot).entries) {
    if (entry.path === notebook || entry.path.split('/').includes('.ipynb_checkpoints')) continue;
    const content = entry.kind === 'file' ? { ...entry, mtimeNs: undefined } : entry; // JSON drops undefined
    hash.update(JSON.stringify(content)).update('\n');
  }
  return hash.digest('hex');
}
