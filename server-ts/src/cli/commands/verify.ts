/** `cellflow verify <notebook> [--param k=v]`: the pipeline against the notebook run top to bottom. */
import type { Command } from 'commander';
import { parseParameterOverrides } from '../../engine/parameter-values.js';
import { formatVerifyReport, verifyNotebook } from '../../verify/index.js';
import { collect, positiveInteger } from './run.js';

interface VerifyCliOptions {
  param: string[];
  cache: boolean;
  json?: boolean;
  concurrency?: number;
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'run the notebook as a pipeline and straight through, and compare every value handed between steps and every metric'
    )
    .argument('<notebook>', 'path to the .ipynb file')
    .option('-p, --param <name=value>', 'override a pipeline parameter (repeatable)', collect, [])
    .option('--no-cache', 'run every step of the pipeline even when a cached result exists')
    .option('--json', 'print the report as JSON')
    .option('--concurrency <n>', 'how many steps may run at once (default: number of cores)', positiveInteger)
    .action(async (notebook: string, options: VerifyCliOptions) => {
      const report = await verifyNotebook(notebook, {
        overrides: parseParameterOverrides(options.param),
        useCache: options.cache,
        concurrency: options.concurrency
      });
      // The failed run's whole record stays out of the JSON report: `cellflow runs` shows it.
      const printable = { ...report, run: undefined };
      process.stdout.write(options.json ? JSON.stringify(printable) + '\n' : formatVerifyReport(report));
      process.exitCode = report.verdict === 'identical' ? 0 : 1;
    });
}
