import { describe, expect, it } from 'vitest';
import { median, percentile, percentileOfSorted } from '../../src/core/stats';

describe('percentile (nearest rank)', () => {
  it('is the smallest sample with at least p% of the samples at or below it', () => {
    const xs = [40, 10, 30, 20]; // unsorted on purpose
    expect(percentile(xs, 50)).toBe(20);
    expect(percentile(xs, 75)).toBe(30);
    expect(percentile(xs, 95)).toBe(40);
    expect(percentile(xs, 100)).toBe(40);
    expect(percentile(xs, 0)).toBe(10);
  });
  it('p95 of 100 samples 1..100 is 95, and one slow outlier does not move the median', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 95)).toBe(95);
    expect(median([...xs.slice(0, 99), 1e9])).toBe(50);
  });
  it('leaves its input unsorted', () => {
    const xs = [3, 1, 2];
    percentile(xs, 50);
    expect(xs).toEqual([3, 1, 2]);
  });
  it('has no value for no samples', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(percentileOfSorted([], 95)).toBeNaN();
  });
});
