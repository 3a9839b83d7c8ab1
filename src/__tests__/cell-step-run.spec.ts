/**
 * "Run this step" / "Run from this step" on a cell badge: the commands save, analyze, compile and submit the
 * notebook as it is, with the parameters typed in the sidebar’s Run section and the step subset.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';
import type { CompileResult, RunView } from '../api/types';
import { addRunCommands } from '../commands';
import type { Parameter, PipelineIR } from '../ir';
import { RunLauncher } from '../run/launcher';
import { RunApi } from '../run/run-api';
import { RunSidebarModel } from '../run/run-sidebar-model';
import { CommandIDs, ICellflow } from '../tokens';
import { pendingRun } from './fixtures';

const epochs: Parameter = { name: 'epochs', type: 'number', default: 20, cellIndex: 1, line: 1 };
const ir = { steps: [], parameters: [epochs], diagnostics: [] } as unknown as PipelineIR;

function setUp() {
  const saved: string[] = [];
  const panel = {
    context: {
      ready: Promise.resolve(),
      model: {
        dirty: true,
        getMetadata: () => undefined,
        metadataChanged: new Signal({})
      },
      save: async () => {
        saved.push('saved');
      }
    }
  };
  const cellflow = {
    notebook: panel,
    notebookPath: 'xor.ipynb',
    ir,
    error: null,
    stateChanged: new Signal({}),
    analyze: async () => ir
  } as unknown as ICellflow;
  const submitted: unknown[] = [];
  const compiled: CompileResult = { pipelineName: 'xor', steps: ['generate'], diagnostics: [] };
  const api = {
    compile: async () => compiled,
    create: async (body: unknown): Promise<RunView> => {
      submitted.push(body);
      return pendingRun();
    },
    list: async () => []
  } as unknown as RunApi;
  const launcher = new RunLauncher({ cellflow, api });
  const sidebar = new RunSidebarModel({ cellflow, launcher, api });
  const activated: string[] = [];
  const commands = new CommandRegistry();
  const app = { commands, shell: { activateById: (id: string) => activated.push(id) } } as unknown as JupyterFrontEnd;
  addRunCommands(
    app,
    {
      cellflow,
      launcher,
      sidebar,
      api,
      openRun: async () => undefined,
      currentRun: () => null,
      showRunSection: () => activated.push('run-section')
    },
    {
      __: (text: string, ...args: unknown[]) =>
        args.reduce<string>((t, a, i) => t.replace(`%${i + 1}`, String(a)), text)
    } as never,
    null
  );
  return { commands, sidebar, launcher, submitted, saved, activated };
}

describe('running a step from its cell badge', () => {
  it('"run step" saves and compiles the notebook, then submits only that step with the typed parameters', async () => {
    const { commands, sidebar, submitted, saved, activated } = setUp();
    sidebar.setEdit('epochs', '2');

    await commands.execute(CommandIDs.runCellStep, { step: 'train_hidden' });

    expect(saved).toEqual(['saved']);
    expect(submitted).toEqual([
      { path: 'xor.ipynb', parameters: { epochs: 2 }, concurrency: 4, only: ['train_hidden'] }
    ]);
    expect(activated).toEqual(['run-section']);
  });

  it('"run from here" submits `from` with the typed parameters', async () => {
    const { commands, sidebar, submitted } = setUp();
    sidebar.setEdit('epochs', '3');

    await commands.execute(CommandIDs.runFromCellStep, { step: 'train_linear' });

    expect(submitted).toEqual([{ path: 'xor.ipynb', parameters: { epochs: 3 }, concurrency: 4, from: 'train_linear' }]);
  });

  it('submits nothing when a typed parameter is not a number, and says which', async () => {
    const { commands, sidebar, submitted } = setUp();
    sidebar.setEdit('epochs', 'two');

    await commands.execute(CommandIDs.runCellStep, { step: 'train_hidden' });

    expect(submitted).toEqual([]);
    expect(sidebar.blocked?.code).toBe('invalid-parameter-value');
  });

  it('labels the command with the step it runs', () => {
    const { commands } = setUp();
    expect(commands.label(CommandIDs.runCellStep, { step: 'evaluate' })).toBe('Run Step evaluate');
    expect(commands.label(CommandIDs.runFromCellStep, { step: 'evaluate' })).toBe('Run from Step evaluate');
  });
});
