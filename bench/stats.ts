/** Shared by the benchmarks: the p-th percentile by nearest rank (the product's own definition), NaN for no samples. */
export { percentile as pct } from '../src/core/stats';

export { rng } from '../src/sim/random';
