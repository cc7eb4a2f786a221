import { describe, expect, it } from 'vitest';
import { AdaptiveDebounce } from '../../../src/core/scheduling/debounce';

function typed(d: AdaptiveDebounce, gap: number, n = 12) {
  for (let i = 0, t = 0; i < n; i++, t += gap) d.noteTrigger(t);
}

describe('AdaptiveDebounce', () => {
  it('until the rhythm is known, waits a while, longer for a longer setting, shorter where people pause', () => {
    const d = new AdaptiveDebounce({ baseMs: 75 });
    const slower = new AdaptiveDebounce({ baseMs: 150 });
    expect(d.delay(false)).toBeGreaterThan(0);
    expect(d.delay(false)).toBeLessThanOrEqual(75);
    expect(slower.delay(false)).toBeGreaterThan(d.delay(false));
    expect(d.delay(true)).toBeLessThan(d.delay(false));
  });
  it('before the rhythm is known the wait grows in proportion to the setting (applied once: 300 ms is not 1,200 capped at 400)', () => {
    const atDefault = new AdaptiveDebounce({ baseMs: 75 }).delay(false);
    for (const baseMs of [150, 300, 1000]) {
      const wait = new AdaptiveDebounce({ baseMs }).delay(false);
      expect(wait / atDefault).toBeCloseTo(baseMs / 75, 0);
      expect(wait).toBeLessThanOrEqual(baseMs);
    }
  });
  it('waits longer for a slow typist than for a fast one (the next key is overdue later)', () => {
    const slow = new AdaptiveDebounce({ baseMs: 75 });
    const fast = new AdaptiveDebounce({ baseMs: 75 });
    typed(slow, 260);
    typed(fast, 110);
    expect(slow.delay(false)).toBeGreaterThan(fast.delay(false));
  });
  it('shortens the wait where people pause, and when early requests keep being reused', () => {
    const d = new AdaptiveDebounce({ baseMs: 75 });
    typed(d, 200);
    const base = d.delay(false);
    expect(d.delay(true)).toBeLessThan(base);
    for (let i = 0; i < 20; i++) d.noteOutcome(true);
    expect(d.delay(false)).toBeLessThan(base);
  });
  it('a fast backend caps the wait; 0 disables it', () => {
    const d = new AdaptiveDebounce({ baseMs: 75 });
    typed(d, 400);
    const uncapped = d.delay(false);
    d.noteLatency(60);
    expect(d.delay(false)).toBeLessThan(uncapped);
    expect(new AdaptiveDebounce({ baseMs: 0 }).delay(false)).toBe(0);
  });
});
