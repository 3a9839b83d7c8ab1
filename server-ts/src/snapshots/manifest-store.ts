/** Manifests on disk: written atomically after every object they name; read, listed and found by id prefix. */
import { CellflowError } from '../diagnostics/diagnostic.js';
import { snapshotError } from '../diagnostics/codes.js';
import { decodeManifest, encodeManifest, type Manifest } from './manifest.js';
import { writeFileAtomicSync, type SnapshotFs } from './snapshot-fs.js';
import { MANIFEST_SUFFIX, type StoreLayout } from './store-layout.js';

/** `lines`: the entries as `entryLines` made them (the id is their hash). */
export function writeManifest(
  fsys: SnapshotFs,
  layout: StoreLayout,
  head: Omit<Manifest, 'entries'>,
  lines: string
): number {
  const bytes = encodeManifest(head, lines);
  fsys.mkdirSync(layout.manifestsDir(), { recursive: true });
  writeFileAtomicSync(fsys, layout.manifest(head.id), bytes, layout.temp('manifest'));
  return bytes.length;
}

export function manifestIds(fsys: SnapshotFs, layout: StoreLayout): string[] {
  if (!fsys.existsSync(layout.manifestsDir())) return [];
  return fsys
    .readdirSync(layout.manifestsDir(), { withFileTypes: true })
    .filter(d => d.isFile() && d.name.endsWith(MANIFEST_SUFFIX))
    .map(d => d.name.slice(0, -MANIFEST_SUFFIX.length));
}

/** A full id, or a unique prefix of one (as git takes short hashes). */
export function resolveSnapshotId(fsys: SnapshotFs, layout: StoreLayout, idOrPrefix: string): string {
  const ids = manifestIds(fsys, layout);
  if (ids.includes(idOrPrefix)) return idOrPrefix;
  const matches = idOrPrefix.length >= 4 ? ids.filter(id => id.startsWith(idOrPrefix)) : [];
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) throw new CellflowError(snapshotError.ambiguousSnapshot(idOrPrefix, matches));
  throw new CellflowError(snapshotError.unknownSnapshot(idOrPrefix, layout.dir));
}

export function readManifest(fsys: SnapshotFs, layout: StoreLayout, id: string): Manifest {
  const path = layout.manifest(id);
  try {
    const manifest = decodeManifest(fsys.readFileSync(path));
    if (manifest.id !== id) throw new Error(`it names itself ${manifest.id}`);
    return manifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CellflowError(snapshotError.unknownSnapshot(id, layout.dir));
    throw new CellflowError(snapshotError.damagedManifest(id, path, (error as Error).message));
  }
}
