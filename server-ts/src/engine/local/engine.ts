/**
 * The embedded engine, the first implementation of `Engine`: each step is its own process; independent steps
 * run in parallel up to a limit; a failed step skips its dependents while other branches finish; unchanged steps
 * come from the cache. This module composes the parts: the run store (records), the run's lock (ownership,
 * cancel requests), the event log, and `LocalRun` (the scheduler's decisions applied to step processes).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { CompiledNotebook } from '../../compile/index.js';
import { commandError } from '../../diagnostics/codes.js';
import { CellflowError } from '../../diagnostics/diagnostic.js';
import type {
  Engine,
  RunFile,
  RunHandle,
  RunRecord,
  RunView,
  SequencedRunEvent,
  StepLogs,
  SubmitOptions
} from '../types.js';
import { recordOf } from '../run-view.js';
import { checkParameterValues } from '../parameter-values.js';
import { selectSteps } from '../step-selection.js';
import { EVENTS_FILE, EventLogWriter, followEventLog } from './event-log.js';
import { GpuPool } from './gpu-pool.js';
import { LocalRun } from './local-run.js';
import { planPartialRun, type PartialRun } from './partial-run.js';
import { PastResults } from './past-results.js';
import { writeProgram } from './program-files.js';
import { cancelRequested, clearCancelRequest, lockRun, requestCancel } from './run-lock.js';
import { RunStore } from './run-store.js';
import { StepCache } from './step-cache.js';
import { storageFailure } from './storage-failure.js';
import { snapshotWorkspace } from '../../snapshots/index.js';
import { prepareRunWorkspace, type RunWorkspace } from './run-workspace.js';
import { workspaceKey } from './workspace-key.js';

export { launchOrder } from './launch-order.js';
export { writeProgram } from './program-files.js';
export { LocalRun } from './local-run.js';

/**
 * The workspace as the run starts, in the snapshot store (a coded `snapshot-…` error when it cannot be stored).
 * `CELLFLOW_SNAPSHOT=off` skips it, for a workspace too large to copy (better: exclude its bulk in `.cellflowignore`).
 */
async function workspaceSnapshot(workspaceDir: string): Promise<string | undefined> {
  if (process.env.CELLFLOW_SNAPSHOT === 'off') return undefined;
  return (await snapshotWorkspace(workspaceDir)).id;
}

export interface LocalEngineOptions {
  /** Grace period between SIGTERM and SIGKILL when cancelling (default 3 s). */
  killGraceMs?: number;
  /** The GPUs steps may use (default: detected). */
  gpus?: GpuPool;
}

/** How often an owner looks for a cancel request from another process. */
const CANCEL_POLL_MS = 100;

export class LocalEngine implements Engine {
  readonly kind = 'local' as const;
  private readonly store: RunStore;
  /** Runs this engine owns, by id: cancelled directly, without a request file. */
  private readonly owned = new Map<string, LocalRun>();

  constructor(
    workspaceDir: string,
    private readonly options: LocalEngineOptions = {}
  ) {
    this.store = new RunStore(workspaceDir);
  }

  async submit(compiled: CompiledNotebook, options: SubmitOptions): Promise<RunHandle> {
    let runId: string;
    let unlock: () => Promise<void>;
    let events: EventLogWriter;
    let run: LocalRun | undefined;
    checkParameterValues(compiled.local.plan.parameters, options.parameters);
    // Before the run's folder exists, so a snapshot that fails (a full disk) leaves no run behind: it is its error.
    const snapshot = await workspaceSnapshot(this.store.workspaceDir);
    const filesKey = snapshot && workspaceKey(this.store.workspaceDir, snapshot, compiled.local.plan.notebookPath);
    const partial = this.partialRun(compiled, options, filesKey ?? null); // refused before the run has a folder
    try {
      runId = this.store.createRun();
      const runDir = this.store.runDir(runId);
      // Another process found our lock stale (this one stalled past it): it may record the run as ended, so stop.
      unlock = await lockRun(runDir, () => run?.cancel());
      const workspace = snapshot ? await this.frozenCopy(runDir, snapshot, unlock) : undefined;
      const programDir = join(runDir, 'program');
      writeProgram(programDir, compiled.local, workspace);
      events = new EventLogWriter(join(runDir, EVENTS_FILE), runId);
      run = new LocalRun(
        this.store,
        compiled.local.plan,
        programDir,
        {
          parameters: options.parameters,
          useCache: options.useCache ?? true,
          concurrency: Math.max(1, options.concurrency ?? availableParallelism()),
          killGraceMs: this.options.killGraceMs ?? 3000,
          gpus: this.options.gpus ?? GpuPool.detect(),
          partial,
          selection: partial && (options.only !== undefined ? { only: options.only } : { from: options.from! }),
          snapshot,
          workspace,
          workspaceKey: filesKey
        },
        runId,
        events
      );
    } catch (error) {
      if (error instanceof CellflowError) throw error;
      throw new CellflowError(storageFailure(null, error));
    }
    const owned = run;
    this.owned.set(runId, owned);
    const watcher = setInterval(() => {
      if (cancelRequested(this.store.runDir(runId))) owned.cancel();
    }, CANCEL_POLL_MS);
    watcher.unref(); // the running steps keep the process alive, not this
    const done = owned.start().done.finally(async () => {
      clearInterval(watcher);
      this.owned.delete(runId);
      clearCancelRequest(this.store.runDir(runId));
      events.close();
      await unlock().catch(() => undefined); // a lock already lost or removed has nothing to release
    });
    return { id: runId, done };
  }

