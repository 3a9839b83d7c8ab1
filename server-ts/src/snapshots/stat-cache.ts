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

interface CachedStat {
  size: number;
  mtimeNs: string;
  ino: string;
  hash: string;
}

/** Two seconds: coarse filesystems (FAT, some network mounts) keep mtimes to that. */
const RACY_SLACK_NS = 2_000_000_000n;

export class StatCache {
  private entries = new Map<string, CachedStat>();
  private next = new Map<string, CachedStat>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly fsys: SnapshotFs,
    private readonly layout: StoreLayout,
    private readonly startedNs: bigint
  ) {
    try {
      const raw = JSON.parse(fsys.readFileSync(layout.statCache()).toString('utf8')) as Record<string, CachedStat>;
      for (const [path, entry] of Object.entries(raw)) this.entries.set(path, entry);
    } catch {
      // No cache yet, or a damaged one: every file is hashed, which is only slower.
    }
  }

  lookup(path: string, stat: BigIntStats): string | null {
    const entry = this.entries.get(path);
    const matches =
      entry !== undefined &&
      entry.size === Number(stat.size) &&
      entry.mtimeNs === String(stat.mtimeNs) &&
      entry.ino === String(stat.ino);
    if (matches) this.hits++;
    else this.misses++;
    return matches ? entry.hash : null;
  }

  /** Records what this snapshot saw; only files that are not racy are kept for the next one. */
  record(path: string, stat: BigIntStats, hash: string): void {
    if (stat.mtimeNs + RACY_SLACK_NS >= this.startedNs) return;
    this.next.set(path, { size: Number(stat.size), mtimeNs: String(stat.mtimeNs), ino: String(stat.ino), hash });
  }

  /** Replaces the cache with what this snapshot saw. A cache that cannot be written is only a slower next snapshot. */
  save(): void {
    try {
      const bytes = Buffer.from(JSON.stringify(Object.fromEntries(this.next)));
      writeFileAtomicSync(this.fsys, this.layout.statCache(), bytes, this.layout.temp('stat-cache'), false);
    } catch {
      // Left as it was (writeFileAtomicSync removed its temp file).
    }
  }
}

/** After gc: entries whose object is gone are dropped, so the next snapshot stores those files again. */
export function pruneStatCache(fsys: SnapshotFs, layout: StoreLayout, liveObjects: ReadonlySet<string>): void {
  let raw: Record<string, CachedStat>;
  try {
    raw = JSON.parse(fsys.readFileSync(layout.statCache()).toString('utf8')) as Record<string, CachedStat>;
  } catch {
    return; // none, or damaged (a snapshot reads a damaged one as empty)
  }
  const kept = Object.fromEntries(Object.entries(raw).filter(([, entry]) => liveObjects.has(entry.hash)));
  fsys.mkdirSync(layout.tmpDir(), { recursive: true });
  writeFileAtomicSync(fsys, layout.statCache(), Buffer.from(JSON.stringify(kept)), layout.temp('stat-cache'));
}
