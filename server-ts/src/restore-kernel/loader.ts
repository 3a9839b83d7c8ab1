/** Puts the bundled kernel-side loader (`loader.cjs`, made at build time) into a restored folder. */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESTORE_DIR } from './restore-file.js';

export const LOADER_FILE = 'loader.cjs';

/** The bundle beside this module in dist (scripts/bundle-restore-loader.mjs writes it after tsc). */
export const bundledLoader = fileURLToPath(new URL(`./${LOADER_FILE}`, import.meta.url));

/** Writes `<folder>/.cellflow-restore/loader.cjs` (unless it is already this build's) and returns its path. */
export function writeRestoreLoader(folder: string): string {
  if (!existsSync(bundledLoader)) {
    throw new Error(`cellflow: ${bundledLoader} is missing; build server-ts (npm run build -w server-ts)`);
  }
  const target = join(folder, RESTORE_DIR, LOADER_FILE);
  mkdirSync(join(folder, RESTORE_DIR), { recursive: true });
  if (!existsSync(target) || !readFileSync(target).equals(readFileSync(bundledLoader))) {
    copyFileSync(bundledLoader, target);
  }
  return target;
}
