/**
 * `cellflow verify`: proof that a pipeline computes what its notebook
 * computes. The notebook runs as a pipeline on the embedded engine, then
 * straight through in one process; before each step's first cell the
 * straight run loads the values that step loaded in the pipeline and
 * compares them with its own (runtime/compare.ts), and at the end the
 * metrics are compared. The report names the first difference: the step,
 * the variable, the path inside it, and the step that produced it.
 */
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { compileNotebookFile } from '../compile/index.js';
import { LocalEngine } from '../engine/local/engine.js';
import { runStraightThrough } from '../engine/local/straight-run.js';
import { resolveParameterValues } from '../engine/parameter-values.js';
import type { Engine, RunRecord } from '../engine/types.js';
import type { ParameterValue } from '../ir.js';
import { VERIFY_CONTEXT_ENV, type VerifyContextFile, type VerifyObservations } from '../runtime/step-context.js';
import { readFileSync } from 'node:fs';

export interface VerifyOptions {
  overrides?: Record<string, string>;
  useCache?: boolean;
  concurrency?: number;
}

export type VerifyReport =
  | {
      verdict: 'identical';
      runId: string;
      parameters: Record<string, ParameterValue>;
      /** How many handed-on values were compared, and the metrics both runs agree on. */
      compared: number;
      metrics: Record<string, number>;
    }
  | {
      verdict: 'different';
      runId: string;
      parameters: Record<string, ParameterValue>;
      compared: number;
      /** A value: where it differs. */
      value?: { step: string; name: string; from: string; path: string; what: string };
      /** A metric: both values. */
      metric?: { name: string; notebook: number | undefined; pipeline: number | undefined };
    }
  | {
      verdict: 'failed';
      runId?: string;
      /** Which run failed, and how. */
      failed: 'pipeline' | 'notebook';
      message: string;
      run?: RunRecord;
    };

export async function verifyNotebook(notebookPath: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const compiled = await compileNotebookFile(notebookPath);
  const { plan } = compiled.local;
  const parameters = resolveParameterValues(plan.parameters, options.overrides ?? {});
  const engine: Engine = new LocalEngine(plan.notebookDir);
  const handle = await engine.submit(compiled, {
    parameters,
    useCache: options.useCache,
    concurrency: options.concurrency
  });
  const run = await handle.done;
  if (run.status !== 'succeeded') {
    const failed = run.stepOrder.find(s => run.steps[s].status === 'failed');
    const message = failed
      ? `step \`${failed}\` failed: ${run.steps[failed].error?.message ?? 'see its logs'}`
      : `the run ${run.status}`;
    return { verdict: 'failed', runId: run.id, failed: 'pipeline', message, run };
  }

  // The straight run reads the pipeline's values where the local engine left them, so it needs the run's folder.
  const runDir = (await engine.get(run.id)).dir!;
  const context: VerifyContextFile = {
    parameters,
    steps: Object.fromEntries(
      run.stepOrder.map(step => [
        step,
        Object.fromEntries(
          Object.entries(run.steps[step].inputsFrom ?? {}).map(([name, from]) => [
            name,
            { from, dir: run.steps[from].outputsDir! }
          ])
        )
      ])
    ),
    classes: plan.classes,
    reportFile: join(runDir, 'verify.json')
  };
  const contextFile = join(runDir, 'verify-context.json');
  writeFileAtomic.sync(contextFile, JSON.stringify(context, null, 2) + '\n');
  const straight = await runStraightThrough(compiled.analysis, compiled.notebookPath, {
    observe: true,
    env: { [VERIFY_CONTEXT_ENV]: contextFile }
  });
  const observations = readObservations(context.reportFile);
  const base = { runId: run.id, parameters, compared: observations.compared.length };
  if (observations.error) {
    const { step, name, message } = observations.error;
    return {
      verdict: 'failed',
      runId: run.id,
      failed: 'notebook',
      message: `\`${name}\` as step \`${step}\` loaded it could not be loaded into the notebook run: ${message}`
    };
  }
  if (observations.difference) return { verdict: 'different', ...base, value: observations.difference };
  if (straight.exitCode !== 0) {
    const lastLine = straight.stderr.trim().split('\n').pop() ?? '';
    return {
      verdict: 'failed',
      runId: run.id,
      failed: 'notebook',
      message: lastLine || `exit code ${straight.exitCode}`
    };
  }
  for (const metric of plan.metrics) {
    const [notebook, pipeline] = [straight.metrics[metric.name], run.metrics[metric.name]];
    if (!Object.is(notebook, pipeline)) {
      return { verdict: 'different', ...base, metric: { name: metric.name, notebook, pipeline } };
    }
  }
  return { verdict: 'identical', ...base, metrics: run.metrics };
}

function readObservations(file: string): VerifyObservations {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as VerifyObservations;
  } catch {
    return { compared: [] }; // no step loads anything: nothing to compare but the metrics
  }
}

/** The report for people: "identical", or the first difference and where it is. */
export function formatVerifyReport(report: VerifyReport): string {
  switch (report.verdict) {
    case 'identical':
      return (
        `identical: ${report.compared} handed-on value(s) and ${Object.keys(report.metrics).length} metric(s) ` +
        `are the same in the pipeline (run ${report.runId}) and the notebook run top to bottom\n`
      );
    case 'different': {
      if (report.value) {
        const { step, name, from, path, what } = report.value;
        return (
          `different: step \`${step}\` loaded \`${name}\` (from step \`${from}\`), and at \`${path}\` it differs ` +
          `from the notebook run: ${what}\n  run: ${report.runId}\n`
        );
      }
      const { name, notebook, pipeline } = report.metric!;
      return `different: metric \`${name}\` is ${pipeline} in the pipeline and ${notebook} in the notebook run\n  run: ${report.runId}\n`;
    }
    case 'failed':
      return `not verified: the ${report.failed} run failed: ${report.message}${report.runId ? `\n  run: ${report.runId}` : ''}\n`;
  }
}
