/**
 * What the local engine does next, decided from the run's state alone (no I/O, no processes): skip a step
 * whose dependency did not succeed, start a ready step, or start early (prewarm) a step whose dependencies
 * are still running. The engine applies one decision and asks again, so every decision sees the last one's
 * effect (a start that was a cache hit makes its dependents ready at once).
 */
import type { StepStatus } from '../types.js';

export interface SchedulerStep {
  dependencies: readonly string[];
  /** GPUs it asks for: devices are handed out at start, so such a step is never started early. */
  gpus: number;
}

export interface SchedulerState {
  /** Steps in the order ready ones start (the longest remaining path first). */
  launchOrder: readonly string[];
  steps: ReadonlyMap<string, SchedulerStep>;
  statuses: Readonly<Record<string, StepStatus>>;
  /** Steps with a process: `warm` (started early, idle after its prelude) or `running` (released to run). */
  processes: ReadonlyMap<string, 'warm' | 'running'>;
  concurrency: number;
  /** The run is stopping (cancelled, failed its plan check, out of disk): nothing more starts. */
  stopping: boolean;
  /** Whether the GPUs the step asks for are free now. */
  gpusFree: (step: string) => boolean;
}

export type SchedulerDecision =
  | { action: 'skip'; step: string; blockedBy: string; blockedStatus: StepStatus }
  | { action: 'start'; step: string }
  | { action: 'prewarm'; step: string };

const BLOCKING: ReadonlySet<StepStatus> = new Set(['failed', 'skipped', 'cancelled']);

export function nextDecision(state: SchedulerState): SchedulerDecision | undefined {
  if (state.stopping) return undefined;
  const pending = state.launchOrder.filter(name => state.statuses[name] === 'pending');
  const depStatuses = (name: string) => state.steps.get(name)!.dependencies.map(d => [d, state.statuses[d]] as const);

  for (const name of pending) {
    const blocked = depStatuses(name).find(([, status]) => BLOCKING.has(status));
    if (blocked) return { action: 'skip', step: name, blockedBy: blocked[0], blockedStatus: blocked[1] };
  }

  // Ready steps first. Only processes running their step count against the limit here: a warm process
  // waiting for its inputs never holds a slot a ready step needs, and a ready step's own warm process is
  // released in place.
  let running = 0;
  for (const kind of state.processes.values()) if (kind === 'running') running++;
  for (const name of pending) {
    if (!depStatuses(name).every(([, status]) => status === 'succeeded')) continue;
    const slot = state.processes.has(name) || running < state.concurrency;
    if (slot && state.gpusFree(name)) return { action: 'start', step: name };
  }

  // Then, with slots free counting every process, steps whose dependencies are still running start early.
  if (state.processes.size >= state.concurrency) return undefined;
  for (const name of pending) {
    if (state.processes.has(name) || state.steps.get(name)!.gpus > 0) continue;
    const deps = depStatuses(name);
    if (
      deps.some(([, status]) => status === 'running') &&
      deps.every(([, status]) => status === 'running' || status === 'succeeded')
    )
      return { action: 'prewarm', step: name };
  }
  return undefined;
}
