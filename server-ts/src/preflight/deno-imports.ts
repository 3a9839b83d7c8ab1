/**
 * Resolves a Deno notebook's imports the way its steps will: by Deno itself. One probe module holds one
 * `import` per site, specifiers as the step programs write them, and `deno info --json` resolves its graph
 * from the notebook's folder (the working directory decides, as for the kernel and the steps, whether a
 * package.json puts Deno in node_modules mode). On the way Deno fetches what `npm:`, `jsr:` and `https:`
 * imports name into its cache, so the steps find them there; what it cannot fetch or resolve comes back
 * per import, with Deno's words. Nothing is run.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ImportSite } from '../analyze/cell-facts.js';
import { resolveSpecifier } from '../compile/local/transform-cell.js';
import { STATE_DIR } from '../engine/local/run-store.js';
import { stepCommand } from '../engine/local/step-command.js';
import { denoMemoKey, rememberResolved, resolvedLately } from './deno-memo.js';

/** What `deno info --json` says about a module (the fields used here). */
interface InfoModule {
  specifier: string;
  error?: string;
  dependencies?: {
    specifier: string;
    code?: { specifier?: string; error?: string; span: { start: { line: number } } };
  }[];
}

/** Fetching packages for the first time can take a while; a host that cannot be reached fails at once here. */
const TIMEOUT_MS = 300_000;

/** Each site Deno cannot load, with why. */
export function resolveForDeno(sites: readonly ImportSite[], notebookDir: string): Map<ImportSite, string> {
  const failures = new Map<ImportSite, string>();
  if (sites.length === 0) return failures;
  const specifiers = sites.map(s => resolveSpecifier(s.specifier, notebookDir));
  const memoKey = denoMemoKey(specifiers, notebookDir);
  if (resolvedLately(memoKey)) return failures;
  const dir = join(notebookDir, STATE_DIR, 'preflight');
  mkdirSync(dir, { recursive: true });
  // Inside the notebook's folder, as the step programs are: bare specifiers look for node_modules from there.
  const probe = join(dir, `imports-${process.pid}-${Date.now()}.mjs`);
  writeFileSync(probe, specifiers.map(specifier => `import ${JSON.stringify(specifier)};`).join('\n'));
  try {
    const deno = stepCommand('deno', probe);
    const info = spawnSync(deno.command, ['info', '--json', '--allow-import', probe], {
      cwd: notebookDir,
      env: { ...process.env, ...deno.env },
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      timeout: TIMEOUT_MS
    });
    let modules: InfoModule[];
    try {
      modules = (JSON.parse(info.stdout) as { modules: InfoModule[] }).modules;
    } catch {
      // No graph at all (an unreadable deno.json, a timeout): every import fails with Deno's own message.
      const detail = firstLine(info.stderr) || info.error?.message || `deno info exited with code ${info.status}`;
      for (const site of sites) failures.set(site, detail);
      return failures;
    }
    const bySpecifier = new Map(modules.map(m => [m.specifier, m]));
    const root = bySpecifier.get(pathToFileURL(probe).href);
    for (const dependency of root?.dependencies ?? []) {
      const site = sites[dependency.code?.span.start.line ?? -1];
      if (!site) continue;
      const detail = dependency.code?.error ?? firstError(dependency.code?.specifier, bySpecifier);
      if (detail) failures.set(site, detail);
    }
    if (root && failures.size === 0) rememberResolved(memoKey);
  } finally {
    rmSync(probe, { force: true });
  }
  return failures;
}

/** The first error in the graph below a module (a module it imports may be what cannot be fetched). */
function firstError(specifier: string | undefined, modules: ReadonlyMap<string, InfoModule>): string | undefined {
  const seen = new Set<string>();
  const queue = specifier ? [specifier] : [];
  while (queue.length > 0) {
    const module = modules.get(queue.shift()!);
    if (!module || seen.has(module.specifier)) continue;
    seen.add(module.specifier);
    if (module.error) return module.error;
    for (const dependency of module.dependencies ?? []) {
      if (dependency.code?.error) return dependency.code.error;
      if (dependency.code?.specifier) queue.push(dependency.code.specifier);
    }
  }
  return undefined;
}

function firstLine(text: string | null | undefined): string {
  return (text ?? '').trim().split('\n', 1)[0] ?? '';
}
