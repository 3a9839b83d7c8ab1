/**
 * The embedded engine: each step is its own Node process; independent steps
 * run in parallel up to a limit; a failed step skips its dependents while
 * other branches finish; unchanged steps come from the cache.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  cpSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import writeFileAtomic from 'write-file-atomic';
import type { CompiledLocal } from '../../compile/local/emit.js';
import type { LocalPlan, PlanStep } from '../../compile/local/plan.js';
import type { ParameterValue } from '../../ir.js';
import { parseMetricLines } from '../../runtime/metrics.js';
import {
  ARTIFACTS_DIR_ENV,
  STEP_CONTEXT_ENV,
  WAIT_FOR_INPUTS_ENV,
  type StepContextFile,
  type StepFailure,
  type StepResult
} from '../../runtime/step-context.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { RunEvent, RunRecord, StepRecord, StepStatus } from '../types.js';
import { newRunId, RunStore } from './run-store.js';
import { GpuPool } from './gpu-pool.js';
import { StepCache, stepCacheKey } from './step-cache.js';
import { PlanCheck, type FinishedStep } from './plan-check.js';
import { LearntWrites } from './learnt-writes.js';
import { stepCommand } from './step-command.js';

export interface LocalRunOptions {
  parameters: Record<string, ParameterValue>;
  /** false: run every step (results are still stored in the cache). */
  useCache?: boolean;
  concurrency?: number;
  /** Grace period between SIGTERM and SIGKILL when cancelling. */
  killGraceMs?: number;
  /** The GPUs steps may use (default: detected). */
  gpus?: GpuPool;
}

/** A step's process: started warm (waiting for its inputs) or released to run. */
interface StepProcess {
  child: ChildProcess;
  /** Told to run (a warm process is not, until its step is ready). */
  released: boolean;
  /** Stopped because the step turned out cached, skipped or cancelled before it ran. */
  discarded: boolean;
  timedOut: boolean;
  timer?: NodeJS.Timeout;
  /** How a warm process ended before it was released (its prelude failed). */
  exit?: { code: number | null; signal: NodeJS.Signals | null };
}

const FINAL: ReadonlySet<StepStatus> = new Set(['succeeded', 'failed', 'skipped', 'cancelled']);

export class LocalRun extends EventEmitter<{ event: [RunEvent] }> {
  readonly record: RunRecord;
  readonly done: Promise<RunRecord>;
  private resolveDone!: (record: RunRecord) => void;
  private readonly processes = new Map<string, StepProcess>();
  private readonly stepsByName: Map<string, PlanStep>;
  private readonly cache: StepCache;
  /** Ready steps start in this order: the longest remaining path first, so the critical path is not left for last. */
  private readonly launchOrder: string[];
  private cancelled = false;
  private finished = false;
  /** The run checked its plan and found a change no pipeline can reproduce: it stops, failed. */
  private checkFailed = false;
  private readonly check: PlanCheck;
  /** Succeeded steps with what they reported: where later steps' inputs come from. */
  private readonly results = new Map<string, FinishedStep>();

