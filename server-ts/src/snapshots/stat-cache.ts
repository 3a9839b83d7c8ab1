/**
 * What the last snapshot learnt about each file: (size, mtime in ns, inode) → hash. A file whose stat still
 * matches is neither read nor hashed again. As git does against "racy" files, an entry is kept only when the
 * file's mtime is older than the snapshot's start by more than the filesystem's timestamp slack: a file
 * written in the same instant as the snapshot could change again without its mtime moving.
 */
import type { BigIntStats } from 'node:fs';
import type { SnapshotFs } from './snapshot-fs.js';
import { writeFileAtomicSync } from './snapshot-fs.js';
import type { StoreLayout } from './store-layout.js';

/** One line per file, tab-separated: path, size, mtime ns, inode, hash (parsed only when looked up: cheap to load). */
const FIELD = '\t';

/** Two seconds: coarse filesystems (FAT, some network mounts) keep mtimes to that. */
const RACY_SLACK_NS = 2_000_000_000n;

function readLines(fsys: SnapshotFs, layout: StoreLayout): Map<string, string> {
  const lines = new Map<string, string>();
  try {
    for (const line of fsys.readFileSync(layout.statCache()).toString('utf8').split('\n')) {
      const tab = line.indexOf(FIELD);
      if (tab > 0) lines.set(line.slice(0, tab), line);
    }
  } catch {
    // No cache yet, or one that cannot be read: every file is hashed, which is only slower.
  }
  return lines;
}

export class StatCache {
  private readonly entries: Map<string, string>;
  private readonly next: string[] = [];
  hits = 0;
  misses = 0;

  constructor(
    private readonly fsys: SnapshotFs,
    private readonly layout: StoreLayout,
    private readonly startedNs: bigint
  ) {
    this.entries = readLines(fsys, layout);
  }

  lookup(path: string, stat: BigIntStats): string | null {
    const line = this.entries.get(path);
    const fields = line?.split(FIELD);
    const matches =
      fields !== undefined &&
      fields.length === 5 &&
      fields[1] === String(stat.size) &&
      fields[2] === String(stat.mtimeNs) &&
      fields[3] === String(stat.ino);
    if (matches) this.hits++;
    else this.misses++;
    return matches ? fields[4] : null;
  }

  /** Records what this snapshot saw; only files that are not racy are kept for the next one. */
  record(path: string, stat: BigIntStats, hash: string): void {
    if (stat.mtimeNs + RACY_SLACK_NS >= this.startedNs) return;
    if (path.includes(FIELD) || path.includes('\n')) return; // such names are hashed every time
    this.next.push([path, stat.size, stat.mtimeNs, stat.ino, hash].join(FIELD));
  }

  /** Replaces the cache with what this snapshot saw. A cache that cannot be written is only a slower next snapshot. */
  save(): void {
    try {
      const bytes = Buffer.from(this.next.join('\n') + '\n');
      writeFileAtomicSync(this.fsys, this.layout.statCache(), bytes, this.layout.temp('stat-cache'), false);
    } catch {
      // Left as it was (writeFileAtomicSync removed its temp file).
    }
  }
}

/** After gc: entries whose object is gone are dropped, so the next snapshot stores those files again. */
export function pruneStatCache(fsys: SnapshotFs, layout: StoreLayout, liveObjects: ReadonlySet<string>): void {
  if (!fsys.existsSync(layout.statCache())) return;
  const kept = [...readLines(fsys, layout).values()].filter(line => liveObjects.has(line.split(FIELD)[4]));
  fsys.mkdirSync(layout.tmpDir(), { recursive: true });
  const bytes = Buffer.from(kept.join('\n') + '\n');
  writeFileAtomicSync(fsys, layout.statCache(), bytes, layout.temp('stat-cache'));
}
