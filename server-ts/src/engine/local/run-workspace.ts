/**
 * A run's frozen copy of the workspace: the snapshot taken before the run, checked out into the run's folder, where
 * every step works (its working directory is the notebook's place in the copy). So a run never sees edits made
 * while it runs, and steps write into the copy, never into the live workspace.
 *
 * The copy sits at `runs/<id>/workspace/<the live workspace's absolute path>`, and each folder above it mirrors the
 * live folder at that level (a symbolic link to every live entry but the one leading down to the copy). So a
 * relative path above the workspace (`../data.csv`, `../../shared/x`) and Node's search for `node_modules` in
 * parent folders resolve to the live files exactly as from the notebook's folder; absolute paths are the live
 * files too. Only what is inside the workspace is frozen.
 */
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join, parse, relative, resolve, sep } from 'node:path';
import { checkout } from '../../snapshots/index.js';

export interface RunWorkspace {
  /** The snapshot it was checked out from. */
  snapshot: string;
  /** The copy's root: where the live workspace's files are, frozen. */
  root: string;
  /** The live workspace. */
  live: string;
}

export async function prepareRunWorkspace(
  runDir: string,
  workspaceDir: string,
  snapshot: string
): Promise<RunWorkspace> {
  const live = resolve(workspaceDir);
  const { root: fsRoot } = parse(live);
  const parts = live.slice(fsRoot.length).split(sep).filter(Boolean);
  const mirrorRoot = join(runDir, 'workspace');
  const root = join(mirrorRoot, ...parts);
  // Each level above the copy: links to the live folder's entries, but the one the copy's path goes through.
  for (let depth = 0; depth < parts.length; depth++) {
    const liveFolder = join(fsRoot, ...parts.slice(0, depth));
    const mirror = join(mirrorRoot, ...parts.slice(0, depth));
    mkdirSync(mirror, { recursive: true });
    let names: string[];
    try {
      names = readdirSync(liveFolder);
    } catch {
      continue; // an unreadable folder above the workspace: its entries stay unreachable, as they would be live
    }
    for (const name of names) if (name !== parts[depth]) symlinkSync(join(liveFolder, name), join(mirror, name));
  }
  await checkout(live, snapshot, root);
  return { snapshot, root, live };
}

/** Where a live path inside the workspace (the notebook's folder) is in the copy. */
export function inCopy(workspace: RunWorkspace, livePath: string): string {
  const inside = relative(workspace.live, resolve(livePath));
  return inside === '' ? workspace.root : join(workspace.root, inside);
}

/**
 * A path (or file URL) in a run's frozen copy of the workspace (`…/.cellflow/runs/<id>/workspace/<live path>`,
 * as `prepareRunWorkspace` lays it out) as the live path it copies, which is what the import sites name.
 */
export function livePathOf(path: string): string {
  return path.replace(/^(file:\/\/)?.*\/\.cellflow\/runs\/[^/]+\/workspace(?=\/)/, '$1');
}
