/**
 * Names a cell may read without any step defining them: JavaScript and Node
 * globals (from the `globals` package, the list ESLint uses). They are never
 * step inputs.
 */
import globals from 'globals';
import type { KernelRuntime } from '../notebook/language.js';

/**
 * What the notebook kernels put in scope that a step process does not have: a cell reading one is refused at
 * analysis, where it would otherwise fail inside the step with a ReferenceError. `Deno` is one only for Node
 * notebooks: Deno notebooks' steps run on Deno (see `kernelOnlyGlobals`).
 */
const KERNEL_ONLY_GLOBALS: ReadonlyMap<string, string> = new Map([
  ['$$', "ijavascript's output object"],
  ['$$mimer$$', "ijavascript's MIME helper"],
  ['$$done$$', "ijavascript's async completion callback"],
  ['display', "the kernel's display helper"],
  ['sendResult', "ijavascript's result callback"],
  ['sendError', "ijavascript's error callback"],
  ['Deno', "the Deno runtime's namespace"]
]);

const NODE_GLOBALS: ReadonlySet<string> = new Set([...Object.keys(globals.builtin), ...Object.keys(globals.node)]);
/** Deno has Node's globals (its Node compatibility) and its own namespace. */
const DENO_GLOBALS: ReadonlySet<string> = new Set([...NODE_GLOBALS, 'Deno']);
const DENO_KERNEL_ONLY = new Map([...KERNEL_ONLY_GLOBALS].filter(([name]) => name !== 'Deno'));

/** Kernel-only names, with what each is, for a notebook whose steps run on `runtime`. */
export function kernelOnlyGlobals(runtime: KernelRuntime): ReadonlyMap<string, string> {
  return runtime === 'deno' ? DENO_KERNEL_ONLY : KERNEL_ONLY_GLOBALS;
}

/** Names a step on `runtime` has without any step defining them. */
export function knownGlobals(runtime: KernelRuntime): ReadonlySet<string> {
  return runtime === 'deno' ? DENO_GLOBALS : NODE_GLOBALS;
}
