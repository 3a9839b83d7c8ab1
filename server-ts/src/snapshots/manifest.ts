/**
 * A snapshot's manifest: every file with its mode, size, mtime and content hash; symbolic links with their
 * target; `node_modules` folders with their lockfile's hash. Its id is the hash of its entries, so an unchanged
 * workspace snapshots to the same id. Stored gzipped (one line per entry in JSON): a 10,000-file manifest is
 * then a few hundred KB instead of about a megabyte, which counts against what each snapshot newly stores.
 */
import { gunzipSync, gzipSync } from 'node:zlib';

export interface FileEntry {
  kind: 'file';
  path: string;
  mode: number;
  size: number;
  /** Nanoseconds since the epoch, as text (beyond a double's precision). */
  mtimeNs: string;
  hash: string;
}

export interface LinkEntry {
  kind: 'symlink';
  path: string;
  target: string;
}

/** A `node_modules` folder, not copied: restoring it is the package manager's job from the recorded lockfile. */
export interface PackagesEntry {
  kind: 'node_modules';
  path: string;
  /** The lockfile beside it (relative to the workspace) and its hash; null when there is no lockfile. */
  lockfile: string | null;
  lockfileHash: string | null;
}

export type ManifestEntry = FileEntry | LinkEntry | PackagesEntry;

export interface Manifest {
  version: 1;
  id: string;
  createdAt: string;
  /** The workspace it was taken of (informational). */
  root: string;
  /** Sorted by path. */
  entries: ManifestEntry[];
}

/** The entries as the manifest's lines: made once, both hashed for the id and written. */
export function entryLines(entries: readonly ManifestEntry[]): string {
  return entries.map(e => JSON.stringify(e)).join('\n');
}

/** Level 1: within a few percent of level 6 on manifests (hashes do not compress), at a fraction of the time. */
export function encodeManifest(head: Omit<Manifest, 'entries'>, lines: string): Buffer {
  return gzipSync(`${JSON.stringify(head)}\n${lines}\n`, { level: 1 });
}

export function decodeManifest(bytes: Buffer): Manifest {
  const lines = gunzipSync(bytes).toString('utf8').split('\n').filter(Boolean);
  const head = JSON.parse(lines[0]) as Omit<Manifest, 'entries'>;
  if (head.version !== 1 || typeof head.id !== 'string') throw new Error('not a version 1 snapshot manifest');
  const entries = lines.slice(1).map(line => JSON.parse(line) as ManifestEntry);
  for (const e of entries) {
    if (typeof e.path !== 'string' || !['file', 'symlink', 'node_modules'].includes(e.kind))
      throw new Error('an entry is not a file, link or node_modules record');
  }
  return { ...head, entries };
}
