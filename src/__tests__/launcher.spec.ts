import { Signal } from '@lumino/signaling';
import type { CompileResult, RunView } from '../api/types';
import type { Diagnostic, PipelineIR } from '../ir';
import { LaunchStage, RunLauncher } from '../run/launcher';
import { RunApi } from '../run/run-api';
import { CellflowResponseError } from '../request';
import { ICellflow } from '../tokens';
import { pendingRun } from './fixtures';

const ir = (diagnostics: Diagnostic[] = []) => ({ steps: [], parameters: [], diagnostics }) as unknown as PipelineIR;

/** The active notebook as the launcher sees it: dirty or not, and what its analysis answers. */
function fakeCellflow(options: { dirty: boolean; analysis: PipelineIR | null }) {
  const saved: string[] = [];
  const panel = {
    context: {
      model: { dirty: options.dirty },
      save: async () => {
        saved.push('saved');
      }
    }
  };
  const cellflow = {
    notebook: panel,
    notebookPath: 'xor.ipynb',
    error: null,
    stateChanged: new Signal({}),
    analyze: async () => options.analysis
  };
  return { cellflow: cellflow as unknown as ICellflow, saved };
}

function fakeApi(compiled: CompileResult | Error, run: RunView = pendingRun()) {
  const submitted: unknown[] = [];
  const api = {
    compile: async () => {
      if (compiled instanceof Error) {
        throw compiled;
      }
      return compiled;
    },
    create: async (body: unknown) => {
      submitted.push(body);
      return run;
    }
  };
  return { api: api as unknown as RunApi, submitted };
}

const compiled: CompileResult = { pipelineName: 'xor', steps: ['generate'], diagnostics: [] };

function stagesOf(launcher: RunLauncher): LaunchStage[] {
  const stages: LaunchStage[] = [];
  launcher.stateChanged.connect(() => {
    if (stages[stages.length - 1] !== launcher.stage) {
      stages.push(launcher.stage);
    }
  });
  return stages;
}

describe('RunLauncher', () => {
  it('saves, analyzes, compiles and submits, showing each stage, then runs until told the run finished', async () => {
    const { cellflow, saved } = fakeCellflow({ dirty: true, analysis: ir() });
    const { api, submitted } = fakeApi(compiled);
    const launcher = new RunLauncher({ cellflow, api });
    const stages = stagesOf(launcher);
    const started: string[] = [];
    launcher.runStarted.connect((_, run) => started.push(run.id));

    const run = await launcher.compileAndRun({ parameters: { epochs: 2 }, concurrency: 2 });

    expect(run?.id).toBe('01JRUN');
    expect(saved).toEqual(['saved']);
    expect(stages).toEqual(['saving', 'analyzing', 'compiling', 'submitting', 'running']);
    expect(submitted).toEqual([{ path: 'xor.ipynb', parameters: { epochs: 2 }, concurrency: 2 }]);
    expect(started).toEqual(['01JRUN']);
    launcher.noteRunFinished();
    expect(launcher.stage).toBe('idle');
  });

  it('does not save a notebook without edits', async () => {
    const { cellflow, saved } = fakeCellflow({ dirty: false, analysis: ir() });
    const launcher = new RunLauncher({ cellflow, api: fakeApi(compiled).api });
    expect(await launcher.compile()).toEqual(compiled);
    expect(saved).toEqual([]);
  });

  it('stops at the analysis on an error diagnostic, with its cell and line, and submits nothing', async () => {
    const problem: Diagnostic = {
      code: 'undefined-name',
      severity: 'error',
      message: '`missing` is not defined.',
      hint: 'Define it in an earlier step.',
      cellIndex: 4,
      line: 2,
      column: 0
    };
    const { cellflow } = fakeCellflow({ dirty: false, analysis: ir([problem]) });
    const { api, submitted } = fakeApi(compiled);
    const launcher = new RunLauncher({ cellflow, api });
    expect(await launcher.compileAndRun()).toBeNull();
    expect(launcher.error).toEqual({
      code: 'undefined-name',
      message: '`missing` is not defined. (cell 5, line 2)',
      hint: 'Define it in an earlier step.'
    });
    expect(launcher.stage).toBe('idle');
    expect(submitted).toEqual([]);
  });

  it('says the backend’s coded refusal of the compile, and submits nothing', async () => {
    const { cellflow } = fakeCellflow({ dirty: false, analysis: ir() });
    const refusal = new CellflowResponseError(
      { status: 422 } as Response,
      'The notebook has 1 error.',
      'notebook-has-errors',
      'Fix the errors listed.'
    );
    const { api, submitted } = fakeApi(refusal);
    const launcher = new RunLauncher({ cellflow, api });
    expect(await launcher.compileAndRun()).toBeNull();
    expect(launcher.error).toEqual({
      code: 'notebook-has-errors',
      message: 'The notebook has 1 error.',
      hint: 'Fix the errors listed.'
    });
    expect(submitted).toEqual([]);
  });
});
