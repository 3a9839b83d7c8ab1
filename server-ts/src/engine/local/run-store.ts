/**
 * Run records under `.cellflow/` beside the notebook. Every record is written
 * atomically (temp file + rename), so killing the engine at any moment leaves
 * the previous complete record, never a torn one.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { monotonicFactory } from 'ulid';
import writeFileAtomic from 'write-file-atomic';
import { commandError } from '../../diagnostics/codes.js';
import { CellflowError, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { RunRecord, RunView } from '../types.js';
import { runIsLocked } from './run-lock.js';

export const STATE_DIR = '.cellflow';

export class RunStore {
  readonly stateDir: string;

  constructor(readonly workspaceDir: string) {
    this.stateDir = join(workspaceDir, STATE_DIR);
  }

  runDir(runId: string): string {
    return join(this.stateDir, 'runs', runId);
  }

  stepDir(runId: string, step: string): string {
    return join(this.runDir(runId), 'steps', step);
  }

  cacheDir(): string {
    return join(this.stateDir, 'cache');
  }

  /**
   * A new run's folder under a fresh id: made with an exclusive `mkdir`, so two engines starting runs at the
   * same moment (two terminals, the API) never share one.
   */
  createRun(): string {
    mkdirSync(join(this.stateDir, 'runs'), { recursive: true });
    for (;;) {
      const id = newRunId();
      try {
        mkdirSync(this.runDir(id));
        return id;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  }

  writeRun(record: RunRecord): void {
    writeFileAtomic.sync(join(this.runDir(record.id), 'run.json'), JSON.stringify(record, null, 2) + '\n');
  }

  readRun(runId: string): RunView {
    const path = join(this.runDir(runId), 'run.json');
    // An id is a folder name: one with a path separator or `..` names no run (and never a file elsewhere).
    if (!isRunId(runId) || !existsSync(path)) throw new CellflowError(commandError.unknownRun(runId, this.stateDir));
    return withLiveness(parseRecord(runId, path), this.runDir(runId));
  }

  /** How long each step ran in the newest run of this notebook that ran it (cached steps say nothing). */
  lastStepSeconds(notebookPath: string, lookBack = 20): Record<string, number> {
    const runsDir = join(this.stateDir, 'runs');
    if (!existsSync(runsDir)) return {};
    const seconds: Record<string, number> = {};
    for (const id of readdirSync(runsDir).sort(byIdNewestFirst).slice(0, lookBack)) {
      let record: RunRecord;
      try {
        record = JSON.parse(readFileSync(join(runsDir, id, 'run.json'), 'utf8')) as RunRecord;
      } catch {
        continue; // a run still being created
      }
      if (record.notebookPath !== notebookPath) continue;
      for (const [step, state] of Object.entries(record.steps)) {
        if (seconds[step] === undefined && state.status === 'succeeded' && !state.cached && state.seconds !== undefined)
          seconds[step] = state.seconds;
      }
    }
    return seconds;
  }

  /** All runs, newest first. */
  listRuns(): RunView[] {
    return this.scanRuns().runs;
  }

  /** All runs, newest first, and the runs whose record cannot be read (each with why): one never hides the rest. */
  scanRuns(): { runs: RunView[]; damaged: { id: string; diagnostic: Diagnostic }[] } {
    const runsDir = join(this.stateDir, 'runs');
    const found = { runs: [] as RunView[], damaged: [] as { id: string; diagnostic: Diagnostic }[] };
    if (!existsSync(runsDir)) return found;
    const ids = readdirSync(runsDir).filter(id => existsSync(join(runsDir, id, 'run.json')));
    for (const id of ids.sort(byIdNewestFirst)) {
      try {
        found.runs.push(this.readRun(id));
      } catch (error) {
        if (!(error instanceof CellflowError)) throw error;
        found.damaged.push({ id, diagnostic: error.diagnostic });
      }
    }
    // Newest first by when they started; runs started in the same millisecond by their (monotonic) ids.
    found.runs.sort((a, b) =>
      a.startedAt === b.startedAt ? byIdNewestFirst(a.id, b.id) : a.startedAt < b.startedAt ? 1 : -1
    );
    return found;
  }
}

/** A run record as written, or a coded error saying why it is not one (torn by hand, emptied, not a record). */
function parseRecord(runId: string, path: string): RunRecord {
  let record: RunRecord;
  try {
    record = JSON.parse(readFileSync(path, 'utf8')) as RunRecord;
  } catch (error) {
    throw new CellflowError(commandError.damagedRun(runId, path, (error as Error).message));
  }
  const shaped =
    record !== null &&
    typeof record === 'object' &&
    typeof record.id === 'string' &&
    typeof record.status === 'string' &&
    Array.isArray(record.stepOrder) &&
    typeof record.steps === 'object' &&
    record.steps !== null &&
    record.stepOrder.every(step => typeof record.steps[step] === 'object' && record.steps[step] !== null);
  if (!shaped) throw new CellflowError(commandError.damagedRun(runId, path, 'it is not a run record'));
  return record;
}

/**
 * A record still `running` was interrupted (killed, crashed, machine restarted) when no engine holds its lock
 * or its engine process is gone: the process check sees a SIGKILL at once, the lock a reused pid.
 */
export function withLiveness(record: RunRecord, runDir: string): RunView {
  if (record.status !== 'running' || (isAlive(record.pid) && runIsLocked(runDir))) return record;
  return { ...record, interrupted: true };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const nextUlid = monotonicFactory();

/**
 * A ULID: 48 bits of milliseconds then 80 random bits (monotonic within a millisecond in one process), so ids
 * sort by time and never collide; the folder is made exclusively all the same (see `createRun`).
 */
export function newRunId(now = Date.now()): string {
  return nextUlid(now);
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** Ids made before ULIDs: 20261123-071502-3fa9. */
const STAMPED_ID = /^\d{8}-\d{6}-[0-9a-f]{4}$/;

export function isRunId(id: string): boolean {
  return ULID.test(id) || STAMPED_ID.test(id);
}

/** Newest first: ULIDs by their text (time first), each newer than any id of the older, stamped form. */
export function byIdNewestFirst(a: string, b: string): number {
  const [ka, kb] = [(ULID.test(a) ? '1' : '0') + a, (ULID.test(b) ? '1' : '0') + b];
  return ka === kb ? 0 : ka < kb ? 1 : -1;
}
