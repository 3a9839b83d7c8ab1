import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

/** server-ts/ — tests run from dist/test/**, so walk up from this file. */
export const serverRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const repoRoot = resolve(serverRoot, '..');
export const samplesRoot = resolve(serverRoot, 'test/samples');
/** Set CELLFLOW_UPDATE_SAMPLES=1 to rewrite expected outputs of golden samples. */
export const updateSamples = process.env.CELLFLOW_UPDATE_SAMPLES === '1';
