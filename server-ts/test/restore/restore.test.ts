/**
 * `cellflow restore` on real runs of the embedded engine: the folder holds the workspace as of the run, the
 * notebook carries the run's parameters, the state decodes to what the step held, and refusals are coded.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { readParameters } from '../../src/analyze/parameters.js';
import { compileNotebookFile } from '../../src/compile/index.js';
import type { CellflowError } from '../../src/diagnostics/diagnostic.js';
import { LocalEngine } from '../../src/engine/local/engine.js';
import { cellSource } from '../../src/notebook/nbformat.js';
import { restoreRun, type RestoreFile } from '../../src/restore/index.js';
import { loadValues, savedValueNames } from '../../src/runtime/marshal.js';
import { StoreLayout } from '../../src/snapshots/store-layout.js';
import { ExperimentFiles } from '../../src/tune/experiment-store.js';
import { newExperiment, runExperiment } from '../../src/tune/experiment.js';
import { readExperimentSpec } from '../../src/tune/spec.js';
import { makeWorkspace, writeNotebook } from '../notebooks.js';

const codeOf = (error: unknown) => (error as CellflowError).diagnostic?.code;
const tricky = 'say "hi" ${n} `tick` \\ done';

const cells: [string[], string][] = [
  [['pipeline-parameters'], 'const label = "plain";\nconst n = 3;'],
  [
    ['step:data'],
    'const rows = Array.from({ length: n }, (_, i) => i * 2);\nconst scratch = { seen: rows.length, label };'
  ],
  [
    ['step:train', 'prev:data'],
    'if (n < 0) throw new Error("negative");\nconst total = rows.reduce((a, b) => a + b, 0);'
  ],
  [[], 'const f = v => v + total;'],
  [[], 'const shifted = rows.map(f);'],
  [[], 'const g = () => 1;\nconst counter = { c: shifted.length };'],
  [['pipeline-metrics'], 'total']
];

async function runNotebook() {
  const dir = makeWorkspace('restore-');
  const path = writeNotebook(dir, 'flow.ipynb', cells);
  writeFileSync(join(dir, 'data.txt'), 'as the run saw it');
  const compiled = await compileNotebookFile(path);
  const engine = new LocalEngine(dir);
  const run = await (await engine.submit(compiled, { parameters: { label: tricky, n: 3 } })).done;
  assert.equal(run.status, 'succeeded');
  writeFileSync(join(dir, 'data.txt'), 'edited after the run');
  return { dir, path, compiled, engine, run };
}

async function decode(stateDir: string): Promise<Record<string, unknown>> {
  const { names } = savedValueNames(stateDir);
  return loadValues(stateDir, names, { step: 'state', consumer: 'test', classes: {} });
}

test('the last step: files as of the run, the run parameters as literals, the state, a replay plan', async () => {
  const { dir, run } = await runNotebook();
  const result = await restoreRun({ workspace: dir, id: run.id });
  assert.equal(result.step, 'train');
  assert.equal(result.folder, join(dir, 'restored', `flow-${run.id.slice(0, 10)}-train`));
  assert.equal(readFileSync(join(result.folder, 'data.txt'), 'utf8'), 'as the run saw it');

  const notebook = JSON.parse(readFileSync(result.notebook, 'utf8'));
  const { parameters, diagnostics } = readParameters(0, cellSource(notebook.cells[0]), 'typescript');
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    parameters.map(p => [p.name, p.default]),
    [
      ['label', tricky],
      ['n', 3]
    ]
  );
  assert.deepEqual(notebook.metadata.cellflow.restored, {
    runId: run.id,
    step: 'train',
    stateFile: '.cellflow-restore/restore.json'
  });

  const state = await decode(join(result.folder, '.cellflow-restore', 'state'));
  assert.deepEqual(state, { rows: [0, 2, 4], total: 6, shifted: [6, 8, 10], counter: { c: 3 } });
  const file = JSON.parse(
    readFileSync(join(result.folder, '.cellflow-restore', 'restore.json'), 'utf8')
  ) as RestoreFile;
  assert.equal(file.version, 1);
  assert.equal(file.runtime, 'node');
  assert.deepEqual(file.prelude, [0]);
  assert.deepEqual(file.values, ['counter', 'rows', 'shifted', 'total']);
  assert.deepEqual(file.replay, { cells: [3], names: ['f'] });
  assert.deepEqual(
    file.notRestored.map(n => n.name),
    ['g']
  );
  assert.match(file.notRestored[0]!.reason, /run cell 6 yourself: it also changes `counter`/);
});

test('a middle step, and the refusals: unknown run, step not succeeded, non-empty target, corrupted object', async () => {
  const { dir, compiled, engine, run } = await runNotebook();
  const middle = await restoreRun({ workspace: dir, id: run.id, step: 'data' });
  const state = await decode(join(middle.folder, '.cellflow-restore', 'state'));
  assert.deepEqual(state, { rows: [0, 2, 4], scratch: { seen: 3, label: tricky } });
  assert.deepEqual(middle.replay, { cells: [], names: [] });

  await assert.rejects(restoreRun({ workspace: dir, id: '01NOSUCHRUN' }), e => codeOf(e) === 'unknown-run');
  await assert.rejects(restoreRun({ workspace: dir, id: run.id, step: 'nope' }), e => codeOf(e) === 'unknown-step');
  const failed = await (await engine.submit(compiled, { parameters: { label: 'x', n: -1 } })).done;
  assert.equal(failed.steps.train!.status, 'failed');
  await assert.rejects(
    restoreRun({ workspace: dir, id: failed.id, step: 'train' }),
    e => codeOf(e) === 'restore-step-not-succeeded'
  );
  assert.equal((await restoreRun({ workspace: dir, id: failed.id })).step, 'data');

  const full = join(dir, 'full');
  mkdirSync(full);
  writeFileSync(join(full, 'keep.txt'), 'mine');
  await assert.rejects(
    restoreRun({ workspace: dir, id: run.id, into: full }),
    e => codeOf(e) === 'restore-target-not-empty'
  );
  assert.equal(readFileSync(join(full, 'keep.txt'), 'utf8'), 'mine');

  const objects = new StoreLayout(dir).objectsDir();
  for (const shard of readdirSync(objects)) {
    for (const object of readdirSync(join(objects, shard))) {
      const at = join(objects, shard, object);
      if (readFileSync(at, 'utf8') !== 'as the run saw it') continue;
      chmodSync(at, 0o644);
      writeFileSync(at, 'as the run saw iT');
    }
  }
  const into = join(dir, 'again');
  await assert.rejects(restoreRun({ workspace: dir, id: run.id, into }), (e: unknown) => {
    assert.equal(codeOf(e), 'snapshot-object-corrupt');
    assert.match((e as Error).message, /`data\.txt`/);
    return true;
  });
  assert.ok(!existsSync(into));
});

test("an experiment restores its best trial's run", async () => {
  const dir = makeWorkspace('restore-exp-');
  const path = writeNotebook(dir, 'tune.ipynb', [
    [['pipeline-parameters'], 'const x = 0;'],
    [['step:score'], 'const loss = (x - 4) ** 2;\nconst seen = [x];'],
    [['pipeline-metrics'], 'loss']
  ]);
  const json = JSON.parse(readFileSync(path, 'utf8'));
  json.metadata.cellflow = {
    katib_metadata: {
      objective: { type: 'minimize', objectiveMetricName: 'loss' },
      algorithm: { algorithmName: 'grid' },
      parallelTrialCount: 1,
      parameters: [{ name: 'x', parameterType: 'discrete', feasibleSpace: { list: ['2', '4', '6'] } }]
    }
  };
  writeFileSync(path, JSON.stringify(json));
  const compiled = await compileNotebookFile(path);
  const { spec } = readExperimentSpec(compiled.analysis.ir.settings.katib_metadata, compiled.analysis.ir);
  const record = await runExperiment(newExperiment('exp-best', path, spec!, 0), {
    engine: new LocalEngine(dir),
    compiled,
    baseParameters: { x: 0 },
    store: new ExperimentFiles(join(dirname(path), '.cellflow')),
    concurrency: 1
  });
  assert.equal(record.bestTrial, 1);
  const result = await restoreRun({ workspace: dir, id: 'exp-best' });
  assert.equal(result.runId, record.trials[1]!.runId);
  const file = JSON.parse(
    readFileSync(join(result.folder, '.cellflow-restore', 'restore.json'), 'utf8')
  ) as RestoreFile;
  assert.equal(file.experimentId, 'exp-best');
  assert.equal(file.trial, 1);
  const state = await decode(join(result.folder, '.cellflow-restore', 'state'));
  assert.deepEqual(state, { loss: 0, seen: [4] });

  const none = makeWorkspace('restore-none-');
  new ExperimentFiles(join(none, '.cellflow')).save({ ...record, id: 'exp-none', trials: [], bestTrial: null });
  await assert.rejects(
    restoreRun({ workspace: none, id: 'exp-none' }),
    e => codeOf(e) === 'experiment-has-no-best-trial'
  );
});

test("a cache hit's step restores from the state its entry carries; CELLFLOW_STEP_STATE=off saves none", async () => {
  const { dir, path, compiled, engine, run } = await runNotebook();
  const unsaved = JSON.parse(
    readFileSync(join(dir, '.cellflow', 'runs', run.id, 'steps', 'train', 'state', 'unsaved.json'), 'utf8')
  );
  assert.deepEqual(
    unsaved.map((u: { name: string; cell: number }) => [u.name, u.cell]),
    [
      ['f', 3],
      ['g', 5]
    ]
  );
  assert.match(unsaved[0].reason, /function/);

  // The workspace as the first run saw it (any changed file would change every step's key: frozen runs).
  writeFileSync(join(dir, 'data.txt'), 'as the run saw it');
  const again = await (await engine.submit(compiled, { parameters: { label: tricky, n: 3 } })).done;
  assert.equal(again.steps.data!.cached, true);
  const hit = await restoreRun({ workspace: dir, id: again.id, step: 'data' });
  assert.deepEqual(await decode(join(hit.folder, '.cellflow-restore', 'state')), {
    rows: [0, 2, 4],
    scratch: { seen: 3, label: tricky }
  });

  process.env.CELLFLOW_STEP_STATE = 'off';
  try {
    const plain = await (
      await engine.submit(await compileNotebookFile(path), { parameters: { label: 'y', n: 1 } })
    ).done;
    assert.equal(plain.status, 'succeeded');
    assert.ok(!existsSync(join(dir, '.cellflow', 'runs', plain.id, 'steps', 'train', 'state')));
    await assert.rejects(restoreRun({ workspace: dir, id: plain.id }), e => codeOf(e) === 'restore-step-files-missing');
  } finally {
    delete process.env.CELLFLOW_STEP_STATE;
  }
});
