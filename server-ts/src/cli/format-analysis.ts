/** The readable summary `cellflow analyze` prints. */
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import type { PipelineIR } from '../ir.js';

export function formatAnalysis(ir: PipelineIR, notebookPath: string): string {
  const lines: string[] = [];
  lines.push(
    `${notebookPath}: ${ir.language} (${ir.kernel}), ${ir.steps.length} step${ir.steps.length === 1 ? '' : 's'}`
  );
  if (ir.parameters.length > 0) {
    lines.push('', 'Parameters:');
    for (const p of ir.parameters) lines.push(`  ${p.name}: ${p.type} = ${JSON.stringify(p.default)}`);
  }
  if (ir.prelude.length > 0) {
    lines.push('', 'Prelude (runs in every step):');
    for (const p of ir.prelude) lines.push(`  cell ${p.cellIndex + 1} (${p.kind}): ${p.defines.join(', ') || '-'}`);
  }
  lines.push('', 'Steps:');
  ir.steps.forEach((step, i) => {
    lines.push(`  ${i + 1}. ${step.name}  (cells ${step.cells.map(c => c + 1).join(', ')})`);
    lines.push(`     after:  ${step.dependencies.join(', ') || '-'}`);
    lines.push(`     in:     ${step.ins.map(input => `${input.name} ← ${input.from}`).join(', ') || '-'}`);
    lines.push(`     out:    ${step.outs.join(', ') || '-'}`);
    if (step.learnt) lines.push(`     learnt: ${step.learnt.join(', ')} (a run saw the step change these)`);
    if (step.parameters.length > 0) lines.push(`     params: ${step.parameters.join(', ')}`);
  });
  if (ir.metrics.length > 0) {
    lines.push('', 'Metrics:');
    for (const m of ir.metrics) lines.push(`  ${m.name} ← ${m.step ?? '(undefined)'}`);
  }
  const errors = ir.diagnostics.filter(d => d.severity === 'error').length;
  const warnings = ir.diagnostics.length - errors;
  lines.push('', ir.diagnostics.length === 0 ? 'No problems found.' : `${errors} error(s), ${warnings} warning(s):`);
  for (const d of ir.diagnostics)
    lines.push(
      ...formatDiagnostic(d, notebookPath)
        .split('\n')
        .map(l => `  ${l}`)
    );
  return lines.join('\n') + '\n';
}
