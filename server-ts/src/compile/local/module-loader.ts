/**
 * Whether a notebook's steps need a TypeScript module loader. tslab runs cells that import local `.ts`
 * files and extensionless relative paths (`./model`); Node 20 loads neither. Such notebooks' steps run
 * with tsx's loader (esbuild-based, maintained, and what tslab users reach for), which resolves and compiles
 * them as tslab does; notebooks that do not need it do not pay its start-up time.
 */
import type { Analysis } from '../../analyze/index.js';

export type ModuleLoader = 'tsx';

const PLAIN_NODE_EXTENSIONS = /\.(?:m?js|cjs|json|node|wasm)$/;

export function moduleLoaderFor(analysis: Analysis): ModuleLoader | undefined {
  for (const facts of analysis.facts.values()) {
    for (const site of facts.imports) {
      const local = /^\.{1,2}\//.test(site.specifier) || site.specifier.startsWith('/');
      if (local && !PLAIN_NODE_EXTENSIONS.test(site.specifier)) return 'tsx';
    }
  }
  return undefined;
}

/** The `node` arguments that install the loader. */
export function loaderArguments(loader: ModuleLoader | undefined): string[] {
  if (loader === undefined) return [];
  return ['--import', import.meta.resolve('tsx')];
}
