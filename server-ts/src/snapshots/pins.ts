/** Pinned snapshots (`pins.json`, written atomically): kept by `gc` whatever references them. */
import { snapshotError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';
import { writeFileAtomicSync, type SnapshotFs } from './snapshot-fs.js';
import type { StoreLayout } from './store-layout.js';

export function readPins(fsys: SnapshotFs, layout: StoreLayout): string[] {
  if (!fsys.existsSync(layout.pins())) return [];
  let pins: unknown;
  try {
    pins = JSON.parse(fsys.readFileSync(layout.pins()).toString('utf8'));
  } catch (error) {
    throw new CellflowError(snapshotError.damagedPins(layout.pins(), (error as Error).message));
  }
  if (!Array.isArray(pins) || !pins.every(p => typeof p === 'string'))
    throw new CellflowError(snapshotError.damagedPins(layout.pins(), 'it is not a JSON list of ids'));
  return pins;
}

export function writePins(fsys: SnapshotFs, layout: StoreLayout, pins: readonly string[]): void {
  fsys.mkdirSync(layout.dir, { recursive: true });
  fsys.mkdirSync(layout.tmpDir(), { recursive: true });
  const bytes = Buffer.from(JSON.stringify([...new Set(pins)].sort(), null, 1) + '\n');
  writeFileAtomicSync(fsys, layout.pins(), bytes, layout.temp('pins'));
}
