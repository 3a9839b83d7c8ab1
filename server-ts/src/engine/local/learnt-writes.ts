/**
 * What runs teach the analysis: values a step changed although the static
 * analysis did not see it change them (a write through an alias made by a
 * call, a callback, a library). Kept beside the run records in
 * `.cellflow/learnt-writes.json`, per notebook and step, with a hash of the
 * step's cell sources: editing the step's cells forgets what was learnt
 * about it. The next analysis lists these names as the step's outputs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { UnplannedWrite } from '../../runtime/step-context.js';
import { STATE_DIR } from './run-store.js';

const FILE = 'learnt-writes.json';

interface LearntFile {
  version: 1;
  notebooks: Record<string, Record<string, LearntStep>>;
}

export interface LearntStep {
  /** sha256 of the step's cell sources when the write was seen. */
  sourceHash: string;
  names: Record<string, { runId: string; at: string }>;
}

export const LearntWrites = {
  /** Learnt writes of a notebook's steps, keeping only those whose step sources are unchanged. */
  read(notebookDir: string, notebookPath: string, sourceHashes: ReadonlyMap<string, string>): Map<string, string[]> {
    const steps = readFile(join(notebookDir, STATE_DIR, FILE)).notebooks[notebookPath] ?? {};
    const learnt = new Map<string, string[]>();
    for (const [step, entry] of Object.entries(steps)) {
      if (sourceHashes.get(step) === entry.sourceHash) learnt.set(step, Object.keys(entry.names).sort());
    }
    return learnt;
  },

  record(
    stateDir: string,
    notebookPath: string,
    step: { name: string; sourceHash: string },
    writes: readonly UnplannedWrite[],
    runId: string
  ): void {
    const file = join(stateDir, FILE);
    const data = readFile(file);
    const steps = (data.notebooks[notebookPath] ??= {});
    const sourceHash = step.sourceHash;
    const entry = steps[step.name]?.sourceHash === sourceHash ? steps[step.name]! : { sourceHash, names: {} };
    const at = new Date().toISOString();
    for (const write of writes) entry.names[write.name] = { runId, at };
    steps[step.name] = entry;
    writeFileAtomic.sync(file, JSON.stringify(data, null, 2) + '\n');
  }
};

function readFile(file: string): LearntFile {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as LearntFile;
    if (data.version === 1 && typeof data.notebooks === 'object' && data.notebooks !== null) return data;
  } catch {
    // missing or damaged: nothing learnt (it is advice for the analysis, never needed to run)
  }
  return { version: 1, notebooks: Object.create(null) as LearntFile['notebooks'] };
}
