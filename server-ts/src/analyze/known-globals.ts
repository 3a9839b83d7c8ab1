/**
 * Names a cell may read without any step defining them: JavaScript and Node
 * globals (from the `globals` package, the list ESLint uses) and what the
 * notebook kernels put in scope. They are never step inputs.
 */
import globals from 'globals';

const KERNEL_GLOBALS = [
  'tslab', // tslab's display helpers
  'Deno', // the Deno kernel's runtime namespace
  '$$', // ijavascript's output object
  '$$mimer$$',
  '$$done$$',
  'display', // ijavascript / Deno display helper
  'sendResult',
  'sendError'
];

export const KNOWN_GLOBALS: ReadonlySet<string> = new Set([
  ...Object.keys(globals.builtin),
  ...Object.keys(globals.node),
  ...KERNEL_GLOBALS
]);
