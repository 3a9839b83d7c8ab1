/** `cellflow experiments [where] [--json]` and `cellflow experiments <id>`: the tuning experiments beside a notebook. */
import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { ExperimentFiles } from '../../tune/experiment-store.js';
import { experimentSummaryRow, formatExperiment, formatExperimentList } from '../experiment-table.js';
import { tableStyle } from './run.js';

/** A notebook means its folder; a folder is taken as is. */
function stateDirOf(where: string): string {
  const path = resolve(where);
  return join(statSync(path).isDirectory() ? path : dirname(path), '.cellflow');
}

export function registerExperiments(program: Command): void {
  program
    .command('experiments')
    .description('list tuning experiments (newest first), or show one with its trials')
    .argument('[where]', 'a notebook or its folder (lists its experiments), or an experiment id (shows it)', '.')
    .option('--dir <where>', 'with an id: the notebook or folder holding its .cellflow state', '.')
    .option('--json', 'print JSON')
    .action((where: string, options: { dir: string; json?: boolean }) => {
      if (!existsSync(where)) {
        // Not a path: an experiment id (`unknown-experiment` when there is none).
        const record = new ExperimentFiles(stateDirOf(options.dir)).load(where);
        process.stdout.write(
          options.json ? JSON.stringify(record, null, 2) + '\n' : formatExperiment(record, tableStyle())
        );
        return;
      }
      const { records, unreadable } = new ExperimentFiles(stateDirOf(where)).list();
      if (options.json) {
        process.stdout.write(
          JSON.stringify(
            [...records.map(experimentSummaryRow), ...unreadable.map(u => ({ id: u.id, unreadable: u.diagnostic }))],
            null,
            2
          ) + '\n'
        );
        return;
      }
      for (const { diagnostic } of unreadable) process.stderr.write(formatDiagnostic(diagnostic) + '\n');
      if (records.length === 0 && unreadable.length === 0) {
        process.stdout.write('No experiments yet. Start one with `cellflow tune <notebook>`.\n');
        return;
      }
      process.stdout.write(formatExperimentList(records, tableStyle()));
    });
}
