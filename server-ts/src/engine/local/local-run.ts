/**
 * One run of the embedded engine: it applies the scheduler's decisions (scheduler.ts) to step processes
 * (step-process.ts), checks each result against the plan, fills the cache, and writes the record (run.json)
 * and the event log (events.jsonl) after every change.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalPlan, PlanStep } from '../../compile/local/plan.js';
import type { ParameterValue } from '../../ir.js';
import { parseMetricLines } from '../../runtime/metrics.js';
import type { StepContextFile, StepFailure, StepResult } from '../../runtime/step-context.js';
import { stepError } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { RunEvent, RunRecord, StepRecord, StepSelectionRequest, StepStatus } from '../types.js';
import type { EventLogWriter } from './event-log.js';
import { nextDecision, type SchedulerStep } from './scheduler.js';
import { RunStore } from './run-store.js';
import { GpuPool } from './gpu-pool.js';
import { StepCache } from './step-cache.js';
import { currentStepKey, resultKey } from './step-key.js';
import type { PartialRun } from './partial-run.js';
import { PlanCheck, type FinishedStep } from './plan-check.js';
import { LearntWrites } from './learnt-writes.js';
import { launchOrder } from './launch-order.js';
import { stepCommand } from './step-command.js';
import { StepProcess, stepPaths, type StepExit, type StepPaths } from './step-process.js';
import { exitFailure, failureOf, readFailure, readResult } from './step-outcome.js';
import { copyCachedFiles, stepFiles, stepMetrics } from './step-files.js';
import { storageFailure } from './storage-failure.js';
import { attributeWrites, CopyWrites } from './copy-writes.js';
import { inCopy, type RunWorkspace } from './run-workspace.js';
import { snapshotStep } from './step-snapshots.js';
import { applyChanges, noChanges, readChanges, saveChanges } from './written-files.js';
import { fileConflicts, fileUseOf, type FileConflict, type StepFileUse } from './file-dependencies.js';
import { changedSinceCached, changedWhileRunning } from './outside-files.js';
import { WORKSPACE_COPY_ENV } from '../../runtime/file-access.js';
import { CellflowError } from '../../diagnostics/diagnostic.js';

export interface LocalRunSettings {
  parameters: Record<string, ParameterValue>;
  /** false: run every step (results are still stored in the cache). */
  useCache: boolean;
  concurrency: number;
  /** Grace period between SIGTERM and SIGKILL when cancelling. */
  killGraceMs: number;
  /** The GPUs steps may use. */
  gpus: GpuPool;
  /** A partial run: the steps it runs, the results it reuses, the steps it leaves out. */
  partial?: PartialRun;
  /** What the partial run was asked for, for its record. */
  selection?: StepSelectionRequest;
  /** The workspace snapshot taken before the run. */
  snapshot?: string;
  /** Its frozen copy, where steps work; absent when the run works in the live folder (`CELLFLOW_SNAPSHOT=off`). */
  workspace?: RunWorkspace;
  /** The workspace files' part of every step's cache key (workspace-key.ts). */
  workspaceKey?: string;
}

const FINAL: ReadonlySet<StepStatus> = new Set(['succeeded', 'failed', 'skipped', 'cancelled']);

export class LocalRun {
  readonly record: RunRecord;
  readonly done: Promise<RunRecord>;
  private resolveDone!: (record: RunRecord) => void;
  private readonly processes = new Map<string, StepProcess>();
  private readonly stepsByName: Map<string, PlanStep>;
  private readonly schedulerSteps: Map<string, SchedulerStep>;
  private readonly cache: StepCache;
  /** Each finished step's use of the frozen copy's files, for the check of file dependencies. */
  private readonly fileUse = new Map<string, StepFileUse>();
  /** Steps whose cache entry stands for files outside the copy that have changed since: their new result replaces it. */
  private readonly staleInCache = new Set<string>();
  /** Per step: the copy's paths it is known to have written (copy-writes.ts `attributeWrites`). */
  private readonly claimedWrites = new Map<string, Set<string>>();
  /** Steps whose result this run stored in the cache. */
  private readonly storedInCache = new Set<string>();
  /** Ready steps start in this order: the longest remaining path first, so the critical path is not left for last. */
  private readonly launchOrder: string[];
  private cancelled = false;
  /** Steps whose snapshots are being taken: the run ends only once they are recorded. */
  private snapshotsTaking = 0;
  private stopReason = 'the run was cancelled';
  private finished = false;
  /** The run checked its plan and found a change no pipeline can reproduce: it stops, failed. */
  private checkFailed = false;
  /** Files of the run could not be written (a full disk): it stops, failed. */
  private storageError?: Diagnostic;
  private readonly check: PlanCheck;
  /** Succeeded steps with what they reported: where later steps' inputs come from. */
  private readonly results = new Map<string, FinishedStep>();
  /** What each step wrote into the frozen copy (none when the run works in the live folder). */
  private readonly writes?: CopyWrites;

