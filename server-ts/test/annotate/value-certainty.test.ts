/** What the proposal counts as data a step can hand on, and step names in Kale's grammar. */
import assert from 'node:assert/strict';
import type { Program } from 'estree';
import { test } from 'node:test';
import { isParseFailure, parseCellSource } from '../../src/analyze/source.js';
import { stepNameFrom } from '../../src/annotate/step-names.js';
import {
  cellWrites,
  emptyValueContext,
  noteDeclarations,
  type ValueContext
} from '../../src/annotate/value-certainty.js';

function program(source: string): Program {
  const parsed = parseCellSource(source, 'typescript');
  if (isParseFailure(parsed)) throw new Error(parsed.message);
  return parsed.program;
}

/** Judges `cell` after `before` (each a cell), and says what it makes of each name the cell writes. */
function verdicts(before: string[], cell: string): Record<string, string> {
  const context: ValueContext = emptyValueContext();
  for (const source of before) {
    const p = program(source);
    noteDeclarations(p, context, source.startsWith('import') ? 'imports' : 'work', []);
    const writes = cellWrites(p, context, new Set());
    for (const name of [...writes.data, ...writes.tf, ...writes.unsure]) context.defined.add(name);
    for (const name of writes.unsure) context.unsure.add(name);
    for (const name of writes.tf) context.tf.add(name);
  }
  const writes = cellWrites(program(cell), context, new Set());
  const out: Record<string, string> = {};
  for (const kind of ['data', 'tf', 'unsure'] as const) for (const name of writes[kind]) out[name] = kind;
  return out;
}

test('plain data, built-in data constructors and methods of data are data', () => {
  assert.deepEqual(
    verdicts(
      ['const rows = [1, 2, 3];'],
      'const a = { n: 1, xs: [1, "b"] };\nconst m = new Map([[1, 2]]);\nconst s = rows.map(x => x * 2);\nconst z = new Array(3).fill(0);\nconst j = JSON.parse("{}");'
    ),
    { a: 'data', m: 'data', s: 'data', z: 'data', j: 'data' }
  );
});

test('functions, objects with methods, promises, iterators, globals and package calls are not known to be data', () => {
  assert.deepEqual(
    verdicts(
      ["import { thing } from 'some-package';", 'const m = new Map();'],
      'const f = () => 1;\nconst o = { run() {} };\nconst p = fetch("x");\nconst it = m.entries();\nconst out = process.stdout;\nconst t = thing();\nconst b = f.bind(null);'
    ),
    { f: 'unsure', o: 'unsure', p: 'unsure', it: 'unsure', out: 'unsure', t: 'unsure', b: 'unsure' }
  );
});

test('a notebook function returning a closure makes a closure; one returning data makes data', () => {
  const before = [
    'function makeScaler(k: number) {\n  return (x: number) => x * k;\n}\nfunction total(xs: number[]) {\n  return xs.reduce((a, b) => a + b, 0);\n}'
  ];
  const context = emptyValueContext();
  noteDeclarations(program(before[0]), context, 'functions', []);
  const writes = cellWrites(program('const double = makeScaler(2);\nconst sum = total([1, 2]);'), context, new Set());
  assert.deepEqual([[...writes.unsure], [...writes.data]], [['double'], ['sum']]);
});

test('tfjs calls make tfjs values; a layer or optimizer alone, or a model method result, is not known', () => {
  assert.deepEqual(
    verdicts(
      ["import * as tf from '@tensorflow/tfjs';"],
      'const x = tf.tensor([1, 2]);\nconst model = tf.sequential();\nconst y = model.predict(x);\nconst opt = tf.train.adam(0.1);\nconst h = await model.fit(x, x);'
    ),
    { x: 'tf', model: 'tf', y: 'tf', opt: 'unsure', h: 'unsure' }
  );
});

test('storing a function into a notebook value makes the value unsure; callbacks that are not kept do not', () => {
  assert.deepEqual(
    verdicts(['const handlers = [];', 'const xs = [1];'], 'handlers.push(() => 1);\nxs.forEach(x => x);'),
    {
      handlers: 'unsure'
    }
  );
});

test('step names: snake case in Kale grammar, unique, two short names or the first long one', () => {
  assert.equal(stepNameFrom(['trainData'], new Set(), 'step_1'), 'train_data');
  assert.equal(stepNameFrom(['meanX', 'maxY'], new Set(), 'step_1'), 'mean_x_and_max_y');
  assert.equal(stepNameFrom(['linearModel', 'linearHistory'], new Set(), 'step_1'), 'linear_model');
  assert.equal(stepNameFrom(['rows'], new Set(['rows', 'rows_2']), 'step_1'), 'rows_3');
  assert.equal(stepNameFrom(['$x', '2d'], new Set(), 'step_1'), 'x_and_2d');
  assert.equal(stepNameFrom(['2d'], new Set(), 'step_1'), 'step_2d');
  assert.equal(stepNameFrom([], new Set(), 'step_4'), 'step_4');
  assert.equal(stepNameFrom(['Counter', 'counter'], new Set(), 'step_1'), 'counter');
});
