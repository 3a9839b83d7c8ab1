/**
 * Live progress of a run, from the engine's events: spinners redrawn in place on a terminal, one plain line
 * per change otherwise (CI logs, pipes).
 */
import { createLogUpdate } from 'log-update';
import { applyRunEvent } from '../engine/run-view.js';
import type { Engine, ReusedFrom, RunRecord, StepStatus } from '../engine/types.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const SYMBOL: Record<StepStatus, string> = {
  pending: '·',
  running: '',
  succeeded: '✔',
  failed: '✖',
  skipped: '↷',
  cancelled: '■'
};

/** Resolves once the run's last event is shown (or `signal` aborts). */
export async function showProgress(
  engine: Engine,
  runId: string,
  stream: NodeJS.WriteStream,
  signal?: AbortSignal
): Promise<void> {
  let record: RunRecord = await engine.get(runId);
  const spinners = stream.isTTY ? spinnerView(() => record, stream) : undefined;
  try {
    for await (const { event } of engine.events(runId, 0, signal)) {
      record = applyRunEvent(record, event);
      if (spinners) continue;
      if (event.type === 'step-started')
        stream.write(`▶ ${event.step} started${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}\n`);
      if (event.type === 'step-finished')
        stream.write(`${SYMBOL[event.record.status]} ${describe(record, event.step)}\n`);
    }
  } finally {
    spinners?.done();
  }
}

function describe(record: RunRecord, step: string): string {
  const state = record.steps[step];
  const time = state.seconds !== undefined ? ` ${state.seconds.toFixed(1)}s` : '';
  const extra = state.reusedFrom
    ? ` (${reusedFrom(state.reusedFrom)})`
    : state.cached
      ? ' (cached)'
      : state.reason
        ? ` (${state.reason})`
        : '';
  return `${step} ${state.status}${time}${extra}`;
}

/** Where a partial run took a step's result from, in words. */
export function reusedFrom(from: ReusedFrom): string {
  return from.source === 'cache' ? 'reused from the cache' : `reused from run ${from.runId}`;
}

function spinnerView(current: () => RunRecord, stream: NodeJS.WriteStream) {
  const draw = createLogUpdate(stream, { showCursor: true });
  let frame = 0;
  const render = () => {
    frame = (frame + 1) % SPINNER.length;
    const record = current();
    const lines = record.stepOrder.map(step => {
      const status = record.steps[step].status;
      const symbol = status === 'running' ? SPINNER[frame] : SYMBOL[status];
      return `${symbol} ${describe(record, step)}`;
    });
    draw(lines.join('\n'));
  };
  const timer = setInterval(render, 80);
  return {
    done() {
      clearInterval(timer);
      render();
      draw.done();
    }
  };
}
