/**
 * Live progress of a run: spinners redrawn in place on a terminal, one plain
 * line per change otherwise (CI logs, pipes).
 */
import { createLogUpdate } from 'log-update';
import type { LocalRun } from '../engine/local/engine.js';
import type { RunEvent, StepStatus } from '../engine/types.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const SYMBOL: Record<StepStatus, string> = {
  pending: '·',
  running: '',
  succeeded: '✔',
  failed: '✖',
  skipped: '↷',
  cancelled: '■'
};

export function showProgress(run: LocalRun, stream: NodeJS.WriteStream): void {
  if (stream.isTTY) showSpinners(run, stream);
  else showLines(run, stream);
}

function describe(run: LocalRun, step: string): string {
  const state = run.record.steps[step];
  const time = state.seconds !== undefined ? ` ${state.seconds.toFixed(1)}s` : '';
  const extra = state.cached ? ' (cached)' : state.reason ? ` (${state.reason})` : '';
  return `${step} ${state.status}${time}${extra}`;
}

function showLines(run: LocalRun, stream: NodeJS.WriteStream): void {
  run.on('event', (event: RunEvent) => {
    if (event.type === 'step-started')
      stream.write(`▶ ${event.step} started${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}\n`);
    if (event.type === 'step-finished') stream.write(`${SYMBOL[event.record.status]} ${describe(run, event.step)}\n`);
  });
}

function showSpinners(run: LocalRun, stream: NodeJS.WriteStream): void {
  const draw = createLogUpdate(stream, { showCursor: true });
  let frame = 0;
  const render = () => {
    frame = (frame + 1) % SPINNER.length;
    const lines = run.record.stepOrder.map(step => {
      const status = run.record.steps[step].status;
      const symbol = status === 'running' ? SPINNER[frame] : SYMBOL[status];
      return `${symbol} ${describe(run, step)}`;
    });
    draw(lines.join('\n'));
  };
  const timer = setInterval(render, 80);
  run.on('event', event => {
    if (event.type !== 'run-finished') return;
    clearInterval(timer);
    render();
    draw.done();
  });
}