  constructor(
    private readonly store: RunStore,
    private readonly plan: LocalPlan,
    private readonly programDir: string,
    private readonly options: LocalRunSettings,
    runId: string,
    private readonly events: EventLogWriter
  ) {
    this.stepsByName = new Map(plan.steps.map(s => [s.name, s]));
    this.schedulerSteps = new Map(
      plan.steps.map(s => [s.name, { dependencies: s.dependencies, gpus: GpuPool.requested(s) }])
    );
    this.cache = new StepCache(store.cacheDir());
    this.launchOrder = launchOrder(plan, store.lastStepSeconds(plan.notebookPath));
    this.check = new PlanCheck(plan);
    if (options.workspace) this.writes = new CopyWrites(options.workspace.root);
    this.record = {
      version: 1,
      id: runId,
      notebookPath: plan.notebookPath,
      status: 'running',
      pid: process.pid,
      startedAt: new Date().toISOString(),
      parameters: options.parameters,
      stepOrder: plan.steps.map(s => s.name),
      steps: Object.fromEntries(
        plan.steps.map(s => [
          s.name,
          // `after` keeps the plan's edges with the record, so a past run's DAG does not depend on today's notebook.
          { status: 'pending', cached: false, attempts: 0, after: [...s.dependencies] } as StepRecord
        ])
      ),
      metrics: {},
      artifacts: [],
      displays: [],
      ...(options.selection ? { selection: options.selection } : {}),
      ...(options.snapshot !== undefined ? { snapshot: options.snapshot } : {}),
      ...(options.workspaceKey !== undefined ? { workspaceKey: options.workspaceKey } : {})
    };
    this.done = new Promise(resolve => (this.resolveDone = resolve));
  }

  get id(): string {
    return this.record.id;
  }

  start(): this {
    this.save();
    if (this.options.partial) this.applyPartial(this.options.partial);
    queueMicrotask(() => this.pump());
    return this;
  }

  /**
   * A partial run's steps that do not run: the needed ones finish at once with the result found for them
   * (checked against the plan as a cache hit is), the others are skipped.
   */
  private applyPartial(partial: PartialRun): void {
    for (const [name, reused] of partial.reused) {
      const paths = this.paths(name);
      try {
        this.copyInCached(name, reused.files, paths);
      } catch (error) {
        this.failStepForStorage(name, error);
        return;
      }
      this.collectResults(name, paths);
      this.record.steps[name].cacheKey = reused.key;
      this.record.steps[name].inputsFrom = Object.fromEntries(
        Object.entries(reused.result.loaded)
          .filter(([input]) => this.stepsByName.get(name)!.ins.some(i => i.name === input))
          .map(([input, loaded]) => [input, loaded.from])
      );
      this.afterStep(name, () =>
        this.finishChecked(name, reused.result, {
          status: 'succeeded',
          cached: true,
          outputsDir: reused.outputsDir,
          seconds: 0,
          reusedFrom: reused.from
        })
      );
    }
    for (const name of partial.unselected) this.finishStep(name, { status: 'skipped', reason: 'not selected' });
  }

  /** Stops running steps (SIGTERM, then SIGKILL after a grace period) and runs nothing more. */
  cancel(): void {
    this.stop('the run was cancelled');
  }

