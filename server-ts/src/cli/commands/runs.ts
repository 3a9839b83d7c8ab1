/** `cellflow runs`, `cellflow logs`, `cellflow cancel`: the run records beside a notebook. */
import Table from 'cli-table3';
import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { commandError } from '../../diagnostics/codes.js';
import { CellflowError, formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { LocalEngine } from '../../engine/local/engine.js';
import { recordOf } from '../../engine/run-view.js';
import { tableStyle } from './run.js';

/** A notebook path means its folder; a folder is taken as is; nothing means the current folder. */
function engineFor(where?: string): LocalEngine {
  const path = resolve(where ?? '.');
  const dir = existsSync(path) && statSync(path).isDirectory() ? path : dirname(path);
  return new LocalEngine(dir);
}

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description('list past runs (newest first)')
    .argument('[where]', 'a notebook or the folder holding its .cellflow state', '.')
    .option('--json', 'print the run records as JSON')
    .action(async (where: string, options: { json?: boolean }) => {
      const engine = engineFor(where);
      const [runs, damaged] = [await engine.list(), engine.damagedRuns()];
      if (options.json) {
        const listed = [
          ...runs.map(run => ({ ...recordOf(run), ...(run.interrupted ? { interrupted: true } : {}) })),
          ...damaged.map(d => ({ id: d.id, damaged: d.diagnostic }))
        ];
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
        const status = run.interrupted ? 'interrupted' : run.status;
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
    .action(async (runId: string, step: string | undefined, options: { dir: string }) => {
      const engine = engineFor(options.dir);
      const run = await engine.get(runId);
      const steps = step ? [step] : run.stepOrder;
      if (step && !Object.hasOwn(run.steps, step))
        throw new CellflowError(commandError.unknownStep(runId, step, run.stepOrder));
      for (const name of steps) {
        if (!step) process.stdout.write(`── ${name} (${run.steps[name].status}) ──\n`);
        const logs = await engine.logs(runId, name);
        process.stdout.write(logs.stdout + logs.stderr);
      }
    });

  program
    .command('cancel')
    .description('cancel a running run')
    .argument('<run>', 'run id (see `cellflow runs`)')
    .option('--dir <where>', 'a notebook or the folder holding its .cellflow state', '.')
    .action(async (runId: string, options: { dir: string }) => {
      const engine = engineFor(options.dir);
      const run = await engine.get(runId);
      if (run.status !== 'running') {
        process.stdout.write(`Run ${runId} is not running (${run.status}).\n`);
        return;
      }
      // The owner stops its steps and records the run as cancelled; a run nobody owns is recorded so now.
      await engine.cancel(runId);
      process.stdout.write(
        run.interrupted
          ? `Run ${runId} was interrupted (its engine is gone): recorded as cancelled.\n`
          : `Asked run ${runId} to stop.\n`
      );
    });
}
