/**
 * Names a cell may read without any step defining them: JavaScript and Node
 * globals (from the `globals` package, the list ESLint uses). They are never
 * step inputs.
 */
import globals from 'globals';

/**
 * What the notebook kernels put in scope that a step process does not have (steps run on plain Node): a cell
 * reading one is refused at analysis, where it would otherwise fail inside the step with a ReferenceError.
 */
export const KERNEL_ONLY_GLOBALS: ReadonlyMap<string, string> = new Map([
  ['$$', "ijavascript's output object"],
  ['$$mimer$$', "ijavascript's MIME helper"],
  ['$$done$$', "ijavascript's async completion callback"],
  ['display', "the kernel's display helper"],
  ['sendResult', "ijavascript's result callback"],
  ['sendError', "ijavascript's error callback"],
  ['Deno', "the Deno runtime's namespace"]
]);

export const KNOWN_GLOBALS: ReadonlySet<string> = new Set([
  ...Object.keys(globals.builtin),
  ...Object.keys(globals.node)
]);
