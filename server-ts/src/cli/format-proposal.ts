/** The readable proposal `cellflow annotate` prints: steps with their cells, prev, ins and outs, then the DAG. */
import type { Proposal } from '../annotate/propose.js';

export function formatProposal(proposal: Proposal, notebookPath: string, written: boolean): string {
  const lines: string[] = [];
  const count = proposal.steps.length;
  const headline = {
    split: `proposed split into ${count} steps`,
    'one-step': 'proposed as one step',
    unchanged: 'nothing proposed'
  }[proposal.outcome];
  lines.push(`${notebookPath}: ${headline}`);
  if (proposal.prelude.length > 0) {
    lines.push('', 'Prelude (runs in every step):');
    for (const p of proposal.prelude) lines.push(`  cell ${p.index + 1}: ${p.kind}`);
  }
  if (count > 0) {
    lines.push('', 'Steps:');
    proposal.steps.forEach((step, i) => {
      lines.push(`  ${i + 1}. ${step.name}  (cells ${step.cells.map(c => c + 1).join(', ')})`);
      lines.push(`     prev:   ${step.prev.join(', ') || '-'}`);
      lines.push(`     in:     ${step.ins.map(input => `${input.name} ← ${input.from}`).join(', ') || '-'}`);
      lines.push(`     out:    ${step.outs.join(', ') || '-'}`);
    });
    lines.push('', 'DAG (steps on one line may run at the same time):');
    for (const level of levels(proposal)) lines.push(`  ${level.join('  |  ')}`);
    const edges = proposal.steps.flatMap(s => s.prev.map(p => `${p} → ${s.name}`));
    if (edges.length > 0) lines.push(`  edges: ${edges.join(', ')}`);
  }
  if (proposal.cells.length > 0) {
    lines.push('', 'Tags:');
    for (const cell of proposal.cells) lines.push(`  cell ${cell.index + 1}: ${cell.tags.join(' ') || '(none)'}`);
  }
  if (proposal.notes.length > 0) {
    lines.push('', 'Notes:');
    for (const note of proposal.notes) lines.push(`  - ${note}`);
  }
  if (proposal.cells.length > 0) {
    lines.push(
      '',
      written ? `Wrote the tags into ${notebookPath}.` : 'Nothing written: run with --write to write these tags.'
    );
  }
  return lines.join('\n') + '\n';
}

/** Steps by the length of the longest path of `prev:` edges reaching them. */
function levels(proposal: Proposal): string[][] {
  const depth = new Map<string, number>();
  for (const step of proposal.steps) depth.set(step.name, 1 + Math.max(-1, ...step.prev.map(p => depth.get(p) ?? 0)));
  const rows: string[][] = [];
  for (const step of proposal.steps) (rows[depth.get(step.name)!] ??= []).push(step.name);
  return rows.filter(Boolean);
}
