/**
 * TypeScript as JavaScript for the compiler: sucrase removes types and keeps
 * every line where it was, so step programs map back to notebook lines.
 * Analysis never needs it (it reads oxc's typed AST), so sucrase is loaded
 * on the first call only: an analysis-only process never pays its import.
 */
import { createRequire } from 'node:module';

type Transform = typeof import('sucrase').transform;

const require = createRequire(import.meta.url);
let transform: Transform | undefined;

const STRIP_TYPES = {
  transforms: ['typescript' as const],
  keepUnusedImports: true, // a later cell may use an import this cell does not
  disableESTransforms: true
};

/** JSX as the classic runtime has it (`React.createElement`), as Deno's kernel and tslab compile it. */
const STRIP_TYPES_AND_JSX = {
  ...STRIP_TYPES,
  transforms: ['typescript' as const, 'jsx' as const],
  production: true // no `__self`/`__source` props: the kernels do not add them
};

export function stripTypes(source: string, options: { jsx?: boolean } = {}): string {
  transform ??= (require('sucrase') as { transform: Transform }).transform;
  return transform(source, options.jsx ? STRIP_TYPES_AND_JSX : STRIP_TYPES).code;
}
