/**
 * Who wrote what in a run's frozen copy: the copy is stat-ed when a step starts and when it ends, and the difference
 * is the step's. When another step ran (or a cached step's files were written) meanwhile and files changed, the
 * difference may be the other's: the step's writes are then ambiguous, and it is not cached.
 */
import { changesBetween, noChanges, statTree, type TreeStat, type WorkspaceChanges } from './written-files.js';

export interface StepWrites {
  changes: WorkspaceChanges;
  /** Another step may have made some of these changes. */
  ambiguous: boolean;
}

export class CopyWrites {
  private readonly initial: TreeStat;
  private readonly before = new Map<string, TreeStat>();
  private readonly overlapped = new Set<string>();

  constructor(private readonly root: string) {
    this.initial = statTree(root);
  }

  /** A step starts running its cells in the copy. */
  started(step: string): void {
    for (const other of this.before.keys()) {
      this.overlapped.add(other);
      this.overlapped.add(step);
    }
    this.before.set(step, statTree(this.root));
  }

  /** A cached step's files were written into the copy: any step running now may see them in its difference. */
  written(): void {
    for (const running of this.before.keys()) this.overlapped.add(running);
  }

  /** A step's process ended: what changed in the copy while it ran. */
  ended(step: string): StepWrites {
    const before = this.before.get(step);
    this.before.delete(step);
    const ambiguous = this.overlapped.delete(step);
    if (!before) return { changes: { written: [], removed: [] }, ambiguous: false };
    const changes = changesBetween(before, statTree(this.root));
    return { changes, ambiguous: ambiguous && !noChanges(changes) };
  }

  /** Everything that changed in the copy since the run started. */
  sinceStart(): WorkspaceChanges {
    return changesBetween(this.initial, statTree(this.root));
  }
}

/**
 * Ambiguous writes settled by what the step processes reported (runtime/file-access.ts): when every change in the
 * step's window is one it reported making or one another step of the run reported (a step that ended, or a cached
 * step's files), the step's writes are the ones it reported. A change nobody claims (a child process, a native
 * addon) leaves them ambiguous. Two steps writing the same path are refused by the file-dependency check.
 */
export function attributeWrites(
  writes: StepWrites,
  own: readonly string[] | undefined,
  claimedByOther: (path: string) => boolean
): StepWrites {
  if (!writes.ambiguous || own === undefined) return writes;
  const mine = new Set(own);
  const { written, removed } = writes.changes;
  if (![...written, ...removed].every(path => mine.has(path) || claimedByOther(path))) return writes;
  return {
    changes: { written: written.filter(p => mine.has(p)), removed: removed.filter(p => mine.has(p)) },
    ambiguous: false
  };
}
