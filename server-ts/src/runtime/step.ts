/**
 * The runtime a step program imports: binds parameters, loads inputs, saves
 * outputs, reports metrics, and turns an exception into the notebook cell and
 * line it came from.
 */
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { NotebookClass } from './notebook-class.js';
import type { LineSegment } from '../compile/local/plan.js';
import type { ParameterValue } from '../ir.js';
import { ValueComparison } from './compare.js';
import { provideJupyterStandIn } from './deno-jupyter.js';
import { packageNameOf } from './package-name.js';
import { reachedOwned, type ReachedObjects } from './fingerprint.js';
import { changedSinceLoad, fingerprintAsLoaded, type LoadedFingerprint } from './load-check.js';
import { loadValues, savedValues, saveValues } from './marshal.js';
import { formatMetricLine } from './metrics.js';
import { saveStepState, type StateBindings } from './step-state.js';
import { displays } from './displays.js';
import { fileAccessReport, trackFileAccess } from './file-access.js';
import { cellIsAsync, cellSettled, provideIJavascriptGlobals } from './kernels/ijavascript.js';
import { nextMessage, watchEngine } from './engine-link.js';
import { stepError } from '../diagnostics/codes.js';
import { failureOf, isDiskFull } from './step-failure.js';
import { MarshalError, ValueLoadError } from './errors.js';
import { writeFileAtomic } from './packages.js';
import { applyEnvChange, StateWatch, type PreludeBinding } from './state-watch.js';
import {
  STEP_CONTEXT_ENV,
  UNSETTLED_TOP_LEVEL_AWAIT,
  VERIFY_CONTEXT_ENV,
  WAIT_FOR_INPUTS_ENV,
  type VerifyContextFile,
  type VerifyObservations,
  type StepContextFile,
  type StepFailure,
  type StepResult,
  type UnplannedWrite
} from './step-context.js';

type Thunks = Record<string, () => unknown>;

// Before the step program's own imports run (this module is its first import): `Deno.jupyter` works in Deno steps.
provideJupyterStandIn();
// Node steps track from `--import` (track-files.ts), before any import; Deno steps from here, before the cells run.
trackFileAccess();

/** `off` only for the benchmark's baseline: the plan check's cost is measured against running without it. */
const planCheck = process.env.CELLFLOW_PLAN_CHECK !== 'off';

/** A value as the step loaded it: checked against what it is when the step's cells are done. */
interface LoadedValue {
  value: unknown;
  /** What tells whether the step's cells changed it (null with the plan check off). */
  check: LoadedFingerprint | null;
  from: string;
  dir: string;
  /** The names saved with it as one group (they share objects), itself included. */
  group: string[];
}

export class StepRuntime {
  private classes: Record<string, NotebookClass> = {};
  /** Functions of `functions` cells, by name: data that references one loads it as this step's own. */
  private functions: Record<string, NotebookClass> = {};
  private readonly loaded = new Map<string, LoadedValue>();
  private state: StateWatch | undefined;
  private readonly verify: VerifyContextFile | undefined = readJson<VerifyContextFile>(process.env[VERIFY_CONTEXT_ENV]);
  private readonly observations: VerifyObservations = { compared: [] };
  /** The cell running now (null before the first). */
  private cellIndex: number | null = null;

  constructor(
    private readonly programFile: string,
    private readonly context: StepContextFile | undefined,
    private readonly lineMap: LineSegment[]
  ) {}

  parameter(name: string): ParameterValue {
    const value = this.context?.parameters[name];
    if (value === undefined) throw new Error(`cellflow: no value for pipeline parameter \`${name}\``);
    return value;
  }

  /** In `cellflow verify`'s straight run: the parameter's value for this run (an override), else the cell's. */
  parameterOverride(name: string, value: ParameterValue): ParameterValue {
    return this.verify?.parameters[name] ?? value;
  }

  /**
   * In `cellflow verify`'s straight run, before a step's first cell: the values the step loaded in the pipeline
   * are loaded here and compared with the notebook's own, up to the first difference.
   */
  async observe(step: string, values: Thunks): Promise<void> {
    const verify = this.verify;
    if (!verify || this.observations.difference || this.observations.error) return;
    const inputs = verify.steps[step] ?? {};
    // Values saved together in the pipeline are loaded together, and all compared with one comparison, so
    // sharing between variables counts too.
    const byDir = groupByDir(
      Object.keys(values).filter(name => inputs[name]),
      inputs
    );
    const comparison = new ValueComparison();
    for (const [dir, { from, names }] of byDir) {
      let loaded: Record<string, unknown>;
      try {
        loaded = await loadValues(dir, names, {
          step: from,
          consumer: step,
          classes: this.classes,
          functions: this.functions
        });
      } catch (error) {
        this.observations.error = { step, name: names.join(', '), message: (error as Error).message };
        break;
      }
      for (const name of names) {
        this.observations.compared.push({ step, name, from });
        const found = comparison.compare(name, values[name]!(), loaded[name]);
        if (found) {
          this.observations.difference = { step, name, from, ...found };
          break;
        }
      }
      if (this.observations.difference) break;
    }
    writeFileAtomic.sync(verify.reportFile, JSON.stringify(this.observations, null, 2) + '\n');
  }