  private stop(reason: string): void {
    if (this.cancelled || this.finished) return;
    this.cancelled = true;
    this.stopReason = reason;
    for (const [name, running] of this.processes) {
      if (!running.released) this.discardWarm(name);
      else running.stop(this.options.killGraceMs);
    }
    for (const name of this.record.stepOrder) {
      if (this.record.steps[name].status === 'pending') this.finishStep(name, { status: 'cancelled', reason });
    }
    this.pump();
  }

  /** Appends to the event log; one that cannot be written (a full disk) stops the run as a record would. */
  private emitEvent(event: RunEvent): void {
    try {
      this.events.append(event);
    } catch (error) {
      if (event.type !== 'run-finished') this.stopForStorage(storageFailure(null, error));
    }
  }

  /**
   * Writes the record. A write that fails (a full disk) stops the run rather than crash the engine: steps
   * are stopped, and the final record is tried again once they are gone and have freed what they held.
   */
  private save(): void {
    try {
      this.store.writeRun(this.record);
    } catch (error) {
      this.stopForStorage(storageFailure(null, error));
    }
  }

  /** Files could not be written: the run stops, failed, saying why. */
  private stopForStorage(diagnostic: Diagnostic): void {
    if (this.storageError) return;
    this.storageError = diagnostic;
    this.stop(diagnostic.message);
  }

  /** The engine could not write a step's files: the step fails with the reason, and the run stops. */
  private failStepForStorage(name: string, error: unknown): void {
    const diagnostic = storageFailure(name, error);
    this.finishStep(name, { status: 'failed', error: failureOf(diagnostic) });
    this.stopForStorage(diagnostic);
  }

  /** Applies the scheduler's decisions one at a time (each sees the last one's effect), then ends the run when all is done. */
  private pump(): void {
    if (this.finished) return;
    for (let decision = this.decide(); decision; decision = this.decide()) {
      const { step } = decision;
      if (decision.action === 'skip') {
        this.discardWarm(step);
        const why = decision.blockedStatus === 'failed' ? 'failed' : 'did not run';
        this.finishStep(step, { status: 'skipped', reason: `step \`${decision.blockedBy}\` ${why}` });
      } else if (decision.action === 'start') this.startStep(step);
      else this.prewarm(step);
    }
    const allFinal = this.record.stepOrder.every(n => FINAL.has(this.record.steps[n].status));
    if (allFinal && this.processes.size === 0 && this.snapshotsTaking === 0) this.finishRun();
  }

  private decide() {
    return nextDecision({
      launchOrder: this.launchOrder,
      steps: this.schedulerSteps,
      statuses: Object.fromEntries(this.record.stepOrder.map(n => [n, this.record.steps[n].status])),
      processes: new Map([...this.processes].map(([n, p]) => [n, p.released ? 'running' : 'warm'] as const)),
      concurrency: this.options.concurrency,
      stopping: this.cancelled,
      gpusFree: name => this.options.gpus.canStart(this.stepsByName.get(name)!)
    });
  }

  private paths(name: string) {
    return stepPaths(this.store.stepDir(this.record.id, name));
  }

  /** Inputs whose producers are done (all of them once the step is ready), from the nearest step that saved each. */
  private knownInputs(step: PlanStep): StepContextFile['inputs'] {
    const resolved = this.check.resolveInputs(step.name, this.results);
    return 'inputs' in resolved ? resolved.inputs : {};
  }

  /**
   * Starts a step's process before its inputs exist, while a core is idle: it loads its imports and runs the
   * prelude (which never reads step inputs), then waits. When the step is ready it is told where its inputs
   * are; when it turns out cached or skipped it is stopped and leaves nothing behind.
   */
  private prewarm(name: string): void {
    if (this.processes.has(name)) return;
    this.spawnStep(name, true);
  }

  /** Callers look at the processes left afterwards (pump does), so a process already gone counts as stopped. */
  private discardWarm(name: string): void {
    const warm = this.processes.get(name);
    if (!warm || warm.released) return;
    warm.discarded = true;
    // An early process that already ended (its prelude failed or exited) is taken off the list now: no end is
    // coming to do it, and a run waiting for it would never finish.
    if (warm.exit) this.processes.delete(name);
    else warm.kill();
    rmSync(this.paths(name).dir, { recursive: true, force: true });
  }