  constructor(
    private readonly store: RunStore,
    private readonly plan: LocalPlan,
    private readonly programDir: string,
    private readonly options: Required<LocalRunOptions>,
    runId: string
  ) {
    super();
    this.stepsByName = new Map(plan.steps.map(s => [s.name, s]));
    this.cache = new StepCache(store.cacheDir());
    this.launchOrder = launchOrder(plan, store.lastStepSeconds(plan.notebookPath));
    this.check = new PlanCheck(plan);
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
        plan.steps.map(s => [s.name, { status: 'pending', cached: false, attempts: 0 } as StepRecord])
      ),
      metrics: {},
      artifacts: []
    };
    this.done = new Promise(resolve => (this.resolveDone = resolve));
  }

  get id(): string {
    return this.record.id;
  }

  start(): this {
    this.save();
    queueMicrotask(() => this.pump());
    return this;
  }

  /** Stops running steps (SIGTERM, then SIGKILL after a grace period) and runs nothing more. */
  cancel(): void {
    this.stop('the run was cancelled');
  }

  private stop(reason: string): void {
    if (this.cancelled || this.finished) return;
    this.cancelled = true;
    for (const [name, { child, released }] of this.processes) {
      if (!released) {
        this.discardWarm(name);
        continue;
      }
      child.kill('SIGTERM');
      setTimeout(() => this.processes.get(name)?.child.kill('SIGKILL'), this.options.killGraceMs).unref();
    }
    for (const name of this.record.stepOrder) {
      if (this.record.steps[name].status === 'pending') this.finishStep(name, { status: 'cancelled', reason });
    }
    this.pump();
  }

  private emitEvent(event: RunEvent): void {
    this.emit('event', event);
  }

  private save(): void {
    this.store.writeRun(this.record);
  }

  private pump(): void {
    if (this.finished) return;
    let changed = true;
    while (changed) {
      changed = false;
      for (const name of this.launchOrder) {
        const state = this.record.steps[name];
        if (state.status !== 'pending' || this.cancelled) continue;
        const deps = this.stepsByName.get(name)!.dependencies.map(d => [d, this.record.steps[d].status] as const);
        const blocked = deps.find(
          ([, status]) => status === 'failed' || status === 'skipped' || status === 'cancelled'
        );
        if (blocked) {
          this.discardWarm(name);
          this.finishStep(name, {
            status: 'skipped',
            reason: `step \`${blocked[0]}\` ${blocked[1] === 'failed' ? 'failed' : 'did not run'}`
          });
          changed = true;
        } else if (deps.every(([, status]) => status === 'succeeded')) {
          const slot = this.processes.has(name) || this.processes.size < this.options.concurrency;
          if (slot && this.options.gpus.canStart(this.stepsByName.get(name)!))
            changed = this.startStep(name) || changed;
        } else if (
          deps.every(([, status]) => status === 'running' || status === 'succeeded') &&
          this.processes.size < this.options.concurrency &&
          GpuPool.requested(this.stepsByName.get(name)!) === 0 // devices are given at start; GPU steps start when ready
        ) {
          this.prewarm(name);
        }
      }
    }
    const allFinal = this.record.stepOrder.every(n => FINAL.has(this.record.steps[n].status));
    if (allFinal && this.processes.size === 0) this.finishRun();
  }

  private paths(name: string) {
    const dir = this.store.stepDir(this.record.id, name);
    return {
      dir,
      outputsDir: join(dir, 'outputs'),
      artifactsDir: join(dir, 'artifacts'),
      metricsFile: join(dir, 'metrics.json'),
      errorFile: join(dir, 'error.json'),
      resultFile: join(dir, 'result.json'),
      contextFile: join(dir, 'context.json')
    };
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
    // An early process that already ended (its prelude failed or exited) closed before it was discarded:
    // no 'close' is coming to take it off the list, and a run waiting for it would never finish.
    if (warm.exit) this.processes.delete(name);
    else warm.child.kill('SIGKILL');
    rmSync(this.paths(name).dir, { recursive: true, force: true });
  }

  /** Returns true when the step finished at once (a cache hit), so the caller looks for more ready steps. */
  private startStep(name: string): boolean {
    const step = this.stepsByName.get(name)!;
    const state = this.record.steps[name];
    const resolved = this.check.resolveInputs(name, this.results);
    if ('error' in resolved) {
      this.discardWarm(name);
      this.failCheck(name, [resolved.error]);
      return true;
    }
    state.inputsFrom = Object.fromEntries(Object.entries(resolved.inputs).map(([n, i]) => [n, i.from]));
    const inputKeys = Object.fromEntries(
      Object.entries(resolved.inputs).map(([n, i]) => [n, `${i.from}:${this.record.steps[i.from].cacheKey!}`])
    );
    const env = this.check.envFor(name, this.results);
    const key = stepCacheKey(step, this.options.parameters, inputKeys, env);
    state.cacheKey = key;
    const paths = this.paths(name);

    const hit = this.cachingAllowed(step) && this.options.useCache ? this.cache.lookup(key) : undefined;
    const hitResult = hit && readResult(hit.resultFile);
    if (hit && hitResult) {
      this.discardWarm(name);
      mkdirSync(paths.dir, { recursive: true });
      if (existsSync(hit.artifactsDir)) cpSync(hit.artifactsDir, paths.artifactsDir, { recursive: true });
      if (existsSync(hit.metricsFile)) cpSync(hit.metricsFile, paths.metricsFile);
      this.collectResults(paths);
      this.finishChecked(name, hitResult, {
        status: 'succeeded',
        cached: true,
        outputsDir: hit.outputsDir,
        seconds: 0
      });
      return true;
    }

    state.status = 'running';
    state.attempts += 1;
    state.startedAt = new Date().toISOString();
    this.save();
    this.emitEvent({ type: 'step-started', step: name, attempt: state.attempts });

    const warm = this.processes.get(name);
    const running = warm ?? this.spawnStep(name, false);
    running.released = true;
    if (warm) {
      const exit = warm.exit;
      if (exit) queueMicrotask(() => this.onExit(name, exit.code, exit.signal));
      else warm.child.send({ inputs: resolved.inputs, env });
    }
    if (step.settings.timeoutSeconds) {
      running.timer = setTimeout(() => {
        running.timedOut = true;
        running.child.kill('SIGTERM');
        setTimeout(() => running.child.kill('SIGKILL'), this.options.killGraceMs).unref();
      }, step.settings.timeoutSeconds * 1000);
    }
    return false;
  }

  private cachingAllowed(step: PlanStep): boolean {
    return this.plan.enableCaching && step.settings.cache !== false;
  }

  private spawnStep(name: string, waitForInputs: boolean): StepProcess {
    const step = this.stepsByName.get(name)!;
    const paths = this.paths(name);
    rmSync(paths.dir, { recursive: true, force: true }); // a retry starts clean
    mkdirSync(paths.outputsDir, { recursive: true });
    mkdirSync(paths.artifactsDir, { recursive: true });
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
    writeFileAtomic.sync(paths.contextFile, JSON.stringify(context, null, 2) + '\n');

    const { command, args, env } = stepCommand(this.plan.runtime, join(this.programDir, step.file));
    const child = spawn(command, args, {
      cwd: this.plan.notebookDir,
      env: {
        ...process.env,
        ...env,
        [STEP_CONTEXT_ENV]: paths.contextFile,
        [ARTIFACTS_DIR_ENV]: paths.artifactsDir,
        [WAIT_FOR_INPUTS_ENV]: waitForInputs ? '1' : '',
        CELLFLOW_RUN_ID: this.record.id,
        ...this.options.gpus.acquire(step)
      },
      // A warm process hears from the engine over IPC when its inputs are ready.
      stdio: waitForInputs ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe']
    });
    const process_: StepProcess = { child, released: !waitForInputs, discarded: false, timedOut: false };
    this.processes.set(name, process_);
    const logsWritten = this.pipeLogs(name, child, paths.dir);
    const [asked, given] = [GpuPool.requested(step), this.options.gpus.granted(step)];
    if (given < asked) {
      const note = `cellflow: step \`${name}\` asks for ${asked} GPU(s); this machine has ${this.options.gpus.devices.length}, so it runs with ${given}${given === 0 ? ' (on the CPU)' : ''}.`;
      writeFileSync(join(paths.dir, 'engine.log'), note + '\n', { flag: 'a' });
      this.emitEvent({ type: 'step-log', step: name, stream: 'stderr', line: note });
    }
    // 'close': the child's pipes are drained; then its log files are written out before the step is finalised.
    child.on('close', (code, signal) => {
      this.options.gpus.release(name);
      if (process_.timer) clearTimeout(process_.timer);
      void logsWritten.then(() => closed(code, signal));
    });
    const closed = (code: number | null, signal: NodeJS.Signals | null) => {
      if (process_.discarded) {
        this.processes.delete(name);
        this.pump();
      } else if (!process_.released) {
        process_.exit = { code, signal }; // a warm process ended early: reported when the step is started
      } else {
        this.onExit(name, code, signal);
      }
    };
    child.on('error', error => {
      this.processes.delete(name);
      this.finishStep(name, {
        status: 'failed',
        error: {
          kind: 'exception',
          message: `could not start the step: ${error.message}`,
          cellIndex: null,
          line: null,
          column: null,
          stack: error.stack ?? ''
        }
      });
      this.pump();
    });
    return process_;
  }

  private onExit(name: string, code: number | null, signal: NodeJS.Signals | null): void {
    const step = this.stepsByName.get(name)!;
    const state = this.record.steps[name];
    const process_ = this.processes.get(name)!;
    this.processes.delete(name);
    const paths = this.paths(name);
    const seconds = (Date.now() - Date.parse(state.startedAt!)) / 1000;
    const result = code === 0 && !this.cancelled ? readResult(paths.resultFile) : undefined;
    if (result) {
      this.collectResults(paths);
      if (this.cachingAllowed(step)) this.cache.store(state.cacheKey!, name, paths);
      this.finishChecked(name, result, { status: 'succeeded', outputsDir: paths.outputsDir, seconds, exitCode: 0 });
    } else if (code === 0 && !this.cancelled) {
      const message = 'the step process exited before it saved its outputs (a cell may call process.exit)';
      this.finishStep(name, { status: 'failed', seconds, exitCode: 0, error: failure('exception', message) });
    } else if (this.cancelled) {
      this.finishStep(name, { status: 'cancelled', reason: 'the run was cancelled', seconds, exitCode: code });
    } else if (state.attempts <= (step.settings.retry ?? 0)) {
      state.status = 'pending'; // retried by the next pump
      this.save();
    } else {
      const error =
        readFailure(paths.errorFile) ?? processFailure(code, signal, process_.timedOut, step.settings.timeoutSeconds);
      this.finishStep(name, { status: 'failed', seconds, exitCode: code, error });
    }
    this.pump();
  }

  /** Resolves when both log files hold everything the step printed (or could not be written: nothing to wait for). */
  private pipeLogs(name: string, child: ChildProcess, dir: string): Promise<unknown> {
    const written: Promise<unknown>[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const source = child[stream]!;
      const file = source.pipe(createWriteStream(join(dir, `${stream}.log`)));
      written.push(finished(file).catch(() => undefined));
      createInterface({ input: source }).on('line', line => {
        this.emitEvent({ type: 'step-log', step: name, stream, line });
        if (stream === 'stdout') {
          for (const [metric, value] of Object.entries(parseMetricLines(line))) {
            this.emitEvent({ type: 'step-metric', step: name, name: metric, value });
          }
        }
      });
    }
    return Promise.all(written);
  }

  private collectResults(paths: { artifactsDir: string; metricsFile: string }): void {
    if (existsSync(paths.metricsFile)) {
      Object.assign(this.record.metrics, JSON.parse(readFileSync(paths.metricsFile, 'utf8')) as Record<string, number>);
    }
    const runDir = this.store.runDir(this.record.id);
    for (const file of listFiles(paths.artifactsDir)) this.record.artifacts.push(relative(runDir, file));
  }

  /**
   * A step that succeeded, with what it reported: what it saved and changed is recorded (writes the plan missed
   * are remembered for the next analysis), and the run stops when a change cannot be handed on exactly.
   */
  private finishChecked(name: string, result: StepResult, update: Partial<StepRecord> & { status: StepStatus }): void {
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
    const conflicts = this.check.conflicts(name, result);
    if (conflicts.length > 0) {
      this.record.steps[name].saved = result.saved;
      this.record.steps[name].unplannedWrites = unplannedWrites;
      this.failCheck(name, conflicts, update);
      return;
    }
    this.results.set(name, { outputsDir: update.outputsDir!, result });
    this.finishStep(name, { ...update, saved: result.saved, unplannedWrites });
  }

  /** The plan check failed at `name`: the step fails with the diagnostics, and the run stops with no metrics. */
  private failCheck(name: string, diagnostics: Diagnostic[], update: Partial<StepRecord> = {}): void {
    this.checkFailed = true;
    const [first, ...more] = diagnostics;
    const error: StepFailure = {
      ...failure('plan-check', [first!, ...more].map(d => d.message).join('\n')),
      code: first!.code,
      hint: first!.hint,
      cellIndex: first!.cellIndex
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
    this.record.status = this.checkFailed
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

export class LocalEngine {
  readonly store: RunStore;

  constructor(workspaceDir: string) {
    this.store = new RunStore(workspaceDir);
  }

  submit(compiled: CompiledLocal, options: LocalRunOptions): LocalRun {
    const runId = newRunId();
    const programDir = join(this.store.runDir(runId), 'program');
    writeProgram(programDir, compiled);
    const settings: Required<LocalRunOptions> = {
      parameters: options.parameters,
      useCache: options.useCache ?? true,
      concurrency: Math.max(1, options.concurrency ?? availableParallelism()),
      killGraceMs: options.killGraceMs ?? 3000,
      gpus: options.gpus ?? GpuPool.detect()
    };
    const run = new LocalRun(this.store, compiled.plan, programDir, settings, runId);
    return run.start();
  }
}

/**
 * Launch priority: the longest path from a step to the end of the pipeline, each step weighted by how long
 * it took in the last run of this notebook (1 s when unknown), so the critical path starts first; ties go to
 * plan order.
 */
export function launchOrder(plan: LocalPlan, estimates: Record<string, number> = {}): string[] {
  const remaining = new Map<string, number>();
  for (const step of [...plan.steps].reverse()) {
    const below = plan.steps
      .filter(other => other.dependencies.includes(step.name))
      .map(other => remaining.get(other.name)!);
    remaining.set(step.name, (estimates[step.name] ?? 1) + Math.max(0, ...below));
  }
  return plan.steps
    .map((step, index) => ({ name: step.name, index, weight: remaining.get(step.name)! }))
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map(s => s.name);
}

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

function readResult(path: string): StepResult | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as StepResult;
  } catch {
    return undefined;
  }
}

function failure(kind: StepFailure['kind'], message: string): StepFailure {
  return { kind, message, cellIndex: null, line: null, column: null, stack: '' };
}

function readFailure(path: string): StepFailure | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as StepFailure;
  } catch {
    return undefined;
  }
}

function processFailure(
  code: number | null,
  signal: NodeJS.Signals | null,
  timedOut: boolean,
  timeout?: number
): StepFailure {
  const message = timedOut
    ? `the step ran longer than its timeout of ${timeout} s and was stopped`
    : signal
      ? `the step process was killed by ${signal}`
      : `the step process exited with code ${code}`;
  return { kind: 'exception', message, cellIndex: null, line: null, column: null, stack: '' };
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(entry => entry.isFile())
    .map(entry => join(entry.parentPath ?? dir, entry.name))
    .sort();
}