  /** Functions the step's prelude defines (those it left out are undefined and skipped). */
  registerFunctions(functions: Record<string, NotebookClass | undefined>): void {
    for (const [name, fn] of Object.entries(functions)) if (typeof fn === 'function') this.functions[name] = fn;
  }

  registerClasses(classes: Record<string, NotebookClass>): void {
    this.classes = { ...this.classes, ...classes };
  }

  /** A step started early waits here, after its prelude, until the engine says where its inputs are. */
  async inputsReady(): Promise<void> {
    if (process.env[WAIT_FOR_INPUTS_ENV] !== '1' || !process.send || !this.context) return;
    const message = await nextMessage<Pick<StepContextFile, 'inputs' | 'env'>>();
    this.context.inputs = message.inputs;
    this.context.env = message.env;
  }

  /** After the prelude: what the step's cells may change outside its variables is fingerprinted now. */
  watchPrelude(bindings: PreludeBinding[]): void {
    if (planCheck) this.state = new StateWatch(bindings);
  }

  /**
   * Loads the step's inputs, and every value saved in a group with one of them (values that share objects
   * travel together), then fingerprints each as loaded. Upstream `process.env` changes are applied first.
   */
  async loadInputs(names: readonly string[]): Promise<Record<string, unknown>> {
    const context = this.context;
    if (!context) return {};
    applyEnvChange(context.env);
    const missing = names.find(name => !context.inputs[name]);
    if (missing) throw new Error(`cellflow: step input \`${missing}\` is not in the step's context`);
    const byDir = groupByDir(names, context.inputs);
    const values: Record<string, unknown> = {};
    for (const [dir, { from, names: wanted }] of byDir) {
      const loaded = await loadValues(dir, wanted, {
        step: from,
        consumer: context.step,
        classes: this.classes,
        functions: this.functions
      });
      const { groups, fingerprints } = savedValues(dir);
      const loadAfresh = async (name: string) =>
        (
          await loadValues(dir, [name], {
            step: from,
            consumer: context.step,
            classes: this.classes,
            functions: this.functions
          })
        )[name];
      for (const [name, value] of Object.entries(loaded)) {
        // A group mate that is also an input from elsewhere comes from there (its own, nearer, producer).
        if (!wanted.includes(name) && names.includes(name)) continue;
        values[name] = value;
        const group = groups.find(g => g.includes(name)) ?? [name];
        const check = planCheck ? fingerprintAsLoaded(value, fingerprints[name], () => loadAfresh(name)) : null;
        this.loaded.set(name, { value, check, from, dir, group });
      }
    }
    return values;
  }

  /**
   * After the step's cells: saves the planned outputs, and every loaded value whose content or binding changed
   * although the plan did not list it (an unplanned write, carried downstream as in the notebook), then
   * reports what it saved and what it changed outside its variables for the engine to check.
   */
  async finish(bindings: Thunks, metrics: Thunks, state: StateBindings = {}): Promise<void> {
    const context = this.context;
    if (context) {
      const planned = new Set(context.outs.map(out => out.name));
      const current = (name: string): unknown => (bindings[name] ? bindings[name]() : this.loaded.get(name)!.value);
      const unplannedWrites: UnplannedWrite[] = [];
      /** What each loaded value that the step left as it was reaches: a new value holding part of one is saved with it. */
      const reached = new Map<string, ReachedObjects>();
      for (const [name, loaded] of this.loaded) {
        if (planned.has(name) || !loaded.check) continue;
        const now = current(name);
        let how: UnplannedWrite['how'] | null = null;
        if (now !== loaded.value) how = 'reassigned';
        else {
          const { changed, objects } = await changedSinceLoad(loaded.check, now);
          if (changed) how = 'mutated';
          else reached.set(name, objects);
        }
        if (how) unplannedWrites.push({ name, from: loaded.from, how });
      }
      const values: Record<string, unknown> = {};
      for (const name of planned) if (bindings[name]) values[name] = bindings[name]();
      for (const write of unplannedWrites) values[write.name] = current(write.name);
      // A new value holding part of a loaded one (`holder = { ref: data }`) is saved with it, so they stay shared.
      if (planCheck) {
        const unchanged = [...reached];
        const ownerOf = (object: object) => unchanged.find(([, objects]) => objects.has(object))?.[0];
        for (const [name, value] of Object.entries(values)) {
          if (this.loaded.get(name)?.value === value) continue;
          for (const object of reachedOwned(value, o => ownerOf(o) !== undefined)) {
            const owner = ownerOf(object)!;
            if (!(owner in values)) values[owner] = current(owner);
          }
        }
      }
      // A group loaded together is saved together when any member is saved, so what they share stays shared.
      for (const name of Object.keys(values)) {
        for (const mate of this.loaded.get(name)?.group ?? []) {
          if (!(mate in values) && this.loaded.has(mate)) values[mate] = current(mate);
        }
      }
      const consumers = Object.fromEntries(context.outs.map(out => [out.name, out.consumers]));
      const saved = await saveValues(context.outputsDir, values, {
        step: context.step,
        consumers,
        classes: this.classes,
        functions: this.functions,
        fingerprints: planCheck
      });
      // The rest of what the step holds, for `cellflow restore`: after the outputs, so it never hides their failure.
      const outputs = Object.fromEntries(saved.map(info => [info.name, values[info.name]]));
      await saveStepState(state, {
        step: context.step,
        outputsDir: context.outputsDir,
        outputs,
        classes: this.classes,
        functions: this.functions
      });
      const result: StepResult = {
        saved: [...new Set(saved.map(info => info.name))].sort(),
        unplannedWrites,
        loaded: Object.fromEntries([...this.loaded].map(([name, { from, dir }]) => [name, { from, dir }])),
        state: this.state?.changes() ?? { prelude: [], globals: [], env: { set: {}, unset: [] } }
      };
      const files = fileAccessReport();
      if (files) result.files = files;
      writeFileAtomic.sync(context.resultFile, JSON.stringify(result, null, 2) + '\n');
    }
    this.reportMetrics(metrics);
  }

