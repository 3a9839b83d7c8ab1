/** `cellflow compile <notebook> --target local [--out dir]`: step programs and the plan, written to a folder. */
import { Command, Option } from 'commander';
import { dirname, join, relative } from 'node:path';
import { compileNotebookFile } from '../../compile/index.js';
import { writeProgram } from '../../engine/local/engine.js';
import { STATE_DIR } from '../../engine/local/run-store.js';

export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description('compile a notebook into a pipeline for a target')
    .argument('<notebook>', 'path to the .ipynb file')
    .addOption(new Option('--target <target>', 'what to compile for').choices(['local']).default('local'))
    .option('--out <dir>', 'folder to write to (default: .cellflow/compiled/<notebook name> beside the notebook)')
    .action(async (notebook: string, options: { target: string; out?: string }) => {
      const compiled = await compileNotebookFile(notebook);
      const name = compiled.notebookPath.replace(/^.*[\\/]/, '').replace(/\.ipynb$/, '');
      const out = options.out ?? join(dirname(compiled.notebookPath), STATE_DIR, 'compiled', name);
      writeProgram(out, compiled.local);
      process.stdout.write(
        `Compiled ${compiled.local.plan.steps.length} steps for the ${options.target} engine into ${relative(process.cwd(), out) || '.'}\n`
      );
      for (const step of compiled.local.plan.steps) process.stdout.write(`  ${join(out, step.file)}\n`);
      process.stdout.write(`  ${join(out, 'plan.json')}\n`);
    });
}
