import { nullTranslator } from '@jupyterlab/translation';
import { readCellAnnotation, writeCellAnnotation } from '../../server-ts/dist/src/annotations/tags.js';
import {
  annotationFromTags,
  annotationProblems,
  emptyAnnotation,
  ICellAnnotation,
  tagsFromAnnotation
} from '../annotation';

/** What the backend reads from tags, in the fields both sides have. */
function backendReading(tags: string[]) {
  const { annotation, diagnostics } = readCellAnnotation(tags, 0);
  return { annotation, codes: diagnostics.map(d => d.code) };
}

function step(name: string, changes: Partial<ICellAnnotation> = {}): ICellAnnotation {
  return { ...emptyAnnotation(), kind: 'step', step: name, ...changes };
}

describe('tagsFromAnnotation', () => {
  it('writes every field as the backend reads it', () => {
    const tags = tagsFromAnnotation(
      step('train', {
        prev: ['load', 'clean'],
        gpus: 1,
        memory: '2Gi',
        image: 'node:20',
        cache: false,
        retries: 2,
        timeoutSeconds: 600
      })
    );
    expect(tags).toEqual([
      'step:train',
      'prev:load',
      'prev:clean',
      'limit:nvidia.com/gpu:1',
      'limit:memory:2Gi',
      'image:node:20',
      'cache:disabled',
      'retry:2',
      'timeout:600'
    ]);
    const { annotation, codes } = backendReading(tags);
    expect(codes).toEqual([]);
    expect(annotation.kind).toBe('step');
    expect(annotation.step).toBe('train');
    expect(annotation.prev).toEqual(['load', 'clean']);
    expect(annotation.settings).toEqual({
      limits: { 'nvidia.com/gpu': '1', memory: '2Gi' },
      image: 'node:20',
      cache: false,
      retry: 2,
      timeoutSeconds: 600
    });
    // The backend's own writer leaves these tags as they are.
    expect(writeCellAnnotation(annotation)).toEqual(tags);
  });

  it.each([
    ['imports', 'imports'],
    ['functions', 'functions'],
    ['parameters', 'pipeline-parameters'],
    ['metrics', 'pipeline-metrics'],
    ['skip', 'skip']
  ] as const)('writes the %s kind as the tag %s', (kind, tag) => {
    const tags = tagsFromAnnotation({ ...emptyAnnotation(), kind });
    expect(tags).toEqual([tag]);
    expect(backendReading(tags).annotation.kind).toBe(tag);
  });

  it('writes no kind tag for a cell that continues the block above', () => {
    expect(tagsFromAnnotation(emptyAnnotation())).toEqual([]);
    expect(backendReading([]).annotation.kind).toBe('continue');
  });

  it('drops dependencies and settings when the cell is no longer a step (the backend refuses them there)', () => {
    const tags = tagsFromAnnotation({ ...annotationFromTags(['step:a', 'prev:b', 'retry:1']), kind: 'skip' });
    expect(tags).toEqual(['skip']);
    expect(backendReading(tags).codes).toEqual([]);
  });

  it("keeps Kale's block: spelling", () => {
    const annotation = annotationFromTags(['block:load_data', 'prev:start']);
    expect(annotation.stepAlias).toBe('block');
    expect(tagsFromAnnotation({ ...annotation, prev: [] })).toEqual(['block:load_data']);
  });
});

describe('annotationFromTags', () => {
  it('is the inverse of tagsFromAnnotation', () => {
    const written = step('evaluate', { prev: ['train'], gpus: 2, memory: '512Mi', cache: true, otherTags: ['mine'] });
    expect(annotationFromTags(tagsFromAnnotation(written))).toEqual(written);
  });

  it('keeps the tags it does not edit, in their order, after the ones it writes', () => {
    const tags = ['label:team:vision', 'step:train', 'limit:cpu:2', 'annotation:a:b', 'prev:load', 'my-tool-tag'];
    const annotation = annotationFromTags(tags);
    expect(annotation.otherTags).toEqual(['label:team:vision', 'limit:cpu:2', 'annotation:a:b', 'my-tool-tag']);
    expect(tagsFromAnnotation({ ...annotation, prev: ['load', 'clean'] })).toEqual([
      'step:train',
      'prev:load',
      'prev:clean',
      'label:team:vision',
      'limit:cpu:2',
      'annotation:a:b',
      'my-tool-tag'
    ]);
  });

  it('lets the first kind tag decide, as the backend does, and keeps later ones', () => {
    const tags = ['imports', 'step:b', 'functions'];
    const annotation = annotationFromTags(tags);
    expect(annotation.kind).toBe('imports');
    expect(backendReading(tags).annotation.kind).toBe('imports');
    expect(annotation.otherTags).toEqual(['step:b', 'functions']);
  });

  it('keeps values the backend refuses as they are, so the backend still reports them', () => {
    const tags = ['step:a', 'retry:-1', 'cache:maybe', 'timeout:0', 'prev:Bad'];
    const annotation = annotationFromTags(tags);
    expect(annotation.retries).toBeNull();
    expect(annotation.cache).toBeNull();
    expect(annotation.timeoutSeconds).toBeNull();
    expect(annotation.prev).toEqual([]);
    expect(tagsFromAnnotation(annotation)).toEqual(tags);
    expect(backendReading(tags).codes.length).toBeGreaterThan(0);
  });

  it('reads what the backend reads for the example notebook tags', () => {
    for (const tags of [
      ['step:scatter_plot', 'prev:generate'],
      ['step:training_plots', 'prev:train_linear', 'prev:train_hidden'],
      ['pipeline-parameters'],
      ['pipeline-metrics']
    ]) {
      const ours = annotationFromTags(tags);
      const theirs = backendReading(tags).annotation;
      expect(ours.prev).toEqual(theirs.prev);
      expect(tagsFromAnnotation(ours)).toEqual(tags);
    }
  });
});

const trans = nullTranslator.load('cellflow');

describe('annotationProblems', () => {
  it('accepts a valid step', () => {
    expect(annotationProblems(step('train', { memory: '2Gi', gpus: 0, retries: 0, timeoutSeconds: 1 }), trans)).toEqual(
      []
    );
  });

  it('names each field that the backend would refuse', () => {
    const problems = annotationProblems(
      step('Train', { prev: ['Train'], gpus: 1.5, memory: '2 GB', image: 'a b', retries: -1, timeoutSeconds: 0 }),
      trans
    );
    expect(problems.map(p => p.field)).toEqual([
      'step',
      'prev',
      'gpus',
      'memory',
      'image',
      'retries',
      'timeoutSeconds'
    ]);
    // And the backend does refuse what the dialog refuses.
    expect(backendReading(['step:Train']).codes.length).toBeGreaterThan(0);
    expect(backendReading(['step:a', 'limit:memory:2 GB']).codes.length).toBeGreaterThan(0);
  });

  it('checks nothing on cells that are not steps', () => {
    expect(annotationProblems({ ...emptyAnnotation(), kind: 'imports', step: 'Bad' }, trans)).toEqual([]);
  });
});
