/**
 * A run's events, one JSON line each in `events.jsonl` with a sequence number counting from 1. The owner
 * appends; anyone (this process or another) replays the file from any sequence number and follows it as it
 * grows, so a late subscriber or a reconnecting client misses nothing and sees nothing twice.
 */
import { closeSync, openSync, readFileSync, watch, writeSync, type FSWatcher } from 'node:fs';
import { open } from 'node:fs/promises';
import type { RunEvent, SequencedRunEvent } from '../types.js';

export const EVENTS_FILE = 'events.jsonl';

export class EventLogWriter {
  private readonly fd: number;
  private seq: number;

  constructor(
    file: string,
    private readonly runId: string
  ) {
    this.seq = lastSeq(file);
    this.fd = openSync(file, 'a');
  }

  /** Appends the event; throws when it cannot be written (a full disk), and then it takes no number. */
  append(event: RunEvent): SequencedRunEvent {
    const sequenced: SequencedRunEvent = { runId: this.runId, seq: this.seq + 1, event };
    writeSync(this.fd, JSON.stringify(sequenced) + '\n');
    this.seq += 1;
    return sequenced;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** The last sequence number the file holds (0 when it holds none or does not exist). */
export function lastSeq(file: string): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return 0;
  }
  let seq = 0;
  for (const line of text.split('\n')) {
    const event = parseLine(line);
    if (event && event.seq > seq) seq = event.seq;
  }
  return seq;
}

export interface FollowOptions {
  signal?: AbortSignal;
  /** True once no more events can come (the run ended, or no engine owns it any more). */
  ended: () => boolean;
  /** How often the file is looked at when no change is heard (fs.watch can miss changes). */
  pollMs?: number;
}

/**
 * The events after `afterSeq`: those the file holds, then new ones as they are appended, until `run-finished`
 * is read, `ended()` says no more can come (the file is read once more, to the end), or the signal aborts.
 */
/** Reads of the log after its run ended, a poll apart, before a follower gives up on `run-finished`. */
const FINAL_READS = 5;

export async function* followEventLog(
  file: string,
  afterSeq: number,
  options: FollowOptions
): AsyncGenerator<SequencedRunEvent> {
  const { signal } = options;
  let seen = afterSeq;
  let offset = 0;
  let partial = Buffer.alloc(0);
  let wake: (() => void) | undefined;
  let watcher: FSWatcher | undefined;
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    // After the run has ended, the log is read a few more times: the engine writes the final record just before it
    // appends `run-finished`, so a follower that saw the record end may not have the event yet.
    for (let afterEnd = -1; !signal?.aborted;) {
      const chunk = await readFrom(file, offset);
      offset += chunk.length;
      const lines = Buffer.concat([partial, chunk]);
      const end = lines.lastIndexOf(0x0a);
      partial = end < 0 ? lines : lines.subarray(end + 1); // a line still being written waits for its end
      if (end >= 0) {
        for (const line of lines.subarray(0, end).toString('utf8').split('\n')) {
          const event = parseLine(line);
          if (!event || event.seq <= seen) continue;
          seen = event.seq;
          yield event;
          if (event.event.type === 'run-finished' || signal?.aborted) return;
        }
      }
      if (chunk.length > 0) continue;
      if (afterEnd === 0) return;
      if (afterEnd > 0) afterEnd--;
      else if (options.ended()) {
        afterEnd = FINAL_READS; // what was appended as it ended is read again, a few polls long
        continue;
      }
      watcher ??= watchFile(file, () => wake?.());
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, options.pollMs ?? 200);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    watcher?.close();
  }
}

async function readFrom(file: string, offset: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return Buffer.alloc(0); // not made yet
  }
  try {
    const { size } = await handle.stat();
    if (size <= offset) return Buffer.alloc(0);
    const buffer = Buffer.alloc(size - offset);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** fs.watch where it works; polling alone where it does not (some network file systems). */
function watchFile(file: string, onChange: () => void): FSWatcher | undefined {
  try {
    const watcher = watch(file, { persistent: false }, onChange);
    watcher.on('error', () => watcher.close());
    return watcher;
  } catch {
    return undefined;
  }
}

function parseLine(line: string): SequencedRunEvent | undefined {
  if (line.trim() === '') return undefined;
  try {
    const parsed = JSON.parse(line) as SequencedRunEvent;
    return typeof parsed?.seq === 'number' && typeof parsed.event?.type === 'string' ? parsed : undefined;
  } catch {
    return undefined; // torn by a kill mid-write: the events before and after it still count
  }
}
