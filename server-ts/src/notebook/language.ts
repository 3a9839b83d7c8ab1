import { notebookError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';
import type { Language } from '../ir.js';
import type { NotebookJson } from './nbformat.js';

export interface NotebookLanguage {
  language: Language;
  /** The kernel name as the notebook records it (tslab, jslab, javascript, deno, ...). */
  kernel: string;
}

/**
 * Kernel names, lower-case, and the language their cells are written in. Maps, not object
 * literals: a kernel named `constructor` or `__proto__` must not find `Object.prototype`'s.
 */
const KERNEL_LANGUAGES = new Map<string, Language>([
  ['tslab', 'typescript'],
  ['deno', 'typescript'],
  ['jslab', 'javascript'],
  ['javascript', 'javascript'],
  ['ijavascript', 'javascript'],
  ['nodejs', 'javascript']
]);

const LANGUAGE_NAMES = new Map<string, Language>([
  ['typescript', 'typescript'],
  ['ts', 'typescript'],
  ['javascript', 'javascript'],
  ['js', 'javascript']
]);

/** tslab's kernels (TypeScript and JavaScript): their cells can import the `tslab` module without installing it. */
export const TSLAB_KERNELS: ReadonlySet<string> = new Set(['tslab', 'jslab']);

/** What a notebook's steps run on: the runtime its kernel runs cells on. */
export type KernelRuntime = 'node' | 'deno';

/** Deno's kernel runs cells on Deno; tslab, jslab, ijavascript and the others run them on Node. */
export function kernelRuntime(kernel: string): KernelRuntime {
  return kernel === 'deno' ? 'deno' : 'node';
}

/** The language comes from the kernelspec first, then language_info. */
export function detectLanguage(notebook: NotebookJson): NotebookLanguage {
  const spec = notebook.metadata.kernelspec ?? {};
  const kernel = String(spec.name ?? '').toLowerCase();
  const specLanguage = String(spec.language ?? '').toLowerCase();
  const infoLanguage = String(notebook.metadata.language_info?.name ?? '').toLowerCase();
  const language = KERNEL_LANGUAGES.get(kernel) ?? LANGUAGE_NAMES.get(specLanguage) ?? LANGUAGE_NAMES.get(infoLanguage);
  if (language) return { language, kernel: kernel || infoLanguage || specLanguage };
  const named = kernel || specLanguage || infoLanguage;
  if (named.startsWith('python') || specLanguage === 'python' || infoLanguage === 'python') {
    throw new CellflowError(notebookError.pythonNotSupported(named));
  }
  throw new CellflowError(notebookError.unknownLanguage(named));
}