  /** Starts a ready step: from the cache when it has the step, else in its process (a warm one is released). */
  private startStep(name: string): void {
    const step = this.stepsByName.get(name)!;
    const state = this.record.steps[name];
    const current = currentStepKey(
      this.check,
      step,
      this.results,
      this.options.parameters,
      s => resultKey(this.record.steps[s].cacheKey!, this.results.get(s)?.result.files),
      this.options.workspaceKey ?? null
    );
    if ('error' in current) {
      this.discardWarm(name);
      this.failCheck(name, [current.error]);
      return;
    }
    const { key, inputs, env } = current;
    state.inputsFrom = Object.fromEntries(Object.entries(inputs).map(([n, i]) => [n, i.from]));
    state.cacheKey = key;
    const paths = this.paths(name);

    // A step a partial run selected always runs: that is what was asked for.
    const selected = this.options.partial?.selected.has(name) ?? false;
    const hit = !selected && this.cachingAllowed(step) && this.options.useCache ? this.cache.lookup(key) : undefined;
    const found = hit && readResult(hit.resultFile);
    const stale = found ? changedSinceCached(found.files) : undefined;
    const hitResult = stale ? undefined : found;
    if (hit && hitResult) {
      this.discardWarm(name);
      try {
        this.copyInCached(name, hit, paths);
      } catch (error) {
        this.failStepForStorage(name, error);
        return;
      }
      this.collectResults(name, paths);
      this.afterStep(name, () =>
        this.finishChecked(name, hitResult, {
          status: 'succeeded',
          cached: true,
          outputsDir: hit.outputsDir,
          seconds: 0
        })
      );
      return;
    }

    state.status = 'running';
    state.attempts += 1;
    state.startedAt = new Date().toISOString();
    this.save();
    this.emitEvent({ type: 'step-started', step: name, attempt: state.attempts });

    const running = this.processes.get(name) ?? this.spawnStep(name, false);
    if (!running) return; // its files could not be written: the step failed, and the run stops
    if (stale) {
      this.staleInCache.add(name);
      this.engineNote(
        name,
        `cellflow: step \`${name}\` runs again: \`${stale.path}\` changed since its cached result.`
      );
    }
    this.writes?.started(name);
    running.release({ inputs, env });
    if (step.settings.timeoutSeconds) running.limitTime(step.settings.timeoutSeconds, this.options.killGraceMs);
    // A warm process that already ended (its prelude failed) is reported now, as the step it was to run.
    running.onEnd(exit => queueMicrotask(() => this.ended(name, running, exit)));
  }

  private cachingAllowed(step: PlanStep): boolean {
    return this.plan.enableCaching && step.settings.cache !== false;
  }

  /** Starts the step's process; undefined when its files could not be written (the step failed, the run stops). */
  private spawnStep(name: string, warm: boolean): StepProcess | undefined {
    const step = this.stepsByName.get(name)!;
    const paths = this.paths(name);
    const context: StepContextFile = {
      step: name,
      notebookPath: this.plan.notebookPath,
      parameters: this.options.parameters,
      inputs: this.knownInputs(step),
      env: this.check.envFor(name, this.results),
      outputsDir: paths.outputsDir,
      outs: step.outs,
      metricsFile: paths.metricsFile,
      errorFile: paths.errorFile,
      resultFile: paths.resultFile,
      classes: this.plan.classes
    };
    const workspace = this.options.workspace;
    const command = stepCommand(this.plan.runtime, join(this.programDir, step.file), {
      settings: step.settings,
      loader: this.plan.moduleLoader,
      trackFiles: workspace !== undefined
    });
    let running: StepProcess;
    try {
      running = new StepProcess(
        {
          paths,
          context,
          command: [command.command, ...command.args],
          cwd: workspace ? inCopy(workspace, this.plan.notebookDir) : this.plan.notebookDir,
          env: {
            ...command.env,
            CELLFLOW_RUN_ID: this.record.id,
            ...(workspace ? { [WORKSPACE_COPY_ENV]: workspace.root } : {}),
            ...this.options.gpus.acquire(step)
          },
          warm
        },
        (stream, line) => this.stepLine(name, stream, line)
      );
    } catch (error) {
      this.options.gpus.release(name);
      this.failStepForStorage(name, error);
      return undefined;
    }
    this.processes.set(name, running);
    const [asked, given] = [GpuPool.requested(step), this.options.gpus.granted(step)];
    if (given < asked) {
      const note = `cellflow: step \`${name}\` asks for ${asked} GPU(s); this machine has ${this.options.gpus.devices.length}, so it runs with ${given}${given === 0 ? ' (on the CPU)' : ''}.`;
      try {
        writeFileSync(join(paths.dir, 'engine.log'), note + '\n', { flag: 'a' });
      } catch {
        // the note still reaches the user as a log line
      }
      this.emitEvent({ type: 'step-log', step: name, stream: 'stderr', line: note });
    }
    running.onEnd(() => {
      this.options.gpus.release(name);
      // A discarded process is done with; one still warm (not released) is reported when its step starts.
      if (running.discarded && this.processes.get(name) === running) {
        this.processes.delete(name);
        this.pump();
      }
    });
    return running;
  }

