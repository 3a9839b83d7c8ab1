/** erf/erfc and the truncated normal the TPE samples from, against reference values (SciPy/mpmath). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { erf, erfc } from '../../src/tune/samplers/erf.js';
import { logGaussMass, ppf, truncnormLogPdf } from '../../src/tune/samplers/truncnorm.js';

const close = (actual: number, expected: number, rel = 1e-13) =>
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${actual} vs ${expected}`);

test('erf and erfc match reference values across their ranges, tails included', () => {
  close(erf(0.1), 0.1124629160182849);
  close(erf(0.5), 0.5204998778130465);
  close(erf(1), 0.8427007929497149);
  close(erf(-2), -0.9953222650189527);
  close(erfc(0.3), 0.6713732405408726);
  close(erfc(1), 0.15729920705028513);
  close(erfc(3), 2.209049699858544e-5);
  close(erfc(5), 1.5374597944280349e-12);
  close(erfc(10), 2.088487583762545e-45, 1e-12);
  close(erfc(-1.5), 1.9661051464753108);
});

test('the truncated normal stays finite and inside its bounds 100 sigmas out', () => {
  // log Φ mass of [-inf-ish, 0] is log 0.5; of [-101, -100] is about -5005.
  close(logGaussMass(-40, 0), Math.log(0.5));
  assert.ok(Math.abs(logGaussMass(-101, -100) - -5005.524) < 1e-2);
  for (const [a, b] of [
    [-101, -100],
    [100, 101],
    [-3, 2],
    [0.5, 0.6]
  ]) {
    for (const q of [1e-9, 0.25, 0.5, 0.75, 1 - 1e-9]) {
      const x = ppf(q, a, b);
      assert.ok(x >= a - 1e-9 && x <= b + 1e-9, `ppf(${q}, ${a}, ${b}) = ${x}`);
    }
    assert.ok(ppf(0.25, a, b) < ppf(0.75, a, b));
  }
  // The density integrates to 1 over its bounds.
  let sum = 0;
  const n = 20000;
  for (let i = 0; i < n; i++) sum += Math.exp(truncnormLogPdf(-1 + (3 * (i + 0.5)) / n, 0.4, 0.3, -1, 2)) * (3 / n);
  close(sum, 1, 1e-6);
  assert.equal(truncnormLogPdf(2.5, 0.4, 0.3, -1, 2), -Infinity);
});
