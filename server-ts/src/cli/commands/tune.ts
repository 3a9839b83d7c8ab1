/**
 * `cellflow tune <notebook> [--max-trials N] [--parallel-trials N] [--param k=v] [--resume ID] [--json]`:
 * the notebook's tuning spec (`katib_metadata`) as an experiment on the embedded engine.
 */
import type { Command } from 'commander';
import { dirname, join } from 'node:path';
import { compileNotebookFile } from '../../compile/index.js';
import { LocalEngine } from '../../engine/local/engine.js';
import { parseParameterOverrides } from '../../engine/parameter-values.js';
import type { ExperimentRecord } from '../../tune/experiment.js';
import { prepareExperiment, startExperiment } from '../../tune/start.js';
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
      const prepared = prepareExperiment(compiled, {
        parameters: parseParameterOverrides(options.param),
        ...(options.resume ? { resume: options.resume } : {}),
        ...(options.maxTrials !== undefined ? { maxTrialCount: options.maxTrials } : {}),
        ...(options.parallelTrials !== undefined ? { parallelTrialCount: options.parallelTrials } : {})
      });
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const { record } = prepared;
      if (!options.json)
        process.stderr.write(`Experiment ${record.id}: ${record.spec.algorithm.algorithmName}, seed ${record.seed}\n`);
      const progress = options.json ? null : tuneProgress(process.stderr);
      process.exitCode = EXIT.internal;
      const { stateDir, done } = startExperiment(compiled, prepared, new LocalEngine(dirname(compiled.notebookPath)), {
        signal: controller.signal,
        onChange: r => progress?.update(r)
      });
      const final = await done;
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
