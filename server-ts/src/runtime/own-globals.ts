/**
 * Globals the runtime itself makes, not the step's cells: loading a tfjs backend runs its dependencies, and
 * google-protobuf (under tfjs-node) defines `proto` on the global object. The notebook's kernel never loads that
 * backend for it, so the plan check must not count such a global as the step's change (state-watch.ts). Kept even
 * when the backend then fails to load: tfjs-core, shared with the backend loaded next, holds its engine in globals
 * made by the first attempt (`_tfengine`), so removing what an attempt left would break the next.
 */
export const runtimeGlobals = new Set<string>();

/** Runs `load`; the globals it adds, whether it succeeds or throws, are the runtime's. */
export async function withOwnGlobals<T>(load: () => Promise<T>): Promise<T> {
  const before = new Set(Object.getOwnPropertyNames(globalThis));
  try {
    return await load();
  } finally {
    for (const name of Object.getOwnPropertyNames(globalThis)) if (!before.has(name)) runtimeGlobals.add(name);
  }
}
