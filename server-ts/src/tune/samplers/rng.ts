/**
 * Seeded random streams (pure-rand's xoroshiro128+). The n-th suggestion of an experiment draws
 * from the seed's generator jumped n times (2^64 draws apart each), so a suggestion depends only
 * on the seed and its number: a resumed experiment draws what the uninterrupted one would have.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export class Random {
  constructor(private readonly generator: RandomGenerator) {}

  /** Uniform in [0, 1). */
  next(): number {
    return uniformFloat64(this.generator);
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** An index drawn with the given (normalized) probabilities, as numpy's `choice(p=...)`. */
  choice(probabilities: readonly number[]): number {
    const u = this.next();
    let sum = 0;
    for (let i = 0; i < probabilities.length; i++) {
      sum += probabilities[i];
      if (u < sum) return i;
    }
    return probabilities.length - 1;
  }
}

export function suggestionStream(seed: number, suggestion: number): Random {
  const generator = xoroshiro128plus(seed);
  for (let i = 0; i < suggestion; i++) generator.jump();
  return new Random(generator);
}
