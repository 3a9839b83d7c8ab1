/** The pure scheduler: what starts, what starts early, what is skipped, from the run's state alone. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextDecision, type SchedulerState } from '../../src/engine/local/scheduler.js';
import type { StepStatus } from '../../src/engine/types.js';

function state(
  deps: Record<string, string[]>,
  statuses: Record<string, StepStatus>,
  processes: Record<string, 'warm' | 'running'>,
  more: Partial<SchedulerState> = {}
): SchedulerState {
  return {
    launchOrder: Object.keys(deps),
    steps: new Map(Object.entries(deps).map(([name, dependencies]) => [name, { dependencies, gpus: 0 }])),
    statuses,
    processes: new Map(Object.entries(processes)),
    concurrency: 2,
    stopping: false,
    gpusFree: () => true,
    ...more
  };
}

test('a warm process never holds the slot a ready step needs', () => {
  // `slow` runs, `after` was started early and fills the second slot; `independent` is ready.
  const s = state(
    { slow: [], after: ['slow'], independent: [] },
    { slow: 'running', after: 'pending', independent: 'pending' },
    { slow: 'running', after: 'warm' }
  );
  assert.deepEqual(nextDecision(s), { action: 'start', step: 'independent' });
});

test('ready steps come before prewarmed ones, whatever the launch order', () => {
  const s = state(
    { slow: [], after: ['slow'], independent: [] },
    { slow: 'running', after: 'pending', independent: 'pending' },
    { slow: 'running' }
  );
  assert.deepEqual(nextDecision(s), { action: 'start', step: 'independent' });
  // With `independent` running, the last slot goes to starting `after` early.
  const later = { ...s, statuses: { ...s.statuses, independent: 'running' as const } };
  assert.equal(nextDecision({ ...later, concurrency: 3 })?.action, 'prewarm');
  assert.equal(
    nextDecision({
      ...later,
      processes: new Map([
        ['slow', 'running'],
        ['independent', 'running']
      ])
    }),
    undefined
  );
});

test('the limit holds for ready steps: running processes fill it', () => {
  const s = state(
    { a: [], b: [], c: [] },
    { a: 'running', b: 'running', c: 'pending' },
    { a: 'running', b: 'running' }
  );
  assert.equal(nextDecision(s), undefined);
});

test('a ready step whose warm process waits is released in place even when the limit is reached', () => {
  const s = state(
    { a: [], b: [], next: ['a'] },
    { a: 'succeeded', b: 'running', next: 'pending' },
    { b: 'running', next: 'warm' },
    { concurrency: 1 }
  );
  assert.deepEqual(nextDecision(s), { action: 'start', step: 'next' });
});

test('a step after a failed, skipped or cancelled one is skipped first', () => {
  const s = state({ a: [], b: ['a'], c: [] }, { a: 'failed', b: 'pending', c: 'pending' }, {});
  assert.deepEqual(nextDecision(s), { action: 'skip', step: 'b', blockedBy: 'a', blockedStatus: 'failed' });
});

test('nothing starts while the run stops, GPU steps wait for devices and never start early', () => {
  const base = state({ a: [], b: ['a'] }, { a: 'running', b: 'pending' }, { a: 'running' }, { concurrency: 4 });
  assert.equal(nextDecision({ ...base, stopping: true }), undefined);
  const gpuStep = { ...base, steps: new Map([...base.steps, ['b', { dependencies: ['a'], gpus: 1 }]]) };
  assert.equal(nextDecision(gpuStep), undefined);
  const ready = state({ g: [] }, { g: 'pending' }, {}, { gpusFree: () => false });
  assert.equal(nextDecision(ready), undefined);
  assert.deepEqual(nextDecision({ ...ready, gpusFree: () => true }), { action: 'start', step: 'g' });
});
