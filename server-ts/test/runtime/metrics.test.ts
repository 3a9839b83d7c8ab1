import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMetricLine, parseMetricLines } from '../../src/runtime/index.js';

test('metric lines use name=value with full precision', () => {
  assert.equal(formatMetricLine('accuracy', 0.9), 'accuracy=0.9');
  assert.equal(formatMetricLine('loss', 0.1 + 0.2), 'loss=0.30000000000000004');
  assert.equal(formatMetricLine('val.loss', 1 / 3), 'val.loss=0.3333333333333333');
  assert.equal(formatMetricLine('tiny-value_2', 1e-7), 'tiny-value_2=1e-7');
  assert.equal(formatMetricLine('_huge', -1.5e300), '_huge=-1.5e+300');
  assert.equal(formatMetricLine('count', 42), 'count=42');
});

test('every formatted value reads back as the same double', () => {
  for (const value of [Math.PI, -Math.E, Number.MIN_VALUE, Number.MAX_VALUE, 2 ** 53 + 2, 123.456e-20, -0.0001]) {
    const parsed = parseMetricLines(formatMetricLine('m', value));
    assert.equal(parsed.m, value);
  }
});

test('non-finite values and bad names are refused', () => {
  assert.throws(() => formatMetricLine('loss', NaN), /finite number, not NaN/);
  assert.throws(() => formatMetricLine('loss', Infinity), /finite number/);
  assert.throws(() => formatMetricLine('loss', -Infinity), /finite number/);
  assert.throws(() => formatMetricLine('loss', '0.5' as unknown as number), /finite number/);
  for (const name of ['', '1st', 'has space', 'a=b', 'ünï', '-x', 'a\nb']) {
    assert.throws(() => formatMetricLine(name, 1), /metric name/, name);
  }
});

test('parsing keeps the last value and ignores other lines', () => {
  const output = [
    'epoch 1',
    'loss=0.9',
    'accuracy = 0.5',
    '  loss=0.25  ',
    'note: lr=0.1 in the middle of a sentence',
    'name=not-a-number',
    'bad name=1',
    'inf=Infinity',
    'big=1e999',
    'exp=-2.5E-3\r',
    'dot=.5',
    'accuracy=0.75',
    ''
  ].join('\n');
  assert.deepEqual(parseMetricLines(output), {
    loss: 0.25,
    exp: -0.0025,
    dot: 0.5,
    accuracy: 0.75
  });
});

test('a metric named __proto__ is an own property, not a prototype', () => {
  const parsed = parseMetricLines('__proto__=1\nconstructor=2');
  assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
  assert.deepEqual(Object.keys(parsed), ['__proto__', 'constructor']);
  assert.equal(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value, 1);
});
