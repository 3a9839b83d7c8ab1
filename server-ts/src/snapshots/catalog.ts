/** The store as people see it: the snapshots there (newest first, with size and pin), pinning and unpinning. */
import { join, resolve } from 'node:path';
import { HASH_PATTERN } from './hash.js';
import { CellflowError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readManifest, manifestIds, resolveSnapshotId } from './manifest-store.js';
import { readPins, writePins } from './pins.js';
import { realFs, type SnapshotFs } from './snapshot-fs.js';
import { StoreLayout } from './store-layout.js';

export interface SnapshotSummary {
  id: string;
  createdAt: string;
  files: number;
  bytesTotal: number;
  pinned: boolean;
  /** Set when its manifest cannot be read (the other fields are then empty). */
  damaged?: Diagnostic;
}

export function listSnapshots(workspace: string, options: { fs?: SnapshotFs } = {}): SnapshotSummary[] {
  const fsys = options.fs ?? realFs;
  const layout = new StoreLayout(resolve(workspace));
  const pins = new Set(readPins(fsys, layout));
  return manifestIds(fsys, layout)
    .map((id): SnapshotSummary => {
      let manifest;
      try {
        manifest = readManifest(fsys, layout, id);
      } catch (error) {
        if (!(error instanceof CellflowError)) throw error;
        return { id, createdAt: '', files: 0, bytesTotal: 0, pinned: pins.has(id), damaged: error.diagnostic };
      }
      const files = manifest.entries.flatMap(e => (e.kind === 'file' ? [e] : []));
      return {
        id,
        createdAt: manifest.createdAt,
        files: files.length,
        bytesTotal: files.reduce((sum, e) => sum + e.size, 0),
        pinned: pins.has(id)
      };
    })
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/** What the store holds on disk: its objects (file contents, each stored once) and their bytes. */
export function storeUsage(workspace: string, options: { fs?: SnapshotFs } = {}): { objects: number; bytes: number } {
  const fsys = options.fs ?? realFs;
  const dir = new StoreLayout(resolve(workspace)).objectsDir();
  const usage = { objects: 0, bytes: 0 };
  if (!fsys.existsSync(dir)) return usage;
  for (const shard of fsys.readdirSync(dir, { withFileTypes: true })) {
    if (!shard.isDirectory()) continue;
    for (const object of fsys.readdirSync(join(dir, shard.name), { withFileTypes: true })) {
      if (!HASH_PATTERN.test(object.name)) continue;
      usage.objects++;
      usage.bytes += Number(fsys.lstatSync(join(dir, shard.name, object.name), { bigint: true }).size);
    }
  }
  return usage;
}

/** Pins a snapshot (a full id or a unique prefix); returns the full id. */
export function pin(workspace: string, snapshotId: string, options: { fs?: SnapshotFs } = {}): string {
  const fsys = options.fs ?? realFs;
  const layout = new StoreLayout(resolve(workspace));
  const id = resolveSnapshotId(fsys, layout, snapshotId);
  writePins(fsys, layout, [...readPins(fsys, layout), id]);
  return id;
}

export function unpin(workspace: string, snapshotId: string, options: { fs?: SnapshotFs } = {}): string {
  const fsys = options.fs ?? realFs;
  const layout = new StoreLayout(resolve(workspace));
  const pins = readPins(fsys, layout);
  const id = pins.includes(snapshotId) ? snapshotId : resolveSnapshotId(fsys, layout, snapshotId);
  writePins(
    fsys,
    layout,
    pins.filter(p => p !== id)
  );
  return id;
}
