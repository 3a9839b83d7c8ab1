/**
 * `cellflow run <notebook> [--param k=v] [--no-cache] [--step <name>]... [--from <name>] [--json]`: the pipeline on
 * the embedded engine, whole or in part.
 */
import Table from 'cli-table3';
import { InvalidArgumentError, type Command } from 'commander';
import { dirname, join } from 'node:path';
import { compileNotebookFile } from '../../compile/index.js';
import { LocalEngine } from '../../engine/local/engine.js';
import { parseParameterOverrides, resolveParameterValues } from '../../engine/parameter-values.js';
import type { Engine, RunRecord } from '../../engine/types.js';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { reusedFrom, showProgress } from '../run-progress.js';
import { EXIT } from '../report-error.js';

interface RunOptions {
  param: string[];
  cache: boolean;
  json?: boolean;
  concurrency?: number;
  step: string[];
  from?: string;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a notebook as a pipeline on the embedded engine')
    .argument('<notebook>', 'path to the .ipynb file')
    .option('-p, --param <name=value>', 'override a pipeline parameter (repeatable)', collect, [])
    .option('--no-cache', 'run every step even when a cached result exists')
    .option('--json', 'print only a JSON summary on stdout')
    .option('--concurrency <n>', 'how many steps may run at once (default: number of cores)', positiveInteger)
    .option(
      '--step <name>',
      'run just this step (repeatable); the steps it needs come from the cache or a past run with the same cache key',
      collect,
      []
    )
    .option('--from <name>', 'run this step and everything downstream of it; the rest as for --step')
    .action(async (notebook: string, options: RunOptions) => {
      const compiled = await compileNotebookFile(notebook);
      const parameters = resolveParameterValues(compiled.local.plan.parameters, parseParameterOverrides(options.param));
      const engine: Engine = new LocalEngine(dirname(compiled.notebookPath));
      const run = await engine.submit(compiled, {
        parameters,
        useCache: options.cache,
        concurrency: options.concurrency,
        ...(options.step.length > 0 ? { only: options.step } : {}),
        ...(options.from !== undefined ? { from: options.from } : {})
      });

      const cancel = () => void engine.cancel(run.id);
      process.once('SIGINT', cancel);
      process.once('SIGTERM', cancel);
      let progress: Promise<void> = Promise.resolve();
      if (!options.json) {
        // Warnings do not stop a run, but are said first (an untagged notebook running as one step, say).
        for (const d of compiled.analysis.ir.diagnostics.filter(d => d.severity === 'warning'))
          process.stderr.write(formatDiagnostic(d, notebook) + '\n');
        process.stderr.write(`Run ${run.id}: ${compiled.local.plan.steps.length} steps\n`);
        progress = showProgress(engine, run.id, process.stderr);
      }
      // Should the run ever stop without a final record, Node exits when nothing is left to do: not with 0.
      process.exitCode = EXIT.internal;
      const record = await run.done;
      await progress; // it ends with the run's last event
      process.off('SIGINT', cancel);
      process.off('SIGTERM', cancel);

      const runDir = (await engine.get(record.id)).dir ?? '';
      if (options.json) process.stdout.write(JSON.stringify(runSummary(record, runDir)) + '\n');
      else process.stdout.write(formatRun(record, runDir));
      process.exitCode =
        record.status === 'succeeded' ? EXIT.ok : record.status === 'cancelled' ? EXIT.cancelled : EXIT.failed;
    });
}

export function positiveInteger(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('give a whole number of steps, 1 or more.');
  return Number(value);
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function runSummary(record: RunRecord, runDir: string) {
  return {
    runId: record.id,
    status: record.status,
    seconds: record.seconds,
    parameters: record.parameters,
    steps: record.stepOrder.map(name => {
      const s = record.steps[name];
      return {
        name,
        status: s.status,
        seconds: s.seconds ?? null,
        cached: s.cached,
        ...(s.reusedFrom ? { reusedFrom: s.reusedFrom } : {}),
        ...(s.reason ? { reason: s.reason } : {}),
        ...(s.error ? { error: s.error } : {})
      };
    }),
    metrics: record.metrics,
    artifacts: record.artifacts.map(a => join(runDir, a)),
    displays: (record.displays ?? []).map(d => ({ ...d, path: join(runDir, d.path) }))
  };
}

/** Colours only on a terminal: piped output stays plain text. */
export function tableStyle(): { head: string[]; border: string[] } | undefined {
  return process.stdout.isTTY ? undefined : { head: [], border: [] };
}

/** A partial run's reused steps, each with where its result came from. */
function reusedLines(record: RunRecord): string[] {
  const reused = record.stepOrder.filter(name => record.steps[name].reusedFrom);
  if (reused.length === 0) return [];
  return [
    'Reused (results made under the same cache key):',
    ...reused.map(name => `  ${name}: ${reusedFrom(record.steps[name].reusedFrom!)}`)
  ];
}

export function formatRun(record: RunRecord, runDir: string): string {
  const table = new Table({ head: ['step', 'status', 'time', 'cached'], style: tableStyle() });
  for (const name of record.stepOrder) {
    const s = record.steps[name];
    table.push([
      name,
      s.status,
      s.seconds !== undefined ? `${s.seconds.toFixed(2)}s` : '-',
      s.reusedFrom ? 'reused' : s.cached ? 'yes' : ''
    ]);
  }
  const lines = [`Run ${record.id} ${record.status} in ${record.seconds?.toFixed(2)}s`, table.toString()];
  lines.push(...reusedLines(record));
  for (const name of record.stepOrder) {
    const s = record.steps[name];
    if (s.status === 'failed' && s.error) {
      const line = s.error.line !== null ? `, line ${s.error.line}` : '';
      const where = s.error.cellIndex !== null ? ` at notebook cell ${s.error.cellIndex + 1}${line}` : '';
      const code = s.error.code ? ` [${s.error.code}]` : '';
      lines.push(`✖ step ${name} failed${where}${code}: ${s.error.message}`);
      if (s.error.hint) lines.push(`  hint: ${s.error.hint}`);
      lines.push(`  logs: cellflow logs ${record.id} ${name}`);
    }
  }
  const unplanned = record.stepOrder.flatMap(name =>
    (record.steps[name].unplannedWrites ?? []).map(w => `  ${name}: \`${w.name}\` (${w.how}, loaded from ${w.from})`)
  );
  if (unplanned.length > 0) {
    lines.push(
      'Writes the analysis did not see (handed on to downstream steps, and remembered for the next analysis):'
    );
    lines.push(...unplanned);
  }
  if (Object.keys(record.metrics).length > 0) {
    lines.push('Metrics:');
    for (const [k, v] of Object.entries(record.metrics)) lines.push(`  ${k} = ${v}`);
  }
  // Displays are listed with their cell; other files a step wrote come after them.
  const displays = record.displays ?? [];
  const displayed = new Set(displays.map(d => d.path));
  if (displays.length > 0) {
    lines.push('Displays:');
    for (const d of displays) {
      const cell = d.cellIndex === null ? '' : `cell ${d.cellIndex + 1}, `;
      lines.push(`  ${join(runDir, d.path)}  (${d.step}: ${cell}${d.mimeType})`);
    }
  }
  const files = record.artifacts.filter(a => !displayed.has(a));
  if (files.length > 0) {
    lines.push('Artifacts:');
    for (const a of files) lines.push(`  ${join(runDir, a)}`);
  }
  return lines.join('\n') + '\n';
}
