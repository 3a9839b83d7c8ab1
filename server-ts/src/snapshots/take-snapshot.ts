/**
 * `snapshotWorkspace`: walks the workspace (exclusions applied, `node_modules` by lockfile), stores each file's
 * content unless the stat cache or the store already has it, and writes the manifest last, so a manifest never
 * names an object that is not stored. A failure (a full disk among them) removes this snapshot's temp files
 * and throws a coded diagnostic; objects stored before it stay (valid, unnamed: `gc` removes them).
 */
import type { BigIntStats } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { snapshotError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';
import { isDiskFull } from '../runtime/step-failure.js';
import { contentHasher, hashBytes } from './hash.js';
import { workspaceExclusions, type Exclusions } from './exclusions.js';
import { lockfileFor } from './lockfiles.js';
import { entryLines, type ManifestEntry } from './manifest.js';
import { readManifest, writeManifest } from './manifest-store.js';
import { ObjectStore } from './object-store.js';
import { realFs, type SnapshotFs } from './snapshot-fs.js';
import { StatCache } from './stat-cache.js';
import { StoreLayout } from './store-layout.js';
import { sweepStaleTemps } from './temp-sweep.js';
import { withStoreLock } from './store-lock.js';

export interface SnapshotOptions {
  /** More exclusions, in gitignore syntax, on top of `.gitignore` and `.cellflowignore`. */
  exclude?: readonly string[];
  /** Only these workspace-relative paths (files or folders), e.g. what one step wrote. Default: everything. */
  only?: readonly string[];
  /**
   * The workspace whose store keeps the snapshot, when `root` is another folder: a step's outputs under
   * `.cellflow/runs/…` go into the workspace's store (and `gc` sees them there). Default: `root`.
   */
  storeIn?: string;
  /**
   * A snapshot of `root` as `base` was with only the `only` paths walked again and `removed` gone: a run's frozen
   * copy after a step, stored without walking (or hashing) the files nothing changed.
   */
  base?: { id: string; removed: readonly string[] };
  fs?: SnapshotFs;
}

export interface SnapshotResult {
  id: string;
  files: number;
  /** Bytes this snapshot added to the store: new objects and its manifest. */
  bytesNew: number;
  /** Of `bytesNew`, the manifest's (0 when the same snapshot was stored already). */
  manifestBytes: number;
  /** Bytes of every file it records. */
  bytesTotal: number;
  /** Files whose hash came from the stat cache (not read). */
  statCacheHits: number;
  /** false when a snapshot with the same entries was already stored (same id). */
  created: boolean;
}

export async function snapshotWorkspace(root: string, options: SnapshotOptions = {}): Promise<SnapshotResult> {
  const fsys = options.fs ?? realFs;
  const workspace = resolve(root);
  const layout = new StoreLayout(resolve(options.storeIn ?? root));
  try {
    fsys.mkdirSync(layout.tmpDir(), { recursive: true });
    return await withStoreLock(fsys, layout, () => takeSnapshot(fsys, workspace, layout, options));
  } catch (error) {
    if (error instanceof CellflowError) throw error;
    const { code, message } = error as NodeJS.ErrnoException;
    if (isDiskFull(error)) throw new CellflowError(snapshotError.diskFull(workspace, code ?? 'ENOSPC'));
    throw new CellflowError(snapshotError.storageFailed(workspace, message ?? String(error)));
  }
}

async function takeSnapshot(
  fsys: SnapshotFs,
  workspace: string,
  layout: StoreLayout,
  options: SnapshotOptions
): Promise<SnapshotResult> {
  {
    sweepStaleTemps(fsys, layout);
    const startedNs = BigInt(Date.now()) * 1_000_000n;
    const walk = new Walk(fsys, workspace, new ObjectStore(fsys, layout, await contentHasher()), {
      exclusions: workspaceExclusions(fsys, workspace, [...(options.exclude ?? []), ...storeInside(workspace, layout)]),
      // The stat cache is the workspace's own (keyed by path in it): another folder neither reads nor replaces it.
      cache: ownStatCache(workspace, layout, options) ? new StatCache(fsys, layout, startedNs) : new NoStatCache()
    });
    const starts = options.only ? options.only.map(p => p.replace(/\\/g, '/').replace(/\/+$/, '')) : [''];
    if (options.base) inherit(fsys, layout, walk, options.base, starts);
    for (const start of starts) walk.from(start);
    await walk.hashLockfiles();
    const entries = [...walk.entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    // The id hashes the entries alone (not when or where it was taken): the same workspace, the same id.
    const lines = entryLines(entries);
    const id = await hashBytes(lines);
    const created = !fsys.existsSync(layout.manifest(id));
    let manifestBytes = 0;
    if (created) {
      const head = { version: 1 as const, id, createdAt: new Date().toISOString(), root: workspace };
      manifestBytes = writeManifest(fsys, layout, head, lines);
    }
    walk.cache.save();
    const files = entries.filter(e => e.kind === 'file');
    return {
      id,
      files: files.length,
      bytesNew: walk.bytesNew + manifestBytes,
      manifestBytes,
      bytesTotal: files.reduce((sum, e) => sum + e.size, 0),
      statCacheHits: walk.cache.hits,
      created
    };
  }
}

function ownStatCache(workspace: string, layout: StoreLayout, options: SnapshotOptions): boolean {
  return !options.base && resolve(layout.workspace) === workspace;
}

/** The base snapshot's entries, less the removed paths and those walked again (`starts`), and their objects. */
function inherit(
  fsys: SnapshotFs,
  layout: StoreLayout,
  walk: Walk,
  base: { id: string; removed: readonly string[] },
  starts: string[]
) {
  const replaced = [...base.removed, ...starts];
  const under = (path: string) => replaced.some(p => p === '' || path === p || path.startsWith(`${p}/`));
  for (const entry of readManifest(fsys, layout, base.id).entries)
    if (!under(entry.path)) walk.entries.set(entry.path, entry);
}

/** For a folder that is not the workspace: every file is hashed, and the workspace's cache is left alone. */
class NoStatCache {
  hits = 0;
  lookup(): string | null {
    return null;
  }
  record(): void {}
  save(): void {}
}

class Walk {
  readonly entries = new Map<string, ManifestEntry>();
  readonly exclusions: Exclusions;
  readonly cache: Pick<StatCache, 'lookup' | 'record' | 'save' | 'hits'>;
  bytesNew = 0;

  constructor(
    private readonly fsys: SnapshotFs,
    private readonly root: string,
    private readonly objects: ObjectStore,
    parts: { exclusions: Exclusions; cache: Pick<StatCache, 'lookup' | 'record' | 'save' | 'hits'> }
  ) {
    this.exclusions = parts.exclusions;
    this.cache = parts.cache;
  }

  /** Walks from a workspace-relative path ('' for the root). */
  from(relative: string): void {
    const stat = this.lstat(relative);
    if (!stat) return;
    if (stat.isDirectory()) this.folder(relative);
    else this.entry(relative, stat);
  }

  private folder(relative: string): void {
    const name = relative.slice(relative.lastIndexOf('/') + 1);
    if (name === 'node_modules') {
      this.entries.set(relative, { kind: 'node_modules', path: relative, lockfile: null, lockfileHash: null });
      return;
    }
    if (relative !== '' && this.exclusions.excludes(`${relative}/`)) return;
    let children;
    try {
      children = this.fsys.readdirSync(join(this.root, relative), { withFileTypes: true });
    } catch (error) {
      if (gone(error)) return;
      throw error;
    }
    for (const child of children) {
      const path = relative === '' ? child.name : `${relative}/${child.name}`;
      if (child.isDirectory()) this.folder(path);
      else if (child.isFile() || child.isSymbolicLink()) {
        const stat = this.lstat(path);
        if (stat) this.entry(path, stat);
      }
      // Sockets, FIFOs and devices are not workspace contents.
    }
  }

  private entry(path: string, stat: BigIntStats): void {
    if (this.exclusions.excludes(path)) return;
    const full = join(this.root, path);
    if (stat.isSymbolicLink()) {
      this.entries.set(path, { kind: 'symlink', path, target: this.fsys.readlinkSync(full) });
      return;
    }
    if (!stat.isFile()) return;
    // A cache hit is trusted without checking the object is there: gc prunes the cache of what it removes.
    let hash = this.cache.lookup(path, stat);
    if (hash === null) {
      let stored;
      try {
        stored = this.objects.put(full);
      } catch (error) {
        if (gone(error)) return; // deleted since the walk saw it
        throw error;
      }
      hash = stored.hash;
      this.bytesNew += stored.bytesNew;
      // The size recorded is what was stored, not what the earlier stat said (the file may have grown since).
      stat = { ...stat, size: BigInt(stored.size) } as BigIntStats;
    }
    this.cache.record(path, stat, hash);
    this.entries.set(path, {
      kind: 'file',
      path,
      mode: Number(stat.mode) & 0o7777,
      size: Number(stat.size),
      mtimeNs: String(stat.mtimeNs),
      hash
    });
  }

  /** Each `node_modules` entry gets its lockfile's hash (the lockfile itself is a file of the snapshot too). */
  async hashLockfiles(): Promise<void> {
    for (const entry of this.entries.values()) {
      if (entry.kind !== 'node_modules') continue;
      const parent = entry.path.includes('/') ? entry.path.slice(0, entry.path.lastIndexOf('/')) : '';
      const lockfile = lockfileFor(this.fsys, join(this.root, parent));
      if (lockfile === null) continue;
      entry.lockfile = parent === '' ? lockfile : `${parent}/${lockfile}`;
      entry.lockfileHash = await hashBytes(this.fsys.readFileSync(join(this.root, entry.lockfile)));
    }
  }

  private lstat(relative: string): BigIntStats | null {
    try {
      return this.fsys.lstatSync(join(this.root, relative), { bigint: true });
    } catch (error) {
      if (gone(error)) return null;
      throw error;
    }
  }
}

/** The store itself, when it lies inside the folder being snapshotted under another name than `.cellflow`. */
function storeInside(root: string, layout: StoreLayout): string[] {
  const inside = relative(root, layout.dir);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? [] : [`/${inside.split(sep).join('/')}/`];
}

const gone = (error: unknown) => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');
