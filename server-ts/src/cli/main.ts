#!/usr/bin/env node
/** The `cellflow` command: a thin shell over the server-ts library. */
import { Command } from 'commander';
import { registerAnalyze } from './commands/analyze.js';
import { registerAnnotate } from './commands/annotate.js';
import { registerCompile } from './commands/compile.js';
import { registerRun } from './commands/run.js';
import { registerRestore } from './commands/restore.js';
import { registerRuns } from './commands/runs.js';
import { registerServe } from './commands/serve.js';
import { registerTune } from './commands/tune.js';
import { registerExperiments } from './commands/experiments.js';
import { registerSnapshots } from './commands/snapshots.js';
import { registerVerify } from './commands/verify.js';
import { reportError } from './report-error.js';
import { version } from '../version.js';

const program = new Command('cellflow')
  .description('Turn an annotated JavaScript/TypeScript notebook into a pipeline, run it, tune it, restore it.')
  .version(version);

registerAnalyze(program);
registerAnnotate(program);
registerCompile(program);
registerRun(program);
registerRestore(program);
registerRuns(program);
registerServe(program);
registerTune(program);
registerExperiments(program);
registerSnapshots(program);
registerVerify(program);

// Which command ran, and whether it was asked for JSON: errors then print as JSON on stdout too.
let asked: { json: boolean } = { json: false };
program.hook('preAction', (_program, command) => {
  asked = { json: Boolean(command.opts().json) };
});

program.parseAsync(process.argv).catch((error: unknown) => {
  process.exitCode = reportError(error, asked);
});
