/**
 * The embedded engine: each step is its own Node process; independent steps
 * run in parallel up to a limit; a failed step skips its dependents while
 * other branches finish; unchanged steps come from the cache.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, cpSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import writeFileAtomic from 'write-file-atomic';
import type { CompiledLocal } from '../../compile/local/emit.js';
import type { LocalPlan, PlanStep } from '../../compile/local/plan.js';
import type { ParameterValue } from '../../ir.js';
import { parseMetricLines } from '../../runtime/metrics.js';
import { ARTIFACTS_DIR_ENV, STEP_CONTEXT_ENV, type StepContextFile, type StepFailure } from '../../runtime/step-context.js';
import type { RunEvent, RunRecord, StepRecord, StepStatus } from '../types.js';
import { newRunId, RunStore } from './run-store.js';
import { StepCache, stepCacheKey } from './step-cache.js';

export interface LocalRunOptions {
  parameters: Record<string, ParameterValue>;
  /** false: run every step (results are still stored in the cache). */
  useCache?: boolean;
  concurrency?: number;
  /** Grace period between SIGTERM and SIGKILL when cancelling. */
  killGraceMs?: number;
}

const FINAL: ReadonlySet<StepStatus> = new Set(['succeeded', 'failed', 'skipped', 'cancelled']);

