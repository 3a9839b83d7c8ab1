/**
 * Experiments as text: the trial table (drawn live by `cellflow tune`, at its end, and by `cellflow experiments
 * <id>`), the list of experiments, and the plain line per trial change for logs. Pure: records in, strings out.
 */
import Table from 'cli-table3';
import { decodeTime, isValid } from 'ulid';
import type { ExperimentRecord, TrialRecord } from '../tune/experiment.js';

/** cli-table3's style: its colours and borders on a terminal; none in files and pipes. */
export type TableStyle = { head: string[]; border: string[] } | undefined;
export const PLAIN: TableStyle = { head: [], border: [] };

const BEST = '★ best';

export function formatTrialTable(record: ExperimentRecord, style: TableStyle): string {
  const names = record.spec.parameters.map(p => p.name);
  const metric = record.spec.objective.objectiveMetricName;
  const table = new Table({ head: ['trial', ...names, 'status', metric, ''], style });
  for (const t of record.trials)
    table.push([
      String(t.number),
      ...names.map(n => String(t.assignment[n])),
      statusText(t),
      objectiveText(t),
      t.number === record.bestTrial ? BEST : ''
    ]);
  return table.toString();
}

/** A running trial shows how many reports of the objective it made; a stopped one, why. */
function statusText(t: TrialRecord): string {
  if (t.status === 'running' && t.intermediate?.length) return `running (${t.intermediate.length} reports)`;
  if (t.status === 'early-stopped' && t.earlyStop)
    return `early-stopped at ${t.earlyStop.step} (median ${round(t.earlyStop.median)})`;
  return t.status;
}

function objectiveText(t: TrialRecord): string {
  if (t.objective !== null) return String(t.objective);
  const last = t.intermediate?.at(-1);
  return t.status === 'running' && last !== undefined ? `${round(last)}…` : '-';
}

function round(value: number): string {
  return String(Number(value.toPrecision(4)));
}

/** The heading line over the table. */
export function experimentHeading(record: ExperimentRecord): string {
  const done = record.trials.filter(t => t.status !== 'running').length;
  const reason = record.reason ? ` (${record.reason})` : '';
  return `Experiment ${record.id} ${record.status}${reason}: ${record.spec.algorithm.algorithmName}, seed ${record.seed}, ${done}/${record.spec.maxTrialCount} trials`;
}

/** The whole experiment: heading, table, and how to resume a cancelled one. */
export function formatExperiment(record: ExperimentRecord, style: TableStyle): string {
  const lines = [experimentHeading(record), formatTrialTable(record, style)];
  if (record.status === 'cancelled')
    lines.push(`Resume with: cellflow tune ${record.notebookPath} --resume ${record.id}`);
  return lines.join('\n') + '\n';
}

/** One line for a trial that changed, for logs (no redrawing). */
export function trialLine(record: ExperimentRecord, t: TrialRecord): string {
  const metric = record.spec.objective.objectiveMetricName;
  const values = Object.entries(t.assignment)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  const objective = t.objective !== null ? ` ${metric}=${t.objective}` : '';
  const why = t.error
    ? `: ${t.error}`
    : t.earlyStop
      ? ` at report ${t.earlyStop.step}, median ${t.earlyStop.median}`
      : '';
  const best = t.number === record.bestTrial ? ' (best so far)' : '';
  return `trial ${t.number} ${t.status}${objective}${why}${best} [${values}]`;
}

/** When it started: the record's time, else the time in its id (a ULID). */
export function startedAt(record: ExperimentRecord): string {
  if (record.startedAt) return record.startedAt;
  return isValid(record.id) ? new Date(decodeTime(record.id)).toISOString() : '-';
}

/** What `cellflow experiments` lists of one experiment (also its `--json`). */
export function experimentSummaryRow(record: ExperimentRecord) {
  const best = record.bestTrial === null ? null : record.trials[record.bestTrial];
  return {
    id: record.id,
    notebook: record.notebookPath,
    algorithm: record.spec.algorithm.algorithmName,
    status: record.status,
    reason: record.reason,
    trialsDone: record.trials.filter(t => t.status !== 'running').length,
    maxTrials: record.spec.maxTrialCount,
    bestTrial: record.bestTrial,
    bestObjective: best?.objective ?? null,
    bestParameters: best?.assignment ?? null,
    startedAt: startedAt(record)
  };
}

export function formatExperimentList(records: readonly ExperimentRecord[], style: TableStyle): string {
  const table = new Table({
    head: ['experiment', 'notebook', 'algorithm', 'status', 'trials', 'best', 'best parameters', 'started'],
    style
  });
  for (const r of records) {
    const row = experimentSummaryRow(r);
    table.push([
      row.id,
      row.notebook.replace(/^.*[\\/]/, ''),
      row.algorithm,
      row.status,
      `${row.trialsDone}/${row.maxTrials}`,
      row.bestObjective === null ? '-' : `${r.spec.objective.objectiveMetricName}=${row.bestObjective}`,
      row.bestParameters
        ? Object.entries(row.bestParameters)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(' ')
        : '-',
      row.startedAt
    ]);
  }
  return table.toString() + '\n';
}
