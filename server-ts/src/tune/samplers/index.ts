/** The sampler an experiment's algorithm names. */
import type { ExperimentSpec, Sampler } from '../types.js';
import { GridSampler } from './grid.js';
import { RandomSampler } from './random.js';
import { TpeSampler } from './tpe.js';

/** `seed` is the spec's `random_state`, or the one the experiment drew and recorded when it set none. */
export function createSampler(
  spec: Pick<ExperimentSpec, 'algorithm' | 'parameters' | 'objective'>,
  seed: number
): Sampler {
  const { algorithm, parameters, objective } = spec;
  switch (algorithm.algorithmName) {
    case 'grid':
      return new GridSampler(parameters);
    case 'random':
      return new RandomSampler(parameters, seed);
    case 'tpe':
    case 'multivariate-tpe':
      return new TpeSampler(parameters, {
        seed,
        objective: objective.type,
        multivariate: algorithm.algorithmName === 'multivariate-tpe',
        nStartupTrials: algorithm.nStartupTrials,
        nEiCandidates: algorithm.nEiCandidates
      });
  }
}
