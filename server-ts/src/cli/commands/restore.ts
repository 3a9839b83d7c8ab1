/** `cellflow restore`: a step of a run (or an experiment's best trial) brought back into a new folder. */
import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { restoreRun, type RestoreResult } from '../../restore/index.js';

/** A notebook path means its folder; a folder is taken as is (the workspace holding `.cellflow`). */
function workspaceOf(where: string): string {
  const path = resolve(where);
  return existsSync(path) && statSync(path).isDirectory() ? path : dirname(path);
}

export function registerRestore(program: Command): void {
  program
    .command('restore')
    .description("restore a step of a run (default: the last that succeeded), or an experiment's best trial")
    .argument('<id>', 'a run id or an experiment id')
    .option('--best', "an experiment's best trial (the default for experiments)")
    .option('--step <name>', 'the step to restore (it must have succeeded)')
    .option('--into <dir>', 'the new folder to restore into')
    .option('--dir <where>', 'a notebook or the folder holding its .cellflow state', '.')
    .option('--json', 'print what was restored as JSON')
    .action(async (id: string, options: { step?: string; into?: string; dir: string; json?: boolean }) => {
      const result = await restoreRun({
        workspace: workspaceOf(options.dir),
        id,
        ...(options.step ? { step: options.step } : {}),
        ...(options.into ? { into: resolve(options.into) } : {})
      });
      if (options.json) process.stdout.write(JSON.stringify(result) + '\n');
      else process.stdout.write(describeRestore(result));
    });
}

export function describeRestore(result: RestoreResult): string {
  const names = (list: readonly string[]) => (list.length > 0 ? list.join(', ') : 'none');
  const lines = [
    `Restored step \`${result.step}\` of run ${result.runId} into ${result.folder}`,
    `  notebook:       ${result.notebook}`,
    `  values:         ${names(result.values)}`,
    `  replayed:       ${result.replay.names.length > 0 ? `${names(result.replay.names)} (cells ${result.replay.cells.map(c => c + 1).join(', ')})` : 'none'}`,
    `  not restored:   ${result.notRestored.length > 0 ? '' : 'none'}`,
    ...result.notRestored.map(n => `    ${n.name}: ${n.reason}`),
    'Next: open the notebook in JupyterLab and choose "Restore state".'
  ];
  return lines.join('\n') + '\n';
}
