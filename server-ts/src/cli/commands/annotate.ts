/** `cellflow annotate <notebook> [--write] [--json]`: propose step tags for a notebook without them. */
import type { Command } from 'commander';
import { analyzeNotebook } from '../../analyze/index.js';
import { applyTags } from '../../annotate/apply.js';
import { proposeSplit } from '../../annotate/propose.js';
import { NotebookHasErrors } from '../../compile/index.js';
import { readNotebookFile, writeNotebookFile } from '../../notebook/file.js';
import { formatProposal } from '../format-proposal.js';

interface AnnotateCliOptions {
  write?: boolean;
  json?: boolean;
  allowUpgrade?: boolean;
}

export function registerAnnotate(program: Command): void {
  program
    .command('annotate')
    .description(
      'propose step tags for a notebook without them (steps, prev edges, imports/functions cells); --write writes them'
    )
    .argument('<notebook>', 'path to the .ipynb file')
    .option('--write', 'write the proposed tags into the notebook')
    .option('--json', 'print the proposal as JSON')
    .option('--allow-upgrade', 'write an nbformat 3 notebook back as nbformat 4')
    .action(async (notebookPath: string, options: AnnotateCliOptions) => {
      const doc = await readNotebookFile(notebookPath);
      const proposal = proposeSplit(doc.json, analyzeNotebook(doc.json));
      if (proposal.diagnostics.length > 0) throw new NotebookHasErrors(proposal.diagnostics);
      const write = Boolean(options.write) && proposal.cells.length > 0;
      if (write) {
        const tags = new Map(proposal.cells.map(cell => [cell.index, cell.tags]));
        await writeNotebookFile(
          notebookPath,
          { ...doc, json: applyTags(doc.json, tags) },
          { allowUpgrade: options.allowUpgrade }
        );
      }
      process.stdout.write(
        options.json ? JSON.stringify(proposal, null, 2) + '\n' : formatProposal(proposal, notebookPath, write)
      );
    });
}