export class LocalRun extends EventEmitter<{ event: [RunEvent] }> {
  readonly record: RunRecord;
  readonly done: Promise<RunRecord>;
  private resolveDone!: (record: RunRecord) => void;
  private readonly children = new Map<string, ChildProcess>();
  private readonly stepsByName: Map<string, PlanStep>;
  private readonly cache: StepCache;
  /** Ready steps start in this order: those with the most work below them first, so long chains are not left for last. */
  private readonly launchOrder: string[];
  private cancelled = false;
  private finished = false;

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
    this.launchOrder = byDescendantCount(plan);
    this.record = {
      version: 1,
      id: runId,
      notebookPath: plan.notebookPath,
      status: 'running',
      pid: process.pid,
      startedAt: new Date().toISOString(),
      parameters: options.parameters,
      stepOrder: plan.steps.map(s => s.name),
      steps: Object.fromEntries(plan.steps.map(s => [s.name, { status: 'pending', cached: false, attempts: 0 } as StepRecord])),
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
    if (this.cancelled || this.finished) return;
    this.cancelled = true;
    for (const [name, child] of this.children) {
      child.kill('SIGTERM');
      setTimeout(() => this.children.get(name)?.kill('SIGKILL'), this.options.killGraceMs).unref();
    }
    for (const name of this.record.stepOrder) {
      if (this.record.steps[name].status === 'pending') this.finishStep(name, { status: 'cancelled', reason: 'the run was cancelled' });
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
        const blocked = deps.find(([, status]) => status === 'failed' || status === 'skipped' || status === 'cancelled');
        if (blocked) {
          this.finishStep(name, { status: 'skipped', reason: `step \`${blocked[0]}\` ${blocked[1] === 'failed' ? 'failed' : 'did not run'}` });
          changed = true;
        } else if (deps.every(([, status]) => status === 'succeeded') && this.children.size < this.options.concurrency) {
          changed = this.startStep(name) || changed;
        }
      }
    }
    const allFinal = this.record.stepOrder.every(n => FINAL.has(this.record.steps[n].status));
    if (allFinal && this.children.size === 0) this.finishRun();
  }

  /** Returns true when the step finished at once (a cache hit), so the caller looks for more ready steps. */
  private startStep(name: string): boolean {
    const step = this.stepsByName.get(name)!;
    const state = this.record.steps[name];
    const inputKeys = Object.fromEntries(step.ins.map(i => [i.from, this.record.steps[i.from].cacheKey!]));
    const key = stepCacheKey(step, this.options.parameters, inputKeys);
    state.cacheKey = key;
    const dir = this.store.stepDir(this.record.id, name);
    const paths = { outputsDir: join(dir, 'outputs'), artifactsDir: join(dir, 'artifacts'), metricsFile: join(dir, 'metrics.json') };

    const cachingAllowed = this.plan.enableCaching && step.settings.cache !== false;
    const hit = cachingAllowed && this.options.useCache ? this.cache.lookup(key) : undefined;
    if (hit) {
      mkdirSync(dir, { recursive: true });
      if (existsSync(hit.artifactsDir)) cpSync(hit.artifactsDir, paths.artifactsDir, { recursive: true });
      if (existsSync(hit.metricsFile)) cpSync(hit.metricsFile, paths.metricsFile);
      this.collectResults(name, paths);
      this.finishStep(name, { status: 'succeeded', cached: true, outputsDir: hit.outputsDir, seconds: 0 });
      return true;
    }

    mkdirSync(paths.outputsDir, { recursive: true });
    mkdirSync(paths.artifactsDir, { recursive: true });
    const errorFile = join(dir, 'error.json');
    const context: StepContextFile = {
      step: name,
      notebookPath: this.plan.notebookPath,
      parameters: this.options.parameters,
      inputs: Object.fromEntries(step.ins.map(i => [i.name, { from: i.from, dir: this.record.steps[i.from].outputsDir! }])),
      outputsDir: paths.outputsDir,
      outs: step.outs,
      metricsFile: paths.metricsFile,
      errorFile,
      classes: this.plan.classes,
      lineMap: step.lineMap
    };
    const contextFile = join(dir, 'context.json');
    writeFileAtomic.sync(contextFile, JSON.stringify(context, null, 2) + '\n');

    state.status = 'running';
    state.attempts += 1;
    state.startedAt = new Date().toISOString();
    this.save();
    this.emitEvent({ type: 'step-started', step: name, attempt: state.attempts });

    const child = spawn(process.execPath, [join(this.programDir, step.file)], {
      cwd: this.plan.notebookDir,
      env: { ...process.env, [STEP_CONTEXT_ENV]: contextFile, [ARTIFACTS_DIR_ENV]: paths.artifactsDir, CELLFLOW_RUN_ID: this.record.id },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    this.children.set(name, child);
    this.pipeLogs(name, child, dir);

    let timedOut = false;
    const timer = step.settings.timeoutSeconds
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), this.options.killGraceMs).unref();
        }, step.settings.timeoutSeconds * 1000)
      : undefined;

    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      this.children.delete(name);
      const seconds = (Date.now() - Date.parse(state.startedAt!)) / 1000;
      if (code === 0 && !this.cancelled) {
        this.collectResults(name, paths);
        if (cachingAllowed) this.cache.store(key, name, paths);
        this.finishStep(name, { status: 'succeeded', outputsDir: paths.outputsDir, seconds, exitCode: 0 });
      } else if (this.cancelled) {
        this.finishStep(name, { status: 'cancelled', reason: 'the run was cancelled', seconds, exitCode: code });
      } else if (state.attempts <= (step.settings.retry ?? 0)) {
        state.status = 'pending'; // retried by the next pump
        this.save();
      } else {
        const error = readFailure(errorFile) ?? processFailure(code, signal, timedOut, step.settings.timeoutSeconds);
        this.finishStep(name, { status: 'failed', seconds, exitCode: code, error });
      }
      this.pump();
    });
    child.on('error', error => {
      this.children.delete(name);
      this.finishStep(name, { status: 'failed', error: { kind: 'exception', message: `could not start the step: ${error.message}`, cellIndex: null, line: null, column: null, stack: error.stack ?? '' } });
      this.pump();
    });
    return false;
  }

  private pipeLogs(name: string, child: ChildProcess, dir: string): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const source = child[stream]!;
      source.pipe(createWriteStream(join(dir, `${stream}.log`)));
      createInterface({ input: source }).on('line', line => {
        this.emitEvent({ type: 'step-log', step: name, stream, line });
        if (stream === 'stdout') {
          for (const [metric, value] of Object.entries(parseMetricLines(line))) {
            this.emitEvent({ type: 'step-metric', step: name, name: metric, value });
          }
        }
      });
    }
  }

  private collectResults(name: string, paths: { artifactsDir: string; metricsFile: string }): void {
    if (existsSync(paths.metricsFile)) {
      Object.assign(this.record.metrics, JSON.parse(readFileSync(paths.metricsFile, 'utf8')) as Record<string, number>);
    }
    const runDir = this.store.runDir(this.record.id);
    for (const file of listFiles(paths.artifactsDir)) this.record.artifacts.push(relative(runDir, file));
    void name;
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
    this.record.status = this.cancelled ? 'cancelled' : statuses.includes('failed') ? 'failed' : 'succeeded';
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
      killGraceMs: options.killGraceMs ?? 3000
    };
    const run = new LocalRun(this.store, compiled.plan, programDir, settings, runId);
    return run.start();
  }
}

/** Steps sorted by how many steps depend on them, directly or not (ties keep plan order). */
function byDescendantCount(plan: LocalPlan): string[] {
  const descendants = new Map<string, Set<string>>();
  for (const step of [...plan.steps].reverse()) {
    const below = new Set<string>();
    for (const other of plan.steps) {
      if (!other.dependencies.includes(step.name)) continue;
      below.add(other.name);
      for (const d of descendants.get(other.name) ?? []) below.add(d);
    }
    descendants.set(step.name, below);
  }
  return plan.steps
    .map((step, index) => ({ name: step.name, index, weight: descendants.get(step.name)!.size }))
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

function readFailure(path: string): StepFailure | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as StepFailure;
  } catch {
    return undefined;
  }
}

function processFailure(code: number | null, signal: NodeJS.Signals | null, timedOut: boolean, timeout?: number): StepFailure {
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