  /** The run's frozen workspace; one that cannot be made (a full disk) is the submit's error and leaves no run. */
  private async frozenCopy(runDir: string, snapshot: string, unlock: () => Promise<void>): Promise<RunWorkspace> {
    try {
      return await prepareRunWorkspace(runDir, this.store.workspaceDir, snapshot);
    } catch (error) {
      await unlock().catch(() => undefined);
      rmSync(runDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** What a partial run reuses (undefined for a whole run); a coded refusal when it cannot be exact. */
  private partialRun(
    compiled: CompiledNotebook,
    options: SubmitOptions,
    filesKey: string | null
  ): PartialRun | undefined {
    const { plan } = compiled.local;
    const selection = selectSteps(plan.steps, { only: options.only, from: options.from });
    if (!selection) return undefined;
    const useCache = options.useCache ?? true;
    const past = new PastResults(this.store, new StepCache(this.store.cacheDir()), plan.notebookPath, useCache);
    return planPartialRun(plan, selection, options.parameters, past, filesKey);
  }

  async get(runId: string): Promise<RunView> {
    return { ...this.store.readRun(runId), dir: this.store.runDir(runId) };
  }

  async list(filter: { notebookPath?: string } = {}): Promise<RunView[]> {
    return this.store
      .listRuns()
      .filter(run => filter.notebookPath === undefined || run.notebookPath === filter.notebookPath)
      .map(run => ({ ...run, dir: this.store.runDir(run.id) }));
  }

  /** Runs nobody can read are left out of `list`; this says which and why (`cellflow runs` names them). */
  damagedRuns() {
    return this.store.scanRuns().damaged;
  }

  async cancel(runId: string): Promise<void> {
    const own = this.owned.get(runId);
    if (own) return own.cancel();
    const run = this.store.readRun(runId);
    if (run.status !== 'running') return;
    if (!run.interrupted) return requestCancel(this.store.runDir(runId));
    this.recordEndedWithoutOwner(run);
  }

  async *events(runId: string, afterSeq = 0, signal?: AbortSignal): AsyncGenerator<SequencedRunEvent> {
    this.store.readRun(runId); // unknown-run before anything is followed
    const ended = () => {
      try {
        const run = this.store.readRun(runId);
        return run.status !== 'running' || run.interrupted === true;
      } catch {
        return true; // the run's folder was removed
      }
    };
    yield* followEventLog(join(this.store.runDir(runId), EVENTS_FILE), afterSeq, { signal, ended });
  }

  async logs(runId: string, step: string): Promise<StepLogs> {
    const run = this.store.readRun(runId);
    if (!Object.hasOwn(run.steps, step)) throw new CellflowError(commandError.unknownStep(runId, step, run.stepOrder));
    const read = (stream: 'stdout' | 'stderr') => {
      const file = join(this.store.stepDir(runId, step), `${stream}.log`);
      return existsSync(file) ? readFileSync(file, 'utf8') : '';
    };
    return { stdout: read('stdout'), stderr: read('stderr') };
  }

  async artifact(runId: string, path: string): Promise<RunFile> {
    const run = this.store.readRun(runId);
    // Only paths the record lists: a path from a request never reaches the file system unchecked.
    const display = run.displays.find(d => d.path === path);
    if (!display && !run.artifacts.includes(path)) throw new CellflowError(commandError.unknownArtifact(runId, path));
    try {
      const bytes = await readFile(join(this.store.runDir(runId), path));
      return display ? { bytes, mimeType: display.mimeType } : { bytes };
    } catch {
      throw new CellflowError(commandError.unknownArtifact(runId, path));
    }
  }

  /**
   * The engine that ran it is gone: its steps died with it (their IPC channel closed), so the record is ended
   * here, cancelled, and `run-finished` closes its event log for anyone following it.
   */
  private recordEndedWithoutOwner(run: RunView): void {
    const record = recordOf(run);
    const reason = 'the engine running it had stopped';
    const now = new Date().toISOString();
    for (const name of record.stepOrder) {
      const step = record.steps[name];
      if (step.status === 'pending' || step.status === 'running')
        Object.assign(step, { status: 'cancelled', reason, finishedAt: now });
    }
    const final: RunRecord = {
      ...record,
      status: 'cancelled',
      finishedAt: now,
      seconds: (Date.parse(now) - Date.parse(record.startedAt)) / 1000
    };
    try {
      this.store.writeRun(final);
      const log = new EventLogWriter(join(this.store.runDir(run.id), EVENTS_FILE), run.id);
      log.append({ type: 'run-finished', record: final });
      log.close();
    } catch (error) {
      throw new CellflowError(storageFailure(null, error));
    }
  }
}