  private stepLine(name: string, stream: 'stdout' | 'stderr', line: string): void {
    this.emitEvent({ type: 'step-log', step: name, stream, line });
    if (stream !== 'stdout') return;
    for (const [metric, value] of Object.entries(parseMetricLines(line))) {
      this.emitEvent({ type: 'step-metric', step: name, name: metric, value });
    }
  }

  /** A released step's process ended: the step succeeded, is retried, or failed with the reason. */
  private ended(name: string, running: StepProcess, exit: StepExit): void {
    if (this.processes.get(name) !== running || running.discarded) return;
    this.processes.delete(name);
    const step = this.stepsByName.get(name)!;
    const state = this.record.steps[name];
    const paths = this.paths(name);
    const seconds = (Date.now() - Date.parse(state.startedAt!)) / 1000;
    const { code } = exit;
    const result = code === 0 && !this.cancelled ? readResult(paths.resultFile) : undefined;
    const ended = this.writes?.ended(name);
    if (result?.files) this.claimWrites(name, result.files.wrote);
    const writes = ended && attributeWrites(ended, result?.files?.wrote, path => this.claimedByOther(name, path));
    if (result) {
      if (writes && !this.keepWrites(name, writes)) return this.pump();
      this.collectResults(name, paths);
      const changing = changedWhileRunning(result.files);
      if (changing)
        this.engineNote(name, `cellflow: step \`${name}\` is not cached: \`${changing.path}\` changed while it ran.`);
      const cacheable = this.cachingAllowed(step) && !writes?.ambiguous && !changing;
      // Cached only once the plan check passed: a refused step's result is not what the notebook computes.
      this.afterStep(name, () =>
        this.finishChecked(
          name,
          result,
          { status: 'succeeded', outputsDir: paths.outputsDir, seconds, exitCode: 0 },
          cacheable ? () => this.storeInCache(name, paths) : undefined
        )
      );
    } else if (code === 0 && !this.cancelled) {
      this.finishStep(name, { status: 'failed', seconds, exitCode: 0, error: failureOf(stepError.noOutputs(name)) });
    } else if (this.cancelled) {
      this.finishStep(name, { status: 'cancelled', reason: this.stopReason, seconds, exitCode: code });
    } else if (state.attempts <= (step.settings.retry ?? 0) && !exit.spawnError) {
      state.status = 'pending'; // retried by the next pump
      this.save();
    } else {
      const error =
        readFailure(paths.errorFile) ??
        exitFailure(name, exit, {
          timeoutSeconds: step.settings.timeoutSeconds,
          memoryLimit: step.settings.limits.memory,
          imports: step.imports
        });
      this.collectDisplays(name, paths); // what it showed before it failed, as the kernel would have shown it
      this.finishStep(name, { status: 'failed', seconds, exitCode: code, error });
      if (error.code === 'disk-full') this.stopForStorage(stepError.diskFull(name, 'ENOSPC'));
    }
    this.pump();
  }

