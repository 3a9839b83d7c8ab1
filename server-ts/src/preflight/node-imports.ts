/**
 * Resolves one module specifier the way a Node step will, from the notebook's
 * folder: Node's ESM resolver (import-meta-resolve, a faithful copy of Node's
 * own) for `import`, Node's CommonJS resolver for `require`. No file is read
 * besides what resolution reads; nothing is loaded.
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { join, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolve as resolveEsm } from 'import-meta-resolve';
import type { ImportSite } from '../analyze/cell-facts.js';
import type { Language } from '../ir.js';
import { packageNameOf } from '../runtime/package-name.js';

export type Unresolved =
  | { why: 'missing-package'; packageName: string }
  | { why: 'missing-file'; path: string }
  | { why: 'unresolvable'; detail: string }
  | { why: 'deno-specifier' };

/** Extensions TypeScript kernels (tslab, and tsx's loader) try for a relative specifier, in their order. */
const TYPESCRIPT_CANDIDATES = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'];

export function resolveForNode(site: ImportSite, notebookDir: string, language: Language): Unresolved | null {
  const { specifier } = site;
  if (isBuiltin(specifier)) return null;
  if (/^(npm|jsr|https?):/.test(specifier)) return { why: 'deno-specifier' };
  if (isPath(specifier)) return resolveFile(specifier, notebookDir, language);
  try {
    if (site.kind === 'require') createRequire(join(notebookDir, 'notebook.cjs')).resolve(specifier);
    else resolveEsm(specifier, pathToFileURL(join(notebookDir, 'notebook.mjs')).href);
    return null;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const packageName = packageNameOf(specifier);
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      if (!packageInstalled(packageName, notebookDir)) return { why: 'missing-package', packageName };
    }
    // Installed but not loadable as written: a subpath it does not export or lacks, a malformed package.json.
    return { why: 'unresolvable', detail: firstLine(error) };
  }
}

function isPath(specifier: string): boolean {
  return /^\.{1,2}(\/|$)/.test(specifier) || specifier.startsWith('/') || specifier.startsWith('file:');
}

function resolveFile(specifier: string, notebookDir: string, language: Language): Unresolved | null {
  const path = specifier.startsWith('file:')
    ? decodeURIComponent(new URL(specifier).pathname)
    : resolvePath(notebookDir, specifier);
  const candidates =
    language === 'typescript'
      ? [
          ...TYPESCRIPT_CANDIDATES.map(ext => path + ext),
          ...(path.endsWith('.js') ? [path.slice(0, -3) + '.ts', path.slice(0, -3) + '.tsx'] : []),
          ...TYPESCRIPT_CANDIDATES.slice(1).map(ext => join(path, 'index' + ext))
        ]
      : [path];
  return candidates.some(isFile) ? null : { why: 'missing-file', path };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Is `node_modules/<name>/package.json` there, from the folder up, as Node looks? */
function packageInstalled(packageName: string, fromDir: string): boolean {
  for (let dir = resolvePath(fromDir); ;) {
    if (existsSync(join(dir, 'node_modules', packageName, 'package.json'))) return true;
    const parent = resolvePath(dir, '..');
    if (parent === dir) return false;
    dir = parent;
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n', 1)[0] ?? text;
}
