/**
 * Globals the runtime itself makes, not the step's cells: loading a tfjs backend runs its dependencies, and
 * google-protobuf (under tfjs-node) defines `proto` on the global object. The notebook's kernel never loads that
 * backend for it, so the plan check must not count such a global as the step's change (state-watch.ts); one left
 * by a backend that then failed to load is removed, as if it had never been tried.
 */
export const runtimeGlobals = new Set<string>();

/** Runs `load`; globals it adds are the runtime's when it succeeds, and removed when it throws. */
export async function withOwnGlobals<T>(load: () => Promise<T>): Promise<T> {
  const before = new Set(Object.getOwnPropertyNames(globalThis));
  const added = () => Object.getOwnPropertyNames(globalThis).filter(name => !before.has(name));
  try {
    const value = await load();
    for (const name of added()) runtimeGlobals.add(name);
    return value;
  } catch (error) {
    for (const name of added()) Reflect.deleteProperty(globalThis, name);
    throw error;
  }
}