  /** Katib's StdOut format (`name=value` lines), plus a JSON file the engine collects. */
  reportMetrics(values: Thunks): void {
    const metrics: Record<string, number> = {};
    for (const [name, thunk] of Object.entries(values)) {
      const value = Number(thunk());
      process.stdout.write(formatMetricLine(name, value) + '\n');
      metrics[name] = value;
    }
    if (this.context && Object.keys(metrics).length > 0) {
      writeFileAtomic.sync(this.context.metricsFile, JSON.stringify(metrics, null, 2) + '\n');
    }
  }

  /** Marks where the program is: the notebook cell that starts running now. */
  enterCell(cellIndex: number): void {
    this.cellIndex = cellIndex;
    displays.enterCell(cellIndex);
  }

  /** After a cell: one that called ijavascript's `$$.async()` ends when it says so. */
  async leaveCell(): Promise<void> {
    await cellSettled();
  }

  /** The globals a kernel gives every cell: ijavascript's `$$`. */
  provideKernelGlobals(kernel: 'ijavascript'): void {
    if (kernel === 'ijavascript') provideIJavascriptGlobals();
  }

  /** A cell's result (the value of its last expression), shown as the kernel shows it: a display of the run. */
  result(value: unknown): void {
    if (!cellIsAsync()) displays.showResult(value);
  }

  /** A cell's result as tslab has it: its executor `console.log`s the value unless it is null or undefined. */
  printResult(value: unknown): void {
    if (value != null) console.log(value);
  }

  /** Runs the step body; a failure is written down with its notebook place and ends the process with code 1. */
  async run(body: () => Promise<void>): Promise<void> {
    let code = 0;
    // Node ends a program whose top-level await can never go on with exit code 13, and says nothing more.
    const onExit = () => {
      if (process.exitCode === UNSETTLED_TOP_LEVEL_AWAIT) {
        const place = { cellIndex: this.cellIndex };
        this.report(failureOf(stepError.awaitNeverSettles(place, this.context?.step ?? 'notebook')));
      }
    };
    process.on('exit', onExit);
    try {
      await body();
    } catch (error) {
      this.fail(error);
      code = 1;
    }
    process.off('exit', onExit);
    await flushStdio();
    process.exit(code); // tfjs and user code may leave timers behind; the step is done
  }

