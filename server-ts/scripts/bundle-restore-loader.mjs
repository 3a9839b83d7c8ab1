#!/usr/bin/env node
/**
 * Bundles the kernel-side loader of "Restore state" (dist/src/restore-kernel/loader-entry.js, the runtime's
 * decoder) into one self-contained CommonJS file, dist/src/restore-kernel/loader.cjs, which restore copies into
 * a restored folder's `.cellflow-restore/`. Run after tsc (part of `npm run build`), so the wheel carries it.
 */
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const server = dirname(dirname(fileURLToPath(import.meta.url)));
const dir = join(server, 'dist', 'src', 'restore-kernel');

/**
 * The plan check's fingerprints (runtime/fingerprint.js) are for saving only and start xxhash with a top-level
 * await, which CommonJS cannot hold: the loader gets a stand-in that says so if ever called.
 */
const withoutFingerprints = {
  name: 'without-fingerprints',
  setup(build) {
    build.onLoad({ filter: /[\\/]runtime[\\/]fingerprint\.js$/ }, () => ({
      contents:
        "export function portableFingerprint() { throw new Error('cellflow: the restore loader does not fingerprint values'); }",
      loader: 'js'
    }));
  }
};

/**
 * The runtime loads its own packages with `createRequire(import.meta.url)` (runtime/packages.js, for Deno's sake),
 * which esbuild cannot follow: the loader would then look for them from the restored folder up, where a user's
 * project has none. Here they are static imports, so they are bundled; `requirePackage` (tfjs, under Deno) stays
 * the loader's own `require`, which looks from the restored folder up, as tfjs must.
 */
const bundledPackages = {
  name: 'bundled-packages',
  setup(build) {
    build.onLoad({ filter: /[\\/]runtime[\\/]packages\.js$/ }, () => ({
      contents: [
        "import writeFileAtomic from 'write-file-atomic';",
        "import xxhash from 'xxhash-wasm';",
        "import * as acorn from 'acorn';",
        'export { writeFileAtomic, xxhash, acorn };',
        'export function requirePackage(specifier) { return require(specifier); }'
      ].join('\n'),
      loader: 'js',
      resolveDir: dirname(fileURLToPath(import.meta.url))
    }));
  }
};

await build({
  entryPoints: [join(dir, 'loader-entry.js')],
  outfile: join(dir, 'loader.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // tfjs is the kernel's: resolved at run time from the restored folder up, never bundled.
  external: ['@tensorflow/*'],
  // `import(tfjs)` becomes `require`, so the loader gets the very tfjs module the kernel's imports (tslab
  // compiles them to require) already loaded.
  supported: { 'dynamic-import': false },
  // The runtime's `createRequire(import.meta.url)`: in CommonJS, this file's own URL.
  define: { 'import.meta.url': '__cellflowLoaderUrl' },
  banner: { js: "const __cellflowLoaderUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [withoutFingerprints, bundledPackages],
  legalComments: 'none',
  logLevel: 'error'
});
