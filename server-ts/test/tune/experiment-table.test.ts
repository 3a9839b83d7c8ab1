/** The trial table and the plain per-trial lines `cellflow tune` prints (pure renderers, fixed records). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeTime } from 'ulid';
import { PLAIN, experimentSummaryRow, formatExperimentList, formatTrialTable } from '../../src/cli/experiment-table.js';
import { plainLines } from '../../src/cli/tune-progress.js';
import type { ExperimentRecord, TrialRecord } from '../../src/tune/experiment.js';

const trial = (number: number, lr: number, status: TrialRecord['status'], objective: number | null): TrialRecord => ({
  number,
  assignment: { learning_rate: lr, hidden_units: 4 },
  status,
  runId: `r${number}`,
  objective,
  metrics: {}
});

function record(trials: TrialRecord[], bestTrial: number | null): ExperimentRecord {
  return {
    version: 1,
    id: '01JD0000000000000000000000',
    notebookPath: '/w/xor.ipynb',
    spec: {
      objective: { type: 'minimize', goal: null, objectiveMetricName: 'loss', additionalMetricNames: [] },
      algorithm: { algorithmName: 'grid', algorithmSettings: [], seed: 3, nStartupTrials: 10, nEiCandidates: 24 },
      parameters: [
        { name: 'learning_rate', parameterType: 'discrete', list: [0.1, 0.01, 0.5] },
        { name: 'hidden_units', parameterType: 'discrete', list: [4] }
      ],
      parallelTrialCount: 2,
      maxTrialCount: 4,
      maxFailedTrialCount: null
    },
    seed: 3,
    status: 'running',
    trials,
    bestTrial
  };
}

/** The table's cells, row by row (border lines left out). */
const rows = (text: string) =>
  text
    .split('\n')
    .filter(line => line.startsWith('│'))
    .map(line =>
      line
        .split('│')
        .slice(1, -1)
        .map(cell => cell.trim())
    );

test('the table: a row per trial with its values, status and objective, the best marked', () => {
  const running = { ...trial(2, 0.5, 'running', null), intermediate: [0.9, 0.7] };
  const stopped = { ...trial(3, 0.01, 'early-stopped', 0.8), earlyStop: { step: 4, best: 0.8, median: 0.31234 } };
  const text = formatTrialTable(
    record([trial(0, 0.1, 'succeeded', 0.25), trial(1, 0.01, 'failed', null), running, stopped], 0),
    PLAIN
  );
  assert.deepEqual(rows(text), [
    ['trial', 'learning_rate', 'hidden_units', 'status', 'loss', ''],
    ['0', '0.1', '4', 'succeeded', '0.25', '★ best'],
    ['1', '0.01', '4', 'failed', '-', ''],
    ['2', '0.5', '4', 'running (2 reports)', '0.7…', ''],
    ['3', '0.01', '4', 'early-stopped at 4 (median 0.3123)', '0.8', '']
  ]);
});

test('plain lines: one per trial state, each printed once, the best said', () => {
  const out: string[] = [];
  const progress = plainLines({ write: (text: string) => out.push(text) });
  const first = record([trial(0, 0.1, 'running', null), trial(1, 0.01, 'running', null)], null);
  progress.update(first);
  progress.update(first);
  const later = record([trial(0, 0.1, 'succeeded', 0.25), trial(1, 0.01, 'running', null)], 0);
  progress.update(later);
  progress.done();
  assert.deepEqual(out, [
    'trial 0 running [learning_rate=0.1 hidden_units=4]\n',
    'trial 1 running [learning_rate=0.01 hidden_units=4]\n',
    'trial 0 succeeded loss=0.25 (best so far) [learning_rate=0.1 hidden_units=4]\n'
  ]);
});

test('the experiment list: trials done of the budget, the best and its parameters, the start', () => {
  const r = record([trial(0, 0.1, 'succeeded', 0.25), trial(1, 0.5, 'running', null)], 0);
  const summary = experimentSummaryRow(r);
  assert.equal(summary.trialsDone, 1);
  assert.equal(summary.maxTrials, 4);
  assert.deepEqual(summary.bestParameters, { learning_rate: 0.1, hidden_units: 4 });
  // No startedAt in the record: the time in the ULID.
  assert.match(summary.startedAt, /^\d{4}-\d\d-\d\dT/);
  const [head, row] = rows(formatExperimentList([r], PLAIN));
  assert.deepEqual(head, [
    'experiment',
    'notebook',
    'algorithm',
    'status',
    'trials',
    'best',
    'best parameters',
    'started'
  ]);
  assert.equal(row[7], new Date(decodeTime(r.id)).toISOString());
  assert.deepEqual(row.slice(0, 7), [
    r.id,
    'xor.ipynb',
    'grid',
    'running',
    '1/4',
    'loss=0.25',
    'learning_rate=0.1 hidden_units=4'
  ]);
});
