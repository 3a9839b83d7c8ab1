/** Small runs for the tests: the shape of examples/xor.ipynb's pipeline. */
import type { RunView, SequencedRunEvent, StepRecord } from '../api/types';

export const XOR_STEPS = ['generate', 'scatter_plot', 'train_linear', 'train_hidden', 'training_plots', 'evaluate'];

export const XOR_DEPENDENCIES: Record<string, string[]> = {
  generate: [],
  scatter_plot: ['generate'],
  train_linear: ['generate'],
  train_hidden: ['generate'],
  training_plots: ['train_linear', 'train_hidden'],
  evaluate: ['train_linear', 'train_hidden']
};

export function pendingRun(id = '01JRUN'): RunView {
  const steps: Record<string, StepRecord> = {};
  for (const name of XOR_STEPS) {
    steps[name] = { status: 'pending', cached: false, attempts: 0 };
  }
  return {
    version: 1,
    id,
    notebookPath: 'xor.ipynb',
    status: 'running',
    pid: 1,
    startedAt: '2026-12-03T12:00:00.000Z',
    parameters: { epochs: 2 },
    stepOrder: [...XOR_STEPS],
    steps,
    metrics: {},
    artifacts: [],
    displays: []
  };
}

export function sequenced(runId: string, seq: number, event: SequencedRunEvent['event']): SequencedRunEvent {
  return { runId, seq, event };
}
