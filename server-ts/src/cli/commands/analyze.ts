/** `cellflow analyze <notebook> [--json]`: the steps, their data flow and what is wrong. */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { sortDiagnostics } from '../../analyze/index.js';
import { analyzeNotebookWithLearnt } from '../../compile/index.js';
import { checkRunnable } from '../../preflight/index.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { readNotebookFile } from '../../notebook/file.js';
import { formatAnalysis } from '../format-analysis.js';

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('show the steps of an annotated notebook, what each receives and hands on, and any problems')
    .argument('<notebook>', 'path to the .ipynb file')
    .option('--json', 'print the pipeline IR as JSON')
    .action(async (notebookPath: string, options: { json?: boolean }) => {
      const doc = await readNotebookFile(notebookPath);
      const analysis = analyzeNotebookWithLearnt(doc.json, resolve(notebookPath));
      // What a run would also refuse (imports that do not resolve here) belongs with the other problems.
      const ir = {
        ...analysis.ir,
        diagnostics: sortDiagnostics([...analysis.ir.diagnostics, ...checkRunnable(analysis, resolve(notebookPath))])
      };
      process.stdout.write(options.json ? JSON.stringify(ir, null, 2) + '\n' : formatAnalysis(ir, notebookPath));
      if (hasErrors(ir.diagnostics)) process.exitCode = 1;
    });
}
