/**
 * The runtime a step program imports: binds parameters, loads inputs, saves
 * outputs, reports metrics, and turns an exception into the notebook cell and
 * line it came from.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import writeFileAtomic from 'write-file-atomic';
import type { NotebookClass } from './notebook-class.js';
import type { LineSegment } from '../compile/local/plan.js';
import type { ParameterValue } from '../ir.js';
import { loadValue, saveValue, type MarshalContext } from './marshal.js';
import { formatMetricLine } from './metrics.js';
import { STEP_CONTEXT_ENV, WAIT_FOR_INPUTS_ENV, type StepContextFile, type StepFailure } from './step-context.js';

type Thunks = Record<string, () => unknown>;

export class StepRuntime {
  private classes: Record<string, NotebookClass> = {};

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

  registerClasses(classes: Record<string, NotebookClass>): void {
    this.classes = { ...this.classes, ...classes };
  }

  /** A step started early waits here, after its prelude, until the engine says where its inputs are. */
  async inputsReady(): Promise<void> {
    if (process.env[WAIT_FOR_INPUTS_ENV] !== '1' || !process.send || !this.context) return;
    const message = await new Promise<{ inputs: StepContextFile['inputs'] }>(resolve =>
      process.once('message', resolve)
    );
    this.context.inputs = message.inputs;
  }

  async load(name: string): Promise<unknown> {
    const input = this.context?.inputs[name];
    if (!input) throw new Error(`cellflow: step input \`${name}\` is not in the step's context`);
    return loadValue(input.dir, name, this.marshalContext(input.from, [this.context!.step]));
  }

  async save(values: Thunks): Promise<void> {
    if (!this.context) return;
    for (const out of this.context.outs) {
      const thunk = values[out.name];
      if (!thunk) continue;
      await saveValue(
        this.context.outputsDir,
        out.name,
        thunk(),
        this.marshalContext(this.context.step, out.consumers)
      );
    }
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

  /** Runs the step body; a failure is written down with its notebook place and ends the process with code 1. */
  async run(body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      this.fail(error);
      process.exit(1);
    }
    process.exit(0); // tfjs and user code may leave timers behind; the step is done
  }

  private fail(error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error));
    const place = this.placeOf(err);
    const failure: StepFailure = {
      kind: err.name === 'MarshalError' ? 'marshal' : 'exception',
      message: `${err.name}: ${err.message}`,
      ...place,
      stack: err.stack ?? String(err)
    };
    const where = place.cellIndex === null ? '' : ` (notebook cell ${place.cellIndex + 1}, line ${place.line})`;
    const stepName = this.context?.step ?? 'notebook';
    process.stderr.write(`cellflow: step \`${stepName}\` failed${where}: ${failure.message}\n`);
    if (this.context) writeFileAtomic.sync(this.context.errorFile, JSON.stringify(failure, null, 2) + '\n');
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
    return { cellIndex: null, line: null, column: null };
  }

  private marshalContext(step: string, consumers: string[]): MarshalContext {
    return { step, consumers, classes: this.classes };
  }
}

/** Called once at the top of every generated program with its own `import.meta.url`. */
export async function startStep(programUrl: string): Promise<StepRuntime> {
  const contextPath = process.env[STEP_CONTEXT_ENV];
  const context = contextPath ? (JSON.parse(readFileSync(contextPath, 'utf8')) as StepContextFile) : undefined;
  const lineMapPath = fileURLToPath(programUrl).replace(/\.mjs$/, '.lines.json');
  // The line map sits beside every generated program (step or straight-through), written with it.
  const lineMap = readLineMap(lineMapPath);
  return new StepRuntime(fileURLToPath(programUrl), context, lineMap);
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
