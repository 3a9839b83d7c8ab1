/**
 * Grid search: every combination of the parameters' values, in a fixed order (the first parameter
 * slowest), each once. A trial that failed is not tried again; its combination counts as tried.
 */
import type { ParameterValue } from '../../ir.js';
import { type Assignment, isListSpace, type ParameterSpace, type Sampler, type TrialObservation } from '../types.js';

export class GridSampler implements Sampler {
  private readonly axes: ParameterValue[][];
  constructor(private readonly space: readonly ParameterSpace[]) {
    this.axes = space.map(gridValues);
  }

  suggest(history: readonly TrialObservation[]): Assignment | null {
    const tried = new Set(history.map(t => key(this.space, t.assignment)));
    const size = this.axes.reduce((n, axis) => n * axis.length, 1);
    for (let index = 0; index < size; index++) {
      const assignment = this.at(index);
      if (!tried.has(key(this.space, assignment))) return assignment;
    }
    return null;
  }

  private at(index: number): Assignment {
    const assignment: Assignment = {};
    for (let i = this.axes.length - 1; i >= 0; i--) {
      const axis = this.axes[i];
      assignment[this.space[i].name] = axis[index % axis.length];
      index = Math.floor(index / axis.length);
    }
    return Object.fromEntries(this.space.map(p => [p.name, assignment[p.name]]));
  }
}

/** A parameter's grid: its list, or min, min+step, ... up to max (a double needs a step: spec.ts). */
export function gridValues(p: ParameterSpace): ParameterValue[] {
  if (isListSpace(p)) return [...p.list];
  const step = p.step ?? 1;
  const count = Math.floor((p.max - p.min) / step + 1e-9) + 1;
  return Array.from({ length: count }, (_, k) =>
    p.parameterType === 'int' ? p.min + k * step : Number((p.min + k * step).toPrecision(12))
  );
}

export function gridSize(space: readonly ParameterSpace[]): number {
  return space.reduce((n, p) => n * gridValues(p).length, 1);
}

function key(space: readonly ParameterSpace[], assignment: Assignment): string {
  return JSON.stringify(space.map(p => assignment[p.name]));
}
