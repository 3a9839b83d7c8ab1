/**
 * The experiments this server is running, by id: each with the AbortController that cancels it and the promise of
 * its end. An experiment another process runs (`cellflow tune`) is not here, so the server never cancels it.
 */
import type { ExperimentRecord } from '../tune/experiment.js';
import type { StartedExperiment } from '../tune/start.js';

interface Running {
  record: ExperimentRecord;
  controller: AbortController;
  done: Promise<ExperimentRecord>;
}

export class RunningExperiments {
  private readonly running = new Map<string, Running>();

  constructor(private readonly log: (line: string) => void) {}

  /**
   * Starts an experiment here with a signal of this server's, and holds it until it ends. A failure of the loop
   * itself is logged; the record says how the experiment ended.
   */
  start(begin: (signal: AbortSignal) => StartedExperiment): ExperimentRecord {
    const controller = new AbortController();
    const started = begin(controller.signal);
    const { record } = started;
    const done = started.done.catch((error: unknown) => {
      this.log(`cellflow: experiment ${record.id} failed: ${error instanceof Error ? error.stack : String(error)}`);
      return record;
    });
    this.running.set(record.id, { record, controller, done });
    void done.finally(() => this.running.delete(record.id));
    return record;
  }

  /** The live record of an experiment running here, or undefined. */
  get(id: string): ExperimentRecord | undefined {
    return this.running.get(id)?.record;
  }

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /** Cancels it and waits for its trials to stop; resolves with the final record (status `cancelled`). */
  async cancel(id: string): Promise<ExperimentRecord | undefined> {
    const entry = this.running.get(id);
    if (!entry) return undefined;
    entry.controller.abort();
    return entry.done;
  }

  /** On server close: every experiment cancelled (resumable), its record saved. */
  async cancelAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map(id => this.cancel(id)));
  }
}