  /**
   * The files a step wrote into the frozen copy, saved in its folder (for the cache and its snapshot); false when
   * they could not be (the step failed for storage). Ambiguous writes are not saved, and the step is not cached.
   */
  private keepWrites(name: string, writes: ReturnType<CopyWrites['ended']>): boolean {
    const paths = this.paths(name);
    if (writes.ambiguous) {
      this.engineNote(
        name,
        `cellflow: step \`${name}\` is not cached: files changed in the run's workspace while another step ran too, so which step wrote them is unknown (${writes.changes.written.concat(writes.changes.removed).slice(0, 5).join(', ')}).`
      );
      return true;
    }
    if (noChanges(writes.changes)) return true;
    try {
      saveChanges(this.options.workspace!.root, writes.changes, paths.dir);
      return true;
    } catch (error) {
      this.failStepForStorage(name, error);
      return false;
    }
  }

  /** A note from the engine about a step: in its `engine.log`, and as a log line of the step. */
  private engineNote(name: string, line: string): void {
    try {
      writeFileSync(join(this.paths(name).dir, 'engine.log'), line + '\n', { flag: 'a' });
    } catch {
      // the note still reaches the user as a log line
    }
    this.emitEvent({ type: 'step-log', step: name, stream: 'stderr', line });
  }

  /** A cached result's files into the step's folder, and the workspace files it wrote into the frozen copy. */
  private copyInCached(name: string, from: Parameters<typeof copyCachedFiles>[0], paths: StepPaths): void {
    const workspace = this.options.workspace;
    copyCachedFiles(from, paths, { whole: workspace !== undefined });
    if (!workspace) return;
    const changes = applyChanges(paths.writtenDir, workspace.root);
    this.writes?.written();
    this.claimWrites(name, [...changes.written, ...changes.removed]);
  }

  /** Paths a step's process reported writing (or a cached step's files wrote), for `attributeWrites`. */
  private claimWrites(name: string, paths: readonly string[]): void {
    const claimed = this.claimedWrites.get(name) ?? new Set<string>();
    for (const path of paths) claimed.add(path);
    this.claimedWrites.set(name, claimed);
  }

  private claimedByOther(name: string, path: string): boolean {
    for (const [step, claimed] of this.claimedWrites) if (step !== name && claimed.has(path)) return true;
    return false;
  }

  /**
   * The step's snapshots (its folder, and the frozen copy), then `finish`. The step stays \`running\` meanwhile, so
   * nothing downstream starts and the run does not end; a snapshot that fails (a full disk) fails the step and
   * stops the run, as other storage failures do.
   */
  private afterStep(name: string, finish: () => void): void {
    const workspace = this.options.workspace;
    if (!workspace) return finish();
    const state = this.record.steps[name];
    state.status = 'running';
    this.snapshotsTaking++;
    snapshotStep(workspace, this.paths(name).dir, this.writes!.sinceStart())
      .then(
        ids => {
          Object.assign(state, ids);
          finish();
        },
        (error: unknown) => {
          const diagnostic = error instanceof CellflowError ? error.diagnostic : storageFailure(name, error);
          this.finishStep(name, { status: 'failed', error: failureOf(diagnostic) });
          this.stopForStorage(diagnostic);
        }
      )
      .finally(() => {
        this.snapshotsTaking--;
        this.pump();
      });
  }

  /** Caching is best effort: a result that cannot be copied into the cache (a full disk) is only not cached. */
  private storeInCache(name: string, paths: ReturnType<LocalRun['paths']>): void {
    try {
      const replace = !this.options.useCache || this.staleInCache.has(name);
      this.cache.store(this.record.steps[name].cacheKey!, name, paths, { replace });
      this.storedInCache.add(name);
    } catch (error) {
      const line = `cellflow: the result of step \`${name}\` was not cached: ${(error as Error).message}`;
      this.emitEvent({ type: 'step-log', step: name, stream: 'stderr', line });
    }
  }

  private collectResults(name: string, paths: StepPaths): void {
    Object.assign(this.record.metrics, stepMetrics(paths));
    this.collectDisplays(name, paths);
  }

