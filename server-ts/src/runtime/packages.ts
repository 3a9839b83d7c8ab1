/**
 * The packages the step runtime itself uses, loaded with `require` from the runtime's own folder. Not `import`:
 * a Deno step runs in whatever mode the notebook's folder puts Deno in, and without a package.json there (Deno's
 * global-cache mode) a bare `import` does not look in node_modules at all, while `require` resolves by Node's
 * algorithm from this file in every mode. On Node their CommonJS builds do what their ESM builds do.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const writeFileAtomic = require('write-file-atomic') as typeof import('write-file-atomic');
export const xxhash = require('xxhash-wasm') as typeof import('xxhash-wasm').default;
export const acorn = require('acorn') as typeof import('acorn');

/** Loads a package by name from the runtime's folder, as `require` does: what `loadTf` uses under Deno. */
export function requirePackage(specifier: string): unknown {
  return require(specifier);
}
