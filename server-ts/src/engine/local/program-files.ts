/** A compiled pipeline on disk: `plan.json` and one ES module per step, each with its line map beside it. */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { CompiledLocal } from '../../compile/local/emit.js';

/** Writes plan.json and the step programs (with their line maps) into `dir`. */
export function writeProgram(dir: string, compiled: CompiledLocal): void {
  for (const [file, text] of compiled.programs) {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic.sync(path, text);
    const step = compiled.plan.steps.find(s => s.file === file);
    if (step) writeFileAtomic.sync(path.replace(/\.mjs$/, '.lines.json'), JSON.stringify(step.lineMap) + '\n');
  }
  writeFileAtomic.sync(join(dir, 'plan.json'), JSON.stringify(compiled.plan, null, 2) + '\n');
}
