/**
 * Names a cell may read without any step defining them: JavaScript and Node
 * globals (from the `globals` package, the list ESLint uses). They are never
 * step inputs.
 */
import globals from 'globals';
import { kernelRuntime } from '../notebook/language.js';

/**
 * What the notebook kernels put in scope that a step process does not have: a cell reading one is refused at
 * analysis, where it would otherwise fail inside the step with a ReferenceError. `Deno` is one only for Node
 * notebooks (Deno notebooks' steps run on Deno), `$$` and `display` only for non-ijavascript ones.
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

/** ijavascript's kernels (and its `nodejs` alias): steps get its `$$` (runtime/kernels/ijavascript.ts). */
export const IJAVASCRIPT_KERNELS: ReadonlySet<string> = new Set(['javascript', 'ijavascript', 'nodejs']);
const IJAVASCRIPT_PROVIDED = ['$$'];

/** Browser globals Node lacks (`window`, `document`): only code the page runs reads them. */
export const BROWSER_GLOBALS: ReadonlySet<string> = new Set(
  Object.keys(globals.browser).filter(name => !NODE_GLOBALS.has(name))
);

/** What a `kernel` notebook's steps have beyond Node's globals, and which kernel-only names they still lack. */
interface KernelGlobals {
  known: ReadonlySet<string>;
  kernelOnly: ReadonlyMap<string, string>;
}

const byKernel = new Map<string, KernelGlobals>();

function globalsFor(kernel: string): KernelGlobals {
  let found = byKernel.get(kernel);
  if (!found) {
    const provided = [
      ...(kernelRuntime(kernel) === 'deno' ? ['Deno'] : []),
      ...(IJAVASCRIPT_KERNELS.has(kernel) ? IJAVASCRIPT_PROVIDED : [])
    ];
    found = {
      known: new Set([...NODE_GLOBALS, ...provided]),
      kernelOnly: new Map([...KERNEL_ONLY_GLOBALS].filter(([name]) => !provided.includes(name)))
    };
    byKernel.set(kernel, found);
  }
  return found;
}

/** Kernel-only names, with what each is, for a notebook of `kernel`. */
export function kernelOnlyGlobals(kernel: string): ReadonlyMap<string, string> {
  return globalsFor(kernel).kernelOnly;
}

/** Names a step of a `kernel` notebook has without any step defining them. */
export function knownGlobals(kernel: string): ReadonlySet<string> {
  return globalsFor(kernel).known;
}
