#!/usr/bin/env node
/** The `cellflow` command: a thin shell over the server-ts library. */
import { Command } from 'commander';
import { CellflowError, formatDiagnostic } from '../diagnostics/diagnostic.js';
import { registerAnalyze } from './commands/analyze.js';
import { registerCompile } from './commands/compile.js';
import { registerRun } from './commands/run.js';
import { registerRuns } from './commands/runs.js';
import { registerServe } from './commands/serve.js';
import { registerVerify } from './commands/verify.js';
import { NotebookHasErrors } from '../compile/index.js';
import { version } from '../version.js';

const program = new Command('cellflow')
  .description('Turn an annotated JavaScript/TypeScript notebook into a pipeline, run it, tune it, restore it.')
  .version(version);

registerAnalyze(program);
registerCompile(program);
registerRun(program);
registerRuns(program);
registerServe(program);
registerVerify(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof NotebookHasErrors) {
    for (const d of error.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
    process.stderr.write(formatDiagnostic(error.diagnostic) + '\n');
    process.exitCode = 1;
  } else if (error instanceof CellflowError) {
    process.stderr.write(formatDiagnostic(error.diagnostic) + '\n');
    process.exitCode = 2;
  } else {
    process.stderr.write(`cellflow: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 70;
  }
});
