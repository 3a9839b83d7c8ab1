/** `cellflow runs`, `cellflow logs`, `cellflow cancel`: the run records beside a notebook. */
import Table from 'cli-table3';
import type { Command } from 'commander';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { commandError } from '../../diagnostics/codes.js';
import { CellflowError, formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { RunStore } from '../../engine/local/run-store.js';
import { tableStyle } from './run.js';

/** A notebook path means its folder; a folder is taken as is; nothing means the current folder. */
function storeFor(where?: string): RunStore {
  const path = resolve(where ?? '.');
  const dir = existsSync(path) && statSync(path).isDirectory() ? path : dirname(path);
  return new RunStore(dir);
}

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description('list past runs (newest first)')
    .argument('[where]', 'a notebook or the folder holding its .cellflow state', '.')
    .option('--json', 'print the run records as JSON')
    .action((where: string, options: { json?: boolean }) => {
      const { runs, damaged } = storeFor(where).scanRuns();
      if (options.json) {
        const listed = [...runs, ...damaged.map(d => ({ id: d.id, damaged: d.diagnostic }))];
        process.stdout.write(JSON.stringify(listed, null, 2) + '\n');
        return;
      }
      for (const { diagnostic } of damaged) process.stderr.write(formatDiagnostic(diagnostic) + '\n');
      if (runs.length === 0 && damaged.length === 0) {
        process.stdout.write('No runs yet. Start one with `cellflow run <notebook>`.\n');
        return;
      }
      const table = new Table({ head: ['run', 'status', 'notebook', 'started', 'time', 'steps'], style: tableStyle() });
      for (const run of runs) {
        const status = 'interrupted' in run && run.interrupted ? 'interrupted' : run.status;
        const done = run.stepOrder.filter(s => run.steps[s].status === 'succeeded').length;
        table.push([
          run.id,
          status,
          run.notebookPath.replace(/^.*[\\/]/, ''),
          run.startedAt,
          run.seconds !== undefined ? `${run.seconds.toFixed(1)}s` : '-',
          `${done}/${run.stepOrder.length}`
        ]);
      }
      process.stdout.write(table.toString() + '\n');
    });

  program
    .command('logs')
    .description("print a run's step logs")
    .argument('<run>', 'run id (see `cellflow runs`)')
    .argument('[step]', 'only this step')
    .option('--dir <where>', 'a notebook or the folder holding its .cellflow state', '.')
    .action((runId: string, step: string | undefined, options: { dir: string }) => {
      const store = storeFor(options.dir);
      const run = store.readRun(runId);
      const steps = step ? [step] : run.stepOrder;
      if (step && !run.steps[step]) throw new CellflowError(commandError.unknownStep(runId, step, run.stepOrder));
      for (const name of steps) {
        if (!step) process.stdout.write(`── ${name} (${run.steps[name].status}) ──\n`);
        for (const stream of ['stdout', 'stderr'] as const) {
          const file = join(store.stepDir(runId, name), `${stream}.log`);
          if (existsSync(file)) process.stdout.write(readFileSync(file, 'utf8'));
        }
      }
    });

  program
    .command('cancel')
    .description('cancel a running run')
    .argument('<run>', 'run id (see `cellflow runs`)')
    .option('--dir <where>', 'a notebook or the folder holding its .cellflow state', '.')
    .action((runId: string, options: { dir: string }) => {
      const run = storeFor(options.dir).readRun(runId);
      if (run.status !== 'running' || ('interrupted' in run && run.interrupted)) {
        process.stdout.write(
          `Run ${runId} is not running (${'interrupted' in run && run.interrupted ? 'interrupted' : run.status}).\n`
        );
        return;
      }
      process.kill(run.pid, 'SIGTERM'); // the engine stops its steps and records the run as cancelled
      process.stdout.write(`Asked run ${runId} to stop.\n`);
    });
}