  private fail(error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error));
    // A value that cannot travel is reported where the step defines it; anything else where it was thrown.
    const definedAt =
      err instanceof MarshalError ? this.context?.outs.find(out => out.name === err.variable)?.definedAt : undefined;
    const place = definedAt ?? this.placeOf(err);
    const step = this.context?.step ?? 'notebook';
    const detail = `${err.name}: ${err.message}`;
    const diskFull = isDiskFull(err);
    // What the step half-saved is of no use to anyone, and its space lets the failure itself be written.
    if (diskFull && this.context) rmSync(this.context.outputsDir, { recursive: true, force: true });
    const missingPackage = notInstalledPackage(err);
    const diagnostic = diskFull
      ? stepError.diskFull(this.context?.step ?? null, 'ENOSPC')
      : missingPackage
        ? stepError.packageNotInstalled(place, step, missingPackage, process.cwd(), detail)
        : err instanceof MarshalError
          ? stepError.valueCannotTravel(place, detail, err.hint)
          : err instanceof ValueLoadError
            ? stepError.valueCannotLoad(place, detail)
            : stepError.cellThrew(place, step, detail);
    this.report({
      ...failureOf(diagnostic, err instanceof MarshalError ? 'marshal' : 'exception'),
      ...place,
      stack: diskFull ? '' : (err.stack ?? String(err))
    });
  }

  /** Tells the user (stderr) and the engine (the error file; a full disk may keep it from being written). */
  private report(failure: StepFailure): void {
    const where =
      failure.cellIndex === null
        ? ''
        : ` (notebook cell ${failure.cellIndex + 1}${failure.line === null ? '' : `, line ${failure.line}`})`;
    const stepName = this.context?.step ?? 'notebook';
    process.stderr.write(`cellflow: step \`${stepName}\` failed${where}: ${failure.message}\n`);
    try {
      if (this.context) writeFileAtomic.sync(this.context.errorFile, JSON.stringify(failure, null, 2) + '\n');
    } catch {
      // the engine reads the reason from stderr instead
    }
  }

  /** The first stack frame inside the generated program, mapped back to the cell it came from. */
  private placeOf(error: Error): Pick<StepFailure, 'cellIndex' | 'line' | 'column'> {
    const file = `(?:${escapeRegExp(this.programFile)}|${escapeRegExp(pathToFileURL(this.programFile).href)})`;
    const pattern = new RegExp(`${file}:(\\d+):(\\d+)`);
    for (const frame of (error.stack ?? '').split('\n')) {
      const match = pattern.exec(frame);
      if (!match) continue;
      const generatedLine = Number(match[1]);
      const segment = this.lineMap.find(
        s => generatedLine >= s.generatedLine && generatedLine < s.generatedLine + s.lineCount
      );
      if (segment) {
        return {
          cellIndex: segment.cellIndex,
          line: generatedLine - segment.generatedLine + 1,
          column: Number(match[2]) - 1
        };
      }
    }
    // No frame in the notebook's code (a rejection from Node's loader or a library's internals): the cell that
    // was running, without a line.
    return { cellIndex: this.cellIndex, line: null, column: null };
  }
}

/** Called once at the top of every generated program with its own `import.meta.url`. */
export async function startStep(programUrl: string): Promise<StepRuntime> {
  const contextPath = process.env[STEP_CONTEXT_ENV];
  const context = contextPath ? (JSON.parse(readFileSync(contextPath, 'utf8')) as StepContextFile) : undefined;
  const lineMapPath = fileURLToPath(programUrl).replace(/\.mjs$/, '.lines.json');
  // The line map sits beside every generated program (step or straight-through), written with it.
  const lineMap = readLineMap(lineMapPath);
  watchEngine();
  return new StepRuntime(fileURLToPath(programUrl), context, lineMap);
}

/**
 * Resolves once what was written to stdout and stderr has left the process: on a non-blocking pipe (a library
 * may switch it) writes the pipe cannot take yet wait in the process, and `process.exit` would drop them, the
 * step's last lines and its `name=value` metrics among them. A write's callback runs after the writes before it.
 */
function flushStdio(): Promise<void> {
  const flushed = (stream: NodeJS.WriteStream) =>
    new Promise<void>(resolve => {
      if (stream.destroyed || !stream.writable) resolve();
      else stream.write('', () => resolve()); // an error (the reader is gone) has nothing left to wait for
    });
  return Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() => undefined);
}

/** Inputs by the folder they are loaded from: values saved together are loaded together. */
function groupByDir(
  names: readonly string[],
  inputs: StepContextFile['inputs']
): Map<string, { from: string; names: string[] }> {
  const byDir = new Map<string, { from: string; names: string[] }>();
  for (const name of names) {
    const input = inputs[name]!;
    const entry = byDir.get(input.dir) ?? { from: input.from, names: [] };
    entry.names.push(name);
    byDir.set(input.dir, entry);
  }
  return byDir;
}

function readJson<T>(path: string | undefined): T | undefined {
  return path ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

function readLineMap(path: string): LineSegment[] {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LineSegment[];
  } catch {
    return [];
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The package a failed load names, when Node says it is not installed: an import the preflight could not see
 * (a helper that imports a computed name) fails at run time, and the fix is the same install command.
 * A relative or absolute path that is missing is the cell's own mistake, left to `cell-threw`.
 */
function notInstalledPackage(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return undefined;
  const named = /Cannot find (?:package|module) '([^']+)'/.exec(error.message)?.[1];
  if (!named || /^[./]|^[a-z]+:/i.test(named)) return undefined;
  return packageNameOf(named);
}
