/**
 * A restored folder built by hand, as `cellflow restore` lays it out (contract §3 of issue 9): the notebook with
 * an imports cell, a functions cell, the parameters, the step, a cell to replay; `.cellflow-restore/state/` saved
 * with the runtime's `saveValues`; and `restore.json`. The tests of the loader need no run and no restore.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { saveValues } from '../../src/runtime/marshal.js';
import type { RestoreRecord } from '../../src/restore-kernel/restore-file.js';
import { notebookJson, type CellSpec, type Kernel } from '../notebooks.js';

export const RESTORED_CELLS: CellSpec[] = [
  [['imports'], "import * as tf from '@tensorflow/tfjs';"],
  [
    ['functions'],
    'interface Scaled<T> {\n  values: T[];\n}\nfunction scale(values: number[], by: number): number[] {\n  return values.map(v => v * by);\n}'
  ],
  [['pipeline-parameters'], 'const units = 3;'],
  [['step:train'], 'const model = tf.sequential();\n// ... the step as the notebook has it'],
  // Replayed: a function made at run time from restored values cannot be saved, so this cell makes it again.
  [[], 'const predictSum = (x: any) => (model.predict(x) as any).sum().dataSync()[0] + count;']
];

/** The same cells as a JavaScript notebook (jslab, ijavascript). */
export const RESTORED_CELLS_JS: CellSpec[] = [
  [['imports'], "import * as tf from '@tensorflow/tfjs';"],
  [['functions'], 'function scale(values, by) {\n  return values.map(v => v * by);\n}'],
  [['pipeline-parameters'], 'const units = 3;'],
  [['step:train'], 'const model = tf.sequential();\n// ... the step as the notebook has it'],
  [[], 'const predictSum = x => model.predict(x).sum().dataSync()[0] + count;']
];

export interface RestoredFolder {
  folder: string;
  record: RestoreRecord;
  /** The saved model and test input, in this process. */
  model: import('@tensorflow/tfjs').LayersModel;
  xTest: import('@tensorflow/tfjs').Tensor;
}

/** Writes a restored folder into `folder` (inside the repository, so tfjs resolves from its node_modules). */
export async function writeRestoredFolder(folder: string, kernel: Kernel = 'tslab'): Promise<RestoredFolder> {
  mkdirSync(folder, { recursive: true });
  const notebook = notebookJson(kernel === 'javascript' ? RESTORED_CELLS_JS : RESTORED_CELLS, kernel) as ReturnType<
    typeof notebookJson
  > & {
    metadata: Record<string, unknown>;
  };
  notebook.metadata.cellflow = {
    restored: { runId: 'run-1', step: 'train', stateFile: '.cellflow-restore/restore.json' }
  };
  writeFileSync(join(folder, 'nb.ipynb'), JSON.stringify(notebook, null, 1));

  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 3, inputShape: [2], activation: 'relu', kernelInitializer: 'glorotUniform' }),
      tf.layers.dense({ units: 1, activation: 'sigmoid' })
    ]
  });
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  const xTest = tf.tensor2d([
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1]
  ]);
  const values = {
    count: 7,
    arr: [1, 2, 3],
    lookup: new Map<string, number>([
      ['a', 1],
      ['b', 2]
    ]),
    weights: new Float32Array([0.5, -1.25, 3]),
    model,
    xTest
  };
  await saveValues(join(folder, '.cellflow-restore', 'state'), values, { step: 'train', consumers: {}, classes: {} });
  const record: RestoreRecord = {
    version: 1,
    runId: 'run-1',
    step: 'train',
    notebook: 'nb.ipynb',
    runtime: kernel === 'deno' ? 'deno' : 'node',
    prelude: [0, 1],
    values: Object.keys(values),
    replay: { cells: [4], names: ['predictSum'] },
    notRestored: [{ name: 'predictSum', reason: 'a function made at run time (recomputed by replaying cell 5)' }]
  };
  writeFileSync(join(folder, '.cellflow-restore', 'restore.json'), JSON.stringify(record, null, 2));
  return { folder, record, model, xTest };
}
