/**
 * `gc`: removes manifests nothing references (no run, experiment, pin or `keep` id) and objects no kept manifest
 * names. Manifests go first, so a kill midway leaves only unnamed objects, never a manifest naming a missing one.
 * Files younger than `graceMs` are kept: a snapshot being taken has stored objects its manifest does not name yet.
 */
import { join, resolve } from 'node:path';
import { readManifest, manifestIds } from './manifest-store.js';
import { readPins } from './pins.js';
import { referencedSnapshots } from './references.js';
import { realFs, type SnapshotFs } from './snapshot-fs.js';
import { StoreLayout } from './store-layout.js';
import { HASH_PATTERN } from './hash.js';
import { pruneStatCache } from './stat-cache.js';
import { withStoreLockSync } from './store-lock.js';

export interface GcOptions {
  dryRun?: boolean;
  /** More ids to keep, beyond pins and what run and experiment records reference. */
  keep?: readonly string[];
  /** Default one hour. */
  graceMs?: number;
  fs?: SnapshotFs;
}

export interface GcReport {
  dryRun: boolean;
  kept: string[];
  removedSnapshots: string[];
  removedObjects: number;
  removedBytes: number;
  /** Unreferenced files left because they are younger than the grace period. */
  young: number;
}

/** Holds the store's lock (`store-lock.ts`): refused with `snapshot-store-busy` while a snapshot is being taken. */
export function gc(workspace: string, options: GcOptions = {}): GcReport {
  const fsys = options.fs ?? realFs;
  const layout = new StoreLayout(resolve(workspace));
  return withStoreLockSync(fsys, layout, () => collect(fsys, layout, options));
}

function collect(fsys: SnapshotFs, layout: StoreLayout, options: GcOptions): GcReport {
  const root = layout.workspace;
  const graceMs = options.graceMs ?? 60 * 60 * 1000;
  const now = Date.now();
  const isYoung = (path: string) => now - Number(fsys.lstatSync(path, { bigint: true }).mtimeMs) < graceMs;
  const wanted = new Set([...readPins(fsys, layout), ...referencedSnapshots(fsys, root), ...(options.keep ?? [])]);
  const report: GcReport = {
    dryRun: Boolean(options.dryRun),
    kept: [],
    removedSnapshots: [],
    removedObjects: 0,
    removedBytes: 0,
    young: 0
  };
  const liveObjects = new Set<string>();
  const doomed: string[] = [];
  for (const id of manifestIds(fsys, layout)) {
    if (wanted.has(id) || isYoung(layout.manifest(id))) {
      // A kept manifest that cannot be read would hide which objects it needs: stop before removing anything.
      for (const entry of readManifest(fsys, layout, id).entries)
        if (entry.kind === 'file') liveObjects.add(entry.hash);
      if (wanted.has(id)) report.kept.push(id);
      else report.young++;
    } else doomed.push(id);
  }
  for (const id of doomed) {
    if (!report.dryRun) fsys.unlinkSync(layout.manifest(id));
    report.removedSnapshots.push(id);
  }
  const objectsDir = layout.objectsDir();
  const kept = new Set(liveObjects);
  const doomedObjects: string[] = [];
  if (fsys.existsSync(objectsDir))
    for (const shard of fsys.readdirSync(objectsDir, { withFileTypes: true })) {
      if (!shard.isDirectory()) continue;
      for (const object of fsys.readdirSync(join(objectsDir, shard.name), { withFileTypes: true })) {
        if (!HASH_PATTERN.test(object.name) || liveObjects.has(object.name)) continue;
        const path = join(objectsDir, shard.name, object.name);
        const stat = fsys.lstatSync(path, { bigint: true });
        if (now - Number(stat.mtimeMs) < graceMs) {
          report.young++;
          kept.add(object.name);
          continue;
        }
        doomedObjects.push(path);
        report.removedObjects++;
        report.removedBytes += Number(stat.size);
      }
    }
  if (!report.dryRun && doomedObjects.length > 0) {
    // The stat cache first: snapshots trust its hashes without looking for the object, so it must never name
    // one that is gone, even if gc is killed halfway.
    pruneStatCache(fsys, layout, kept);
    for (const path of doomedObjects) fsys.unlinkSync(path);
  }
  report.kept.sort();
  return report;
}
