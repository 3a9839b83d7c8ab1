import { nullTranslator } from '@jupyterlab/translation';
import React from 'react';
import { act } from 'react';
import { createRoot, Root } from 'react-dom/client';
import { DagView } from '../components/run/DagView';
import { layoutDag } from '../run/dag-layout';
import { XOR_DEPENDENCIES, XOR_STEPS, pendingRun } from './fixtures';

const trans = nullTranslator.load('cellflow');

describe('DagView', () => {
  let host: HTMLDivElement;
  let root: Root;
  beforeEach(() => {
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
    host = document.createElement('div');
    document.body.appendChild(host);
    root = createRoot(host);
  });
  afterEach(() => {
    act(() => root.unmount());
    host.remove();
  });

  const render = (props: Partial<React.ComponentProps<typeof DagView>> = {}) => {
    const record = pendingRun();
    record.steps.generate = { status: 'succeeded', cached: true, attempts: 1, seconds: 0.42 };
    record.steps.train_hidden = { status: 'running', cached: false, attempts: 1, startedAt: record.startedAt };
    record.steps.train_linear = { status: 'failed', cached: false, attempts: 1, seconds: 2 };
    const calls: string[] = [];
    act(() =>
      root.render(
        <DagView
          layout={layoutDag(XOR_STEPS.map(name => ({ name, dependencies: XOR_DEPENDENCIES[name] })))}
          record={record}
          colors={new Map([['generate', '#4e79a7']])}
          selected={null}
          now={Date.parse(record.startedAt) + 3000}
          canRunSteps={true}
          onSelect={step => calls.push(`select ${step}`)}
          onRunStep={step => calls.push(`only ${step}`)}
          onRunFromStep={step => calls.push(`from ${step}`)}
          trans={trans}
          {...props}
        />
      )
    );
    return calls;
  };

  const node = (step: string) => host.querySelector(`.jp-cellflow-DagNode[data-step="${step}"]`)!;

  it('draws each step with its live status, time and cached marker, and each dependency as an edge', () => {
    render();
    expect(host.querySelectorAll('.jp-cellflow-DagNode')).toHaveLength(XOR_STEPS.length);
    expect(host.querySelectorAll('.jp-cellflow-DagEdge')).toHaveLength(7);
    expect(node('generate').getAttribute('data-status')).toBe('succeeded');
    expect(node('generate').textContent).toContain('0.4 s');
    expect(node('generate').querySelector('.jp-cellflow-DagNodeCached')).not.toBeNull();
    expect(node('train_hidden').getAttribute('data-status')).toBe('running');
    expect(node('train_hidden').textContent).toContain('3.0 s');
    expect(node('train_linear').classList.contains('jp-mod-failed')).toBe(true);
    expect(node('evaluate').querySelector('.jp-cellflow-DagNodeCached')).toBeNull();
    const stripe = node('generate').querySelector('.jp-cellflow-DagNodeStripe') as SVGElement;
    expect(stripe.style.fill).toBe('#4e79a7');
  });

  it('selects a step on click, and runs it or from it with its buttons without selecting it', () => {
    const calls = render();
    act(() => (node('evaluate').querySelector('[role="button"]') as SVGElement).dispatchEvent(click()));
    act(() => node('evaluate').querySelector('.jp-cellflow-RunThisStep')!.dispatchEvent(click()));
    act(() => node('train_linear').querySelector('.jp-cellflow-RunFromStep')!.dispatchEvent(click()));
    expect(calls).toEqual(['select evaluate', 'only evaluate', 'from train_linear']);
  });

  it('offers no step runs while the run goes on', () => {
    render({ canRunSteps: false });
    expect(host.querySelector('.jp-cellflow-RunThisStep')).toBeNull();
  });
});

function click(): MouseEvent {
  return new MouseEvent('click', { bubbles: true });
}
