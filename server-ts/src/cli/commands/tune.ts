/**
 * `cellflow tune <notebook> [--max-trials N] [--parallel-trials N] [--param k=v] [--resume ID] [--json]`:
 * the notebook's tuning spec (`katib_metadata`) as an experiment on the embedded engine.
 */
import type { Command } from 'commander';
import { randomInt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { ulid } from 'ulid';
import { NotebookHasErrors, compileNotebookFile } from '../../compile/index.js';
import { LocalEngine } from '../../engine/local/engine.js';
import { parseParameterOverrides, resolveParameterValues } from '../../engine/parameter-values.js';
import { ExperimentFiles } from '../../tune/experiment-store.js';
import { type ExperimentRecord, newExperiment, runExperiment } from '../../tune/experiment.js';
import { readExperimentSpec } from '../../tune/spec.js';
import { tuneError } from '../../diagnostics/codes.js';
import { EXIT } from '../report-error.js';
import { collect, positiveInteger, tableStyle } from './run.js';
import { formatExperiment } from '../experiment-table.js';
import { tuneProgress } from '../tune-progress.js';

interface TuneOptions {
  param: string[];
  maxTrials?: number;
  parallelTrials?: number;
  resume?: string;
  json?: boolean;
}

export function registerTune(program: Command): void {
  program
    .command('tune')
    .description("tune the notebook's parameters (its katib_metadata spec) on the embedded engine")
    .argument('<notebook>', 'path to the .ipynb file')
    .option('--max-trials <n>', 'override maxTrialCount', positiveInteger)
    .option('--parallel-trials <n>', 'override parallelTrialCount', positiveInteger)
    .option('-p, --param <name=value>', 'set an untuned pipeline parameter for every trial (repeatable)', collect, [])
    .option('--resume <experiment>', 'go on with a stopped experiment of this notebook')
    .option('--json', 'print only a JSON summary on stdout')
    .action(async (notebook: string, options: TuneOptions) => {
      const compiled = await compileNotebookFile(notebook);
      const { ir } = compiled.analysis;
      const stateDir = join(dirname(compiled.notebookPath), '.cellflow');
      const files = new ExperimentFiles(stateDir);
      let record: ExperimentRecord;
      if (options.resume) record = files.load(options.resume);
      else {
        const metadata = ir.settings.katib_metadata ? { ...ir.settings.katib_metadata } : undefined;
        if (metadata && options.maxTrials !== undefined) metadata.maxTrialCount = options.maxTrials;
        if (metadata && options.parallelTrials !== undefined) metadata.parallelTrialCount = options.parallelTrials;
        const { spec, diagnostics } = readExperimentSpec(metadata, ir);
        if (!spec) throw new NotebookHasErrors(diagnostics, tuneError.specHasErrors(diagnostics.length));
        record = newExperiment(ulid(), compiled.notebookPath, spec, randomInt(0, 2 ** 32));
      }
      const baseParameters = resolveParameterValues(
        compiled.local.plan.parameters,
        parseParameterOverrides(options.param)
      );
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      if (!options.json)
        process.stderr.write(`Experiment ${record.id}: ${record.spec.algorithm.algorithmName}, seed ${record.seed}\n`);
      const progress = options.json ? null : tuneProgress(process.stderr);
      process.exitCode = EXIT.internal;
      const final = await runExperiment(record, {
        engine: new LocalEngine(dirname(compiled.notebookPath)),
        compiled,
        baseParameters,
        store: files,
        concurrency: availableParallelism(),
        signal: controller.signal,
        onChange: r => progress?.update(r)
      });
      progress?.done();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (options.json) process.stdout.write(JSON.stringify(experimentSummary(final, stateDir)) + '\n');
      // On one terminal the live table already shows the end: only the resume hint is left to say.
      else if (process.stdout.isTTY && process.stderr.isTTY) {
        if (final.status === 'cancelled')
          process.stdout.write(`Resume with: cellflow tune ${final.notebookPath} --resume ${final.id}\n`);
      } else process.stdout.write(formatExperiment(final, tableStyle()));
      process.exitCode =
        final.status === 'succeeded' ? EXIT.ok : final.status === 'cancelled' ? EXIT.cancelled : EXIT.failed;
    });
}

export function experimentSummary(record: ExperimentRecord, stateDir: string) {
  return {
    experimentId: record.id,
    status: record.status,
    reason: record.reason,
    seed: record.seed,
    bestTrial: record.bestTrial,
    trials: record.trials,
    record: join(stateDir, 'experiments', record.id, 'experiment.json')
  };
}
