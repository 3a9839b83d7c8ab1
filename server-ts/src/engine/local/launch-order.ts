/** Which ready step starts first. */
import type { LocalPlan } from '../../compile/local/plan.js';

/**
 * Launch priority: the longest path from a step to the end of the pipeline, each step weighted by how long
 * it took in the last run of this notebook (1 s when unknown), so the critical path starts first; ties go to
 * plan order.
 */
export function launchOrder(plan: LocalPlan, estimates: Record<string, number> = {}): string[] {
  const remaining = new Map<string, number>();
  for (const step of [...plan.steps].reverse()) {
    const below = plan.steps
      .filter(other => other.dependencies.includes(step.name))
      .map(other => remaining.get(other.name)!);
    remaining.set(step.name, (estimates[step.name] ?? 1) + Math.max(0, ...below));
  }
  return plan.steps
    .map((step, index) => ({ name: step.name, index, weight: remaining.get(step.name)! }))
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map(s => s.name);
}
