/**
 * Analysis of untrusted notebooks in a process of its own, so that nothing a notebook holds can take the
 * server down: a crash of the analysis (a segfault of the native parser, a stack overflow, running out of
 * memory) fails the request that caused it with a coded error, and the next request starts a fresh process.
 * Requests that take too long are stopped the same way.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serverError } from '../diagnostics/codes.js';
import { CellflowError, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { PipelineIR } from '../ir.js';
import type { NotebookCell } from '../notebook/nbformat.js';
import type { AnalysisJob, AnalysisReply, AnalysisRequest, JobResults } from './protocol.js';

export type { JobResults } from './protocol.js';

const WORKER = fileURLToPath(new URL('./worker.js', import.meta.url));

interface Pending {
  path: string;
  resolve: (result: JobResults[AnalysisJob]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export interface AnalysisProcessOptions {
  /** How long one analysis may take before its process is stopped. */
  timeoutMs?: number;
  /** The analysis process's heap, in MiB: a hostile notebook fails its request rather than fill the machine. */
  heapMiB?: number;
}

export class AnalysisProcess {
  private child?: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly timeoutMs: number;
  private readonly heapMiB: number;

  constructor(options: AnalysisProcessOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.heapMiB = options.heapMiB ?? 2048;
  }

  /** The notebook's pipeline IR; `cells` (unsaved) replace the file's. */
  analyze(path: string, cells?: NotebookCell[]): Promise<PipelineIR> {
    return this.request('analyze', path, cells);
  }

  /** Compiled for the embedded engine, or the errors that refuse it. */
  compile(path: string, cells?: NotebookCell[]): Promise<JobResults['compile']> {
    return this.request('compile', path, cells);
  }

  /** `cellflow annotate`'s proposal of steps. */
  annotate(path: string, cells?: NotebookCell[]): Promise<JobResults['annotate']> {
    return this.request('annotate', path, cells);
  }

  private request<J extends AnalysisJob>(job: J, path: string, cells?: NotebookCell[]): Promise<JobResults[J]> {
    const child = this.child ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.crashed(child, 'it ran longer than the analysis may take', id),
        this.timeoutMs
      );
      this.pending.set(id, { path, resolve: resolve as Pending['resolve'], reject, timer });
      const request: AnalysisRequest = { id, job, path, ...(cells === undefined ? {} : { cells }) };
      child.send(request);
    });
  }

  /** Stops the analysis process (the server is closing). */
  close(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }

  private start(): ChildProcess {
    const child = fork(WORKER, [], {
      execArgv: [`--max-old-space-size=${this.heapMiB}`],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced'
    });
    child.stderr?.resume(); // what a crash prints is not the client's to read
    child.on('message', (reply: AnalysisReply) => this.answered(reply));
    child.on('exit', (code, signal) =>
      this.crashed(child, signal ? `the analysis process was killed by ${signal}` : `it exited with code ${code}`)
    );
    child.on('error', () => undefined); // 'exit' follows and says what happened
    this.child = child;
    return child;
  }

  private answered(reply: AnalysisReply): void {
    const request = this.pending.get(reply.id);
    if (!request) return;
    this.settle(reply.id);
    if ('result' in reply) request.resolve(reply.result);
    else if ('diagnostic' in reply) request.reject(new CellflowError(reply.diagnostic));
    else request.reject(Object.assign(new Error(reply.failure.message), { code: reply.failure.code }));
  }

  /**
   * The process died or hung: the request that was running fails (every request it held, since they share
   * it), and the next request starts a new process.
   */
  private crashed(child: ChildProcess, why: string, timedOut?: number): void {
    if (this.child === child) this.child = undefined;
    child.kill('SIGKILL');
    for (const [id, request] of [...this.pending]) {
      this.settle(id);
      const diagnostic =
        timedOut === id ? serverError.analysisTimedOut(this.timeoutMs) : serverError.analysisCrashed(why);
      request.reject(new AnalysisCrashed(diagnostic));
    }
  }

  private settle(id: number): void {
    clearTimeout(this.pending.get(id)?.timer);
    this.pending.delete(id);
  }
}

/** The analysis could not finish for a reason that is cellflow's limit, not a problem in the notebook's code. */
export class AnalysisCrashed extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.name = 'AnalysisCrashed';
  }
}
