/** A compiled pipeline on disk: `plan.json` and one ES module per step, each with its line map beside it. */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import writeFileAtomic from 'write-file-atomic';
import type { CompiledLocal } from '../../compile/local/emit.js';

/**
 * Writes plan.json and the step programs (with their line maps) into `dir`. `frozen`: the run's frozen copy of the
 * workspace, so relative imports of workspace files (compiled to the live folder's file URLs) load the copy's.
 */
export function writeProgram(dir: string, compiled: CompiledLocal, frozen?: { live: string; root: string }): void {
  const inCopy = frozen ? workspaceUrls(frozen.live, frozen.root) : (text: string) => text;
  for (const [file, text] of compiled.programs) {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic.sync(path, inCopy(text));
    const step = compiled.plan.steps.find(s => s.file === file);
    if (step) writeFileAtomic.sync(path.replace(/\.mjs$/, '.lines.json'), JSON.stringify(step.lineMap) + '\n');
  }
  writeFileAtomic.sync(join(dir, 'plan.json'), JSON.stringify(compiled.plan, null, 2) + '\n');
}

/**
 * File URLs inside the live workspace, pointed at the same files in the copy (one line each: line maps hold). Only
 * URLs with the workspace's own prefix change, so `../x` above it stays live, as paths above it do.
 */
function workspaceUrls(live: string, root: string): (text: string) => string {
  const from = pathToFileURL(live).href + '/';
  const to = pathToFileURL(root).href + '/';
  return text => text.split(from).join(to);
}
