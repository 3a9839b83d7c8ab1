/**
 * What `deno info` said about a notebook's imports, kept for a while in the process that asked: the live
 * analysis (JupyterLab's sidebar, every few hundred milliseconds while the user types) would otherwise start
 * Deno each time. Only an answer that every import resolved is kept, and only for imports whose target
 * cannot change under the same name without the notebook's folder changing: `npm:`, `jsr:`, `node:` and URL
 * imports, which Deno resolves from its cache or the registry. A local file or a bare name resolved through
 * node_modules is asked again every time. The key holds the modification times of the files that steer
 * Deno's resolution (deno.json, deno.jsonc, deno.lock, package.json, node_modules), so editing them or
 * installing a package asks again.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';

const REMOTE = /^(npm|jsr|node|https?):/;
const STEERING_FILES = ['deno.json', 'deno.jsonc', 'deno.lock', 'package.json', 'node_modules'];
const TTL_MS = 10 * 60 * 1000;
const MAX_ENTRIES = 64;

const resolved = new Map<string, number>();

/** The memo key of these specifiers (as the probe writes them) from this folder, or undefined: not kept. */
export function denoMemoKey(specifiers: readonly string[], notebookDir: string): string | undefined {
  if (specifiers.length === 0 || !specifiers.every(s => REMOTE.test(s))) return undefined;
  const stamps = STEERING_FILES.map(file => {
    try {
      return statSync(join(notebookDir, file)).mtimeMs;
    } catch {
      return -1;
    }
  });
  return JSON.stringify([notebookDir, stamps, [...specifiers].sort()]);
}

/** Whether Deno resolved every import of this key lately. */
export function resolvedLately(key: string | undefined, now = Date.now()): boolean {
  if (key === undefined) return false;
  const at = resolved.get(key);
  if (at === undefined) return false;
  if (now - at <= TTL_MS) return true;
  resolved.delete(key);
  return false;
}

/** Remembers that Deno resolved every import of this key. */
export function rememberResolved(key: string | undefined, now = Date.now()): void {
  if (key === undefined) return;
  resolved.delete(key);
  resolved.set(key, now);
  if (resolved.size > MAX_ENTRIES) resolved.delete(resolved.keys().next().value!);
}
