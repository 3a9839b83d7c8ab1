/**
 * Loads TensorFlow.js on first use: tfjs-node-gpu, else tfjs-node, else the
 * pure-JS @tensorflow/tfjs. Nothing here imports tfjs at module load, so a
 * step that never touches a tensor does not pay the ~0.3 s import.
 */
import type * as TfNamespace from '@tensorflow/tfjs';
import { withOwnGlobals } from './own-globals.js';
import { requirePackage } from './packages.js';

export type TfModule = typeof TfNamespace;
export type TfFlavour = 'tfjs-node-gpu' | 'tfjs-node' | 'tfjs';

export interface TfCandidate {
  flavour: TfFlavour;
  specifier: string;
}

/** The order of preference: fastest backend first. */
export const tfCandidates: readonly TfCandidate[] = [
  { flavour: 'tfjs-node-gpu', specifier: '@tensorflow/tfjs-node-gpu' },
  { flavour: 'tfjs-node', specifier: '@tensorflow/tfjs-node' },
  { flavour: 'tfjs', specifier: '@tensorflow/tfjs' }
];

export type ModuleImporter = (specifier: string) => Promise<unknown>;

let loading: Promise<TfModule> | undefined;
let loadedFlavour: TfFlavour | undefined;

/**
 * How the runtime imports tfjs: `import()` on Node; `require` under Deno, where a bare `import()` from the
 * runtime's folder resolves only when the notebook's folder has a package.json (see `packages.ts`).
 */
const importTfPackage: ModuleImporter =
  'Deno' in globalThis ? async specifier => requirePackage(specifier) : specifier => import(specifier);

/** tfjs, loaded once per process (concurrent callers share one import). */
export function loadTf(): Promise<TfModule> {
  loading ??= loadFirstTf(tfCandidates, importTfPackage).then(
    found => {
      loadedFlavour = found.flavour;
      return found.tf;
    },
    error => {
      loading = undefined; // let a later call try again
      throw error;
    }
  );
  return loading;
}

/** Which tfjs `loadTf` loaded; undefined until it has finished. */
export function tfFlavour(): TfFlavour | undefined {
  return loadedFlavour;
}

/**
 * Imports the first candidate that loads and looks like tfjs. A package that
 * is installed but whose native binding fails to load throws on import; that
 * counts as absent. Exported so tests can drive it with a fake importer.
 */
export async function loadFirstTf(
  candidates: readonly TfCandidate[],
  importModule: ModuleImporter
): Promise<{ tf: TfModule; flavour: TfFlavour }> {
  const failures: string[] = [];
  for (const { flavour, specifier } of candidates) {
    try {
      const tf = await withOwnGlobals(async () => {
        const api = asTfModule(await importModule(specifier));
        if (!api) throw new Error('does not export the tfjs API');
        await api.ready();
        return api;
      });
      return { tf, flavour };
    } catch (error) {
      failures.push(`${specifier}: ${firstLine(error)}`);
    }
  }
  throw new Error(`Cannot load TensorFlow.js:\n  ${failures.join('\n  ')}`);
}

/** A CommonJS package imported from ESM may expose its API under `default`. */
function asTfModule(imported: unknown): TfModule | undefined {
  for (const candidate of [imported, (imported as { default?: unknown })?.default]) {
    const api = candidate as Partial<TfModule> | undefined;
    if (typeof api?.tensor === 'function' && typeof api.loadLayersModel === 'function') {
      return api as TfModule;
    }
  }
  return undefined;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n', 1)[0] ?? text;
}
