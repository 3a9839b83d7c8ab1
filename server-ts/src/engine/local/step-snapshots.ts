/**
 * The two snapshots taken after each step (into the workspace's store, so `gc` sees them): the step's whole folder
 * in the run, and the run's frozen copy of the workspace as it is then. The copy's is the run's snapshot with only
 * what changed since the run started walked again, so unchanged files are neither read nor hashed.
 */
import { snapshotWorkspace } from '../../snapshots/index.js';
import type { RunWorkspace } from './run-workspace.js';
import { noChanges, type WorkspaceChanges } from './written-files.js';

export interface StepSnapshots {
  snapshot: string;
  workspaceSnapshot: string;
}

export async function snapshotStep(
  workspace: RunWorkspace,
  stepDir: string,
  /** What changed in the copy since the run started. */
  changes: WorkspaceChanges
): Promise<StepSnapshots> {
  const step = await snapshotWorkspace(stepDir, { storeIn: workspace.live });
  if (noChanges(changes)) return { snapshot: step.id, workspaceSnapshot: workspace.snapshot };
  const copy = await snapshotWorkspace(workspace.root, {
    storeIn: workspace.live,
    only: changes.written,
    base: { id: workspace.snapshot, removed: changes.removed }
  });
  return { snapshot: step.id, workspaceSnapshot: copy.id };
}
