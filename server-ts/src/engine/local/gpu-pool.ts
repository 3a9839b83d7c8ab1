/**
 * GPUs on the local machine, handed to steps by `CUDA_VISIBLE_DEVICES`: a
 * step tagged `limit:nvidia.com/gpu:<n>` gets n devices of its own (waiting
 * while others hold them); every other step sees none, so a CPU step never
 * takes GPU memory (tfjs-node-gpu claims what it can see).
 */
import { execFileSync } from 'node:child_process';
import type { PlanStep } from '../../compile/local/plan.js';

export const GPU_RESOURCE = 'nvidia.com/gpu';

export class GpuPool {
  private readonly held = new Map<string, string[]>();

  constructor(readonly devices: readonly string[]) {}

  /** `CELLFLOW_GPUS` (a list, or empty for none), else `CUDA_VISIBLE_DEVICES`, else what nvidia-smi lists. */
  static detect(env: NodeJS.ProcessEnv = process.env): GpuPool {
    const listed = env.CELLFLOW_GPUS ?? env.CUDA_VISIBLE_DEVICES;
    if (listed !== undefined)
      return new GpuPool(
        listed
          .split(',')
          .map(d => d.trim())
          .filter(Boolean)
      );
    try {
      const out = execFileSync('nvidia-smi', ['--query-gpu=index', '--format=csv,noheader'], {
        encoding: 'utf8',
        timeout: 5000
      });
      return new GpuPool(
        out
          .split('\n')
          .map(d => d.trim())
          .filter(Boolean)
      );
    } catch {
      return new GpuPool([]); // no driver, no GPU: steps run on the CPU
    }
  }

  /** How many devices a step asks for (0 without a GPU limit). */
  static requested(step: PlanStep): number {
    const value = Number(step.settings.limits[GPU_RESOURCE] ?? 0);
    return Number.isFinite(value) && value > 0 ? Math.ceil(value) : 0;
  }

  /** A step asking for more GPUs than the machine has gets all of them. */
  granted(step: PlanStep): number {
    return Math.min(GpuPool.requested(step), this.devices.length);
  }

  canStart(step: PlanStep): boolean {
    return this.free().length >= this.granted(step);
  }

  /** Takes the step's devices and returns its environment. */
  acquire(step: PlanStep): Record<string, string> {
    if (this.devices.length === 0) return {};
    const devices = this.free().slice(0, this.granted(step));
    this.held.set(step.name, devices);
    return { CUDA_VISIBLE_DEVICES: devices.join(',') };
  }

  release(step: string): void {
    this.held.delete(step);
  }

  private free(): string[] {
    const taken = new Set([...this.held.values()].flat());
    return this.devices.filter(d => !taken.has(d));
  }
}
