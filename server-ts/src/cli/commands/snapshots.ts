/** `cellflow snapshots`, `cellflow pin`, `cellflow unpin`, `cellflow gc`: the workspace snapshot store. */
import Table from 'cli-table3';
import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { gc, listSnapshots, pin, unpin } from '../../snapshots/index.js';
import { tableStyle } from './run.js';

/** A notebook path means its folder; a folder is taken as is (the workspace holding `.cellflow`). */
function workspaceOf(where: string): string {
  const path = resolve(where);
  return existsSync(path) && statSync(path).isDirectory() ? path : dirname(path);
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function registerSnapshots(program: Command): void {
  program
    .command('snapshots')
    .description('list the workspace snapshots (newest first)')
    .argument('[where]', 'a notebook or the folder holding its .cellflow state', '.')
    .option('--json', 'print them as JSON')
    .action((where: string, options: { json?: boolean }) => {
      const snapshots = listSnapshots(workspaceOf(where));
      if (options.json) {
        process.stdout.write(JSON.stringify(snapshots, null, 2) + '\n');
        return;
      }
      for (const s of snapshots) if (s.damaged) process.stderr.write(formatDiagnostic(s.damaged) + '\n');
      const good = snapshots.filter(s => !s.damaged);
      if (good.length === 0) {
        process.stdout.write('No snapshots yet: a run takes one before it starts.\n');
        return;
      }
      const table = new Table({ head: ['snapshot', 'taken', 'files', 'size', 'pinned'], style: tableStyle() });
      for (const s of good)
        table.push([s.id.slice(0, 16), s.createdAt, String(s.files), megabytes(s.bytesTotal), s.pinned ? 'yes' : '']);
      process.stdout.write(table.toString() + '\n');
    });

  program
    .command('pin')
    .description('keep a snapshot whatever references it (`cellflow gc` never removes it)')
    .argument('<snapshot>', 'snapshot id, or a unique prefix of one (see `cellflow snapshots`)')
    .option('--dir <where>', 'a notebook or the folder holding its .cellflow state', '.')
    .option('--json', 'print the pinned id as JSON')
    .action((snapshot: string, options: { dir: string; json?: boolean }) => {
      const id = pin(workspaceOf(options.dir), snapshot);
      process.stdout.write(options.json ? JSON.stringify({ pinned: id }) + '\n' : `Pinned ${id}.\n`);
    });

  program
    .command('unpin')
    .description('let `cellflow gc` remove a snapshot again once nothing references it')
    .argument('<snapshot>', 'snapshot id, or a unique prefix of one')
    .option('--dir <where>', 'a notebook or the folder holding its .cellflow state', '.')
    .action((snapshot: string, options: { dir: string }) => {
      const id = unpin(workspaceOf(options.dir), snapshot);
      process.stdout.write(`Unpinned ${id}.\n`);
    });

  program
    .command('gc')
    .description('remove snapshots no run, experiment or pin references, and the files only they held')
    .argument('[where]', 'a notebook or the folder holding its .cellflow state', '.')
    .option('--dry-run', 'only say what would be removed')
    .option('--json', 'print the report as JSON')
    .action((where: string, options: { dryRun?: boolean; json?: boolean }) => {
      const report = gc(workspaceOf(where), { dryRun: options.dryRun });
      if (options.json) {
        process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        return;
      }
      const verb = report.dryRun ? 'Would remove' : 'Removed';
      process.stdout.write(
        `${verb} ${report.removedSnapshots.length} snapshot(s) and ${report.removedObjects} stored file(s) (${megabytes(report.removedBytes)}); kept ${report.kept.length} referenced snapshot(s)` +
          (report.young > 0 ? ` and ${report.young} taken in the last hour` : '') +
          '.\n'
      );
      for (const id of report.removedSnapshots)
        process.stdout.write(`  ${report.dryRun ? 'would remove' : 'removed'} ${id}\n`);
    });
}
