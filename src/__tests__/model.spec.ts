import { NotebookPanel } from '@jupyterlab/notebook';
import { PromiseDelegate } from '@lumino/coreutils';
import { Signal } from '@lumino/signaling';
import type { PipelineIR } from '../ir';
import { PipelineModel } from '../model';
import { requestAPI } from '../request';

jest.mock('../request', () => ({ requestAPI: jest.fn() }));
const request = requestAPI as jest.MockedFunction<typeof requestAPI>;

interface IFakeCell {
  id: string;
  type: string;
  source: string;
  sharedModel: { getSource(): string; getMetadata(): Record<string, unknown> };
}

function fakeCell(id: string, source: string): IFakeCell {
  const cell: IFakeCell = {
    id,
    type: 'code',
    source,
    sharedModel: { getSource: () => cell.source, getMetadata: () => ({ tags: ['step:s'] }) }
  };
  return cell;
}

/** What PipelineModel uses of a NotebookPanel: the context's path, cells and signals. */
function fakePanel(cells: IFakeCell[]) {
  const owner = {};
  const model = { cells, dirty: true, contentChanged: new Signal<object, void>(owner) };
  const context = {
    localPath: 'work/nb.ipynb',
    model,
    ready: Promise.resolve(),
    fileChanged: new Signal<object, void>(owner),
    pathChanged: new Signal<object, void>(owner)
  };
  const panel = { context, disposed: new Signal<object, void>(owner) };
  return { panel: panel as unknown as NotebookPanel, edit: () => model.contentChanged.emit(undefined) };
}

function ir(stepName: string): PipelineIR {
  return {
    version: 1,
    language: 'typescript',
    kernel: 'tslab',
    settings: {},
    prelude: [],
    parameters: [],
    steps: [
      {
        name: stepName,
        cells: [0],
        dependencies: [],
        ins: [],
        outs: [],
        parameters: [],
        settings: { limits: {}, annotations: {}, labels: {} }
      }
    ],
    metrics: [],
    diagnostics: []
  };
}

/** Lets the model's awaits and the debouncer's timers run. */
async function settle(ms = 0): Promise<void> {
  await jest.advanceTimersByTimeAsync(ms);
}

function sentBodies(): Array<{ path: string; cells: Array<{ id: string; source: string }> }> {
  return request.mock.calls.map(call => JSON.parse(String(call[1]?.body)));
}

describe('PipelineModel live analysis', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    request.mockReset();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it("analyzes the notebook's unsaved cells when it opens", async () => {
    request.mockResolvedValue(ir('s'));
    const cells = [fakeCell('a', 'const x = 1;')];
    const { panel } = fakePanel(cells);
    const model = new PipelineModel({ analysisDelay: 300 });
    model.notebook = panel;
    await settle();
    expect(request).toHaveBeenCalledTimes(1);
    expect(request.mock.calls[0][0]).toBe('analyze');
    expect(sentBodies()[0]).toMatchObject({ path: 'work/nb.ipynb', cells: [{ id: 'a', source: 'const x = 1;' }] });
    expect(model.ir?.steps[0].name).toBe('s');
    expect(model.analyzedCellIds).toEqual(['a']);
    model.dispose();
  });

  it('analyzes a burst of edits once, analysisDelay after the last', async () => {
    request.mockResolvedValue(ir('s'));
    const cells = [fakeCell('a', 'const x = 1;')];
    const { panel, edit } = fakePanel(cells);
    const model = new PipelineModel({ analysisDelay: 300 });
    model.notebook = panel;
    await settle();
    request.mockClear();

    for (const source of ['const x = 12;', 'const x = 123;', 'const x = 1234;']) {
      cells[0].source = source;
      edit();
      await settle(100);
    }
    expect(request).not.toHaveBeenCalled();
    expect(model.isStale).toBe(true);
    await settle(300);
    expect(request).toHaveBeenCalledTimes(1);
    expect(sentBodies()[0].cells[0].source).toBe('const x = 1234;');
    expect(model.isStale).toBe(false);
    model.dispose();
  });

  it('does not ask again when an edit leaves the cells as they were sent (outputs, a run)', async () => {
    request.mockResolvedValue(ir('s'));
    const { panel, edit } = fakePanel([fakeCell('a', 'const x = 1;')]);
    const model = new PipelineModel({ analysisDelay: 300 });
    model.notebook = panel;
    await settle();
    edit();
    await settle(400);
    expect(request).toHaveBeenCalledTimes(1);
    model.dispose();
  });

  it('keeps the answer to the latest request when an older one arrives after it', async () => {
    const answers = [new PromiseDelegate<PipelineIR>(), new PromiseDelegate<PipelineIR>()];
    let next = 0;
    request.mockImplementation(() => answers[next++].promise as Promise<any>);
    const cells = [fakeCell('a', 'const x = 1;')];
    const { panel, edit } = fakePanel(cells);
    const model = new PipelineModel({ analysisDelay: 300 });
    model.notebook = panel;
    await settle();
    cells[0].source = 'const x = 2;';
    edit();
    await settle(300);
    expect(request).toHaveBeenCalledTimes(2);

    answers[1].resolve(ir('newer'));
    await settle();
    answers[0].resolve(ir('older'));
    await settle();
    expect(model.ir?.steps[0].name).toBe('newer');
    expect(model.status).toBe('ready');
    model.dispose();
  });

  it('drops an answer for a notebook that is no longer followed', async () => {
    const answer = new PromiseDelegate<PipelineIR>();
    request.mockReturnValue(answer.promise as Promise<any>);
    const { panel } = fakePanel([fakeCell('a', 'const x = 1;')]);
    const model = new PipelineModel();
    model.notebook = panel;
    await settle();
    model.notebook = null;
    answer.resolve(ir('s'));
    await settle();
    expect(model.ir).toBeNull();
    model.dispose();
  });
});
