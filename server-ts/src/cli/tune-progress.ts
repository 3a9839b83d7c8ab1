/**
 * What `cellflow tune` shows while it runs: on a terminal the trial table redrawn in place (log-update, as the run
 * progress does), at most every 100 ms; elsewhere (CI, pipes) one plain line per trial that starts or ends.
 */
import { createLogUpdate } from 'log-update';
import type { ExperimentRecord } from '../tune/experiment.js';
import { experimentHeading, formatTrialTable, trialLine } from './experiment-table.js';

export interface TuneProgress {
  update(record: ExperimentRecord): void;
  /** Draws the last state and leaves it on screen. */
  done(): void;
}

export function tuneProgress(
  stream: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean }
): TuneProgress {
  // A terminal that reports no size (some pseudo-terminals) would get every line cut by log-update: plain lines.
  const rows = (stream as NodeJS.WriteStream).rows ?? 0;
  return stream.isTTY && rows > 0 ? liveTable(stream as NodeJS.WriteStream) : plainLines(stream);
}

/** One line per trial state it has not printed yet (a trial's start, then its end). */
export function plainLines(stream: { write(text: string): unknown }): TuneProgress {
  const shown = new Set<string>();
  return {
    update(record) {
      for (const t of record.trials) {
        const key = `${t.number}:${t.status}`;
        if (shown.has(key)) continue;
        shown.add(key);
        stream.write(trialLine(record, t) + '\n');
      }
    },
    done() {}
  };
}

function liveTable(stream: NodeJS.WriteStream): TuneProgress {
  const draw = createLogUpdate(stream, { showCursor: true });
  let latest: ExperimentRecord | null = null;
  let timer: NodeJS.Timeout | null = null;
  const render = () => {
    timer = null;
    if (latest) draw(`${experimentHeading(latest)}\n${formatTrialTable(latest, undefined)}`);
  };
  return {
    update(record) {
      latest = record;
      timer ??= setTimeout(render, 100);
    },
    done() {
      if (timer) clearTimeout(timer);
      render();
      draw.done();
    }
  };
}
