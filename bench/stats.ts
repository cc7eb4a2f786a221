/** Shared by the benchmarks: the p-th percentile (nearest rank, rounded down), NaN for no samples. */
export function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export { rng } from '../src/sim/random';