  private collectDisplays(name: string, paths: StepPaths): void {
    const files = stepFiles(name, paths, this.store.runDir(this.record.id));
    this.record.artifacts.push(...files.artifacts);
    this.record.displays.push(...files.displays);
  }

  /**
   * A step that succeeded, with what it reported: what it saved and changed is recorded (writes the plan missed
   * are remembered for the next analysis), and the run stops when a change cannot be handed on exactly.
   */
  private finishChecked(
    name: string,
    result: StepResult,
    update: Partial<StepRecord> & { status: StepStatus },
    /** Stores the result in the cache; run unless the step's files raced another step's. */
    cache?: () => void
  ): void {
    const unplannedWrites = result.unplannedWrites;
    if (unplannedWrites.length > 0) {
      LearntWrites.record(
        this.store.stateDir,
        this.plan.notebookPath,
        this.stepsByName.get(name)!,
        unplannedWrites,
        this.record.id
      );
    }
    const files = this.fileConflicts(name, result);
    // A step whose value changes no pipeline can hand on computed its own result exactly: it is cached. One that
    // read or wrote a file racing another step did not, and neither did the other: neither result is kept.
    if (files.length === 0) cache?.();
    for (const { other } of files) this.dropFromCache(other);
    const conflicts = [...this.check.conflicts(name, result), ...files.map(c => c.diagnostic)];
    if (conflicts.length > 0) {
      this.record.steps[name].saved = result.saved;
      this.record.steps[name].unplannedWrites = unplannedWrites;
      this.failCheck(name, conflicts, update);
      return;
    }
    this.results.set(name, { outputsDir: update.outputsDir!, result });
    this.finishStep(name, { ...update, saved: result.saved, unplannedWrites });
  }

  /** A result this run stored in the cache that turned out to race another step's files: later runs must not take it. */
  private dropFromCache(name: string): void {
    if (!this.storedInCache.has(name)) return;
    this.cache.forget(this.record.steps[name].cacheKey!);
  }

  /** Files `name` read or wrote that a step neither upstream nor downstream of it wrote (file-dependencies.ts). */
  private fileConflicts(name: string, result: StepResult): FileConflict[] {
    if (!this.options.workspace) return [];
    const use = fileUseOf(result.files, readChanges(this.paths(name).writtenDir).written);
    const diagnostics = fileConflicts(name, use, this.fileUse, this.check);
    this.fileUse.set(name, use);
    return diagnostics;
  }

  /** The plan check failed at `name`: the step fails with the diagnostics, and the run stops with no metrics. */
  private failCheck(name: string, diagnostics: Diagnostic[], update: Partial<StepRecord> = {}): void {
    this.checkFailed = true;
    const [first, ...more] = diagnostics;
    const error: StepFailure = {
      ...failureOf(first!, 'plan-check'),
      message: [first!, ...more].map(d => d.message).join('\n'),
      line: null,
      column: null
    };
    this.finishStep(name, { ...update, status: 'failed', error });
    this.record.metrics = {};
    this.stop(`step \`${name}\` changed what a pipeline cannot hand on exactly`);
  }

  private finishStep(name: string, update: Partial<StepRecord> & { status: StepStatus }): void {
    const state = this.record.steps[name];
    Object.assign(state, update, { finishedAt: new Date().toISOString() });
    this.save();
    this.emitEvent({ type: 'step-finished', step: name, record: state });
  }

  private finishRun(): void {
    this.finished = true;
    const statuses = this.record.stepOrder.map(n => this.record.steps[n].status);
    if (this.storageError) this.record.error = this.storageError;
    this.record.status =
      this.checkFailed || this.storageError
        ? 'failed'
        : this.cancelled
          ? 'cancelled'
          : statuses.includes('failed')
            ? 'failed'
            : 'succeeded';
    if (this.checkFailed) this.record.metrics = {};
    this.record.finishedAt = new Date().toISOString();
    this.record.seconds = (Date.parse(this.record.finishedAt) - Date.parse(this.record.startedAt)) / 1000;
    this.save();
    this.emitEvent({ type: 'run-finished', record: this.record });
    this.resolveDone(this.record);
  }
}
