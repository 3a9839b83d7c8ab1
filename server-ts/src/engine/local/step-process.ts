/**
 * One step's process: its context file, the process itself (always with an IPC channel: a warm step hears
 * its inputs over it, and every step watches it to die with its engine), its logs, its timeout and its end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import writeFileAtomic from 'write-file-atomic';
import type { StepContextFile } from '../../runtime/step-context.js';
import { ARTIFACTS_DIR_ENV, STEP_CONTEXT_ENV, WAIT_FOR_INPUTS_ENV } from '../../runtime/step-context.js';
import { LongTimer } from './long-timer.js';

export interface StepPaths {
  dir: string;
  outputsDir: string;
  artifactsDir: string;
  metricsFile: string;
  errorFile: string;
  resultFile: string;
  contextFile: string;
  /** Written by the step: what it displayed, by cell (runtime/displays.ts). */
  displaysFile: string;
  /** Written by the engine: the files the step wrote into the run's copy of the workspace (written-files.ts). */
  writtenDir: string;
  /** Written by the step: the rest of what it holds at its end (runtime/step-state.ts). */
  stateDir: string;
}

export function stepPaths(dir: string): StepPaths {
  return {
    dir,
    outputsDir: join(dir, 'outputs'),
    artifactsDir: join(dir, 'artifacts'),
    metricsFile: join(dir, 'metrics.json'),
    errorFile: join(dir, 'error.json'),
    resultFile: join(dir, 'result.json'),
    contextFile: join(dir, 'context.json'),
    displaysFile: join(dir, 'displays.jsonl'),
    writtenDir: join(dir, 'workspace-files'),
    stateDir: join(dir, 'state')
  };
}

export interface StepLaunch {
  paths: StepPaths;
  context: StepContextFile;
  /** The command that runs the step program: the runtime's executable and its arguments. */
  command: readonly [string, ...string[]];
  cwd: string;
  env: Record<string, string>;
  /** Started before its inputs exist: it runs its prelude, then waits to be released. */
  warm: boolean;
}

export interface StepExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The process could not be started at all. */
  spawnError?: Error;
  timedOut: boolean;
  /** The end of what it wrote to stderr (the runtime's own fatal errors, such as running out of memory, are there). */
  stderrTail: string;
}

/** How much of the end of stderr is kept to explain a death. */
const STDERR_TAIL_BYTES = 16 * 1024;

export class StepProcess {
  readonly child: ChildProcess;
  /** Told to run (a warm process is not, until its step is ready). */
  released: boolean;
  /** Stopped because the step turned out cached, skipped or cancelled before it ran. */
  discarded = false;
  /** How it ended, once its pipes are drained and its logs written. */
  exit?: StepExit;
  private timedOut = false;
  private timer?: LongTimer;
  private stderrTail = '';
  private readonly ended: ((exit: StepExit) => void)[] = [];

  constructor(
    private readonly launch: StepLaunch,
    onLine: (stream: 'stdout' | 'stderr', line: string) => void
  ) {
    const { paths } = launch;
    rmSync(paths.dir, { recursive: true, force: true }); // a retry starts clean
    mkdirSync(paths.outputsDir, { recursive: true });
    mkdirSync(paths.artifactsDir, { recursive: true });
    writeFileAtomic.sync(paths.contextFile, JSON.stringify(launch.context, null, 2) + '\n');
    this.released = !launch.warm;
    const [file, ...args] = launch.command;
    this.child = spawn(file, args, {
      cwd: launch.cwd,
      env: {
        ...process.env,
        ...launch.env,
        [STEP_CONTEXT_ENV]: paths.contextFile,
        [ARTIFACTS_DIR_ENV]: paths.artifactsDir,
        [WAIT_FOR_INPUTS_ENV]: launch.warm ? '1' : ''
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc']
    });
    const logsWritten = this.pipeLogs(onLine);
    // 'close': the child's pipes are drained; then its log files are written out before anyone hears of its end.
    this.child.on('close', (code, signal) => void logsWritten.then(() => this.end({ code, signal })));
    // Only a failed start ends the process here; a failed kill or send leaves it running, and 'close' follows.
    this.child.on('error', error => {
      if (this.child.pid === undefined) this.end({ code: null, signal: null, spawnError: error });
    });
  }

  /** Calls back once the process has ended (at once if it already has). */
  onEnd(callback: (exit: StepExit) => void): void {
    if (this.exit) callback(this.exit);
    else this.ended.push(callback);
  }

  /** Tells a warm process where its inputs are; a process that already ended has nothing to hear. */
  release(message: Pick<StepContextFile, 'inputs' | 'env'>): void {
    const warm = !this.released;
    this.released = true;
    if (warm && !this.exit && this.child.connected) this.child.send(message, () => undefined);
  }

  /** Stops the step when it runs longer than `seconds` (as long as that is: timers past 24.8 days re-arm). */
  limitTime(seconds: number, graceMs: number): void {
    this.timer = new LongTimer(seconds * 1000, () => {
      this.timedOut = true;
      this.stop(graceMs);
    });
  }

  /** SIGTERM, then SIGKILL after the grace period. */
  stop(graceMs: number): void {
    if (this.exit) return;
    this.child.kill('SIGTERM');
    setTimeout(() => this.kill(), graceMs).unref();
  }

  kill(): void {
    if (!this.exit) this.child.kill('SIGKILL');
  }

  private end(how: Pick<StepExit, 'code' | 'signal' | 'spawnError'>): void {
    if (this.exit) return; // a failed start may be followed by 'close'
    this.timer?.cancel();
    this.exit = { ...how, timedOut: this.timedOut, stderrTail: this.stderrTail };
    for (const callback of this.ended.splice(0)) callback(this.exit);
  }

  /** Resolves when both log files hold everything the step printed (or could not be written: nothing to wait for). */
  private pipeLogs(onLine: (stream: 'stdout' | 'stderr', line: string) => void): Promise<unknown> {
    const written: Promise<unknown>[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const source = this.child[stream]!;
      const file = createWriteStream(join(this.launch.paths.dir, `${stream}.log`));
      // A log that cannot be written (a full disk) loses the file, not the step: lines still reach the engine.
      file.on('error', () => source.unpipe(file));
      source.pipe(file);
      written.push(finished(file).catch(() => undefined));
      if (stream === 'stderr') {
        source.on('data', (chunk: Buffer) => {
          this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
        });
      }
      createInterface({ input: source }).on('line', line => onLine(stream, line));
    }
    return Promise.all(written);
  }
}
