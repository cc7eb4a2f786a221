/**
 * Percentiles of samples (latencies, typing gaps, benchmark measures): one definition for the statistics view,
 * the scheduler, the replay and the benchmarks, so a "p95" means the same number everywhere.
 */

/**
 * The p-th percentile by nearest rank: the smallest sample with at least p% of the samples at or below it
 * (p = 50 of [1, 2, 3, 4] is 2). NaN when there are no samples. `values` need not be sorted.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  return percentileOfSorted(
    [...values].sort((a, b) => a - b),
    p,
  );
}

/** As `percentile`, for samples already sorted ascending (no copy, no sort). */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** The median by nearest rank (the lower middle sample of an even count). NaN when there are no samples. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
