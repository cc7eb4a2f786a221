/** Pure parts of the embedded backend: stop sequences over a stream, prompt layout under a budget, threads. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commonPrefixLength, defaultThreads, layoutFimPrompt } from '../../../src/core/backends/embedded/prompt';
import { createStopMatcher } from '../../../src/core/backends/embedded/stop';

function feed(stops: string[], pieces: string[]): { shown: string; stopped: boolean } {
  const m = createStopMatcher(stops);
  let shown = '';
  for (const p of pieces) {
    const r = m.push(p);
    shown += r.emit;
    if (r.stopped) return { shown, stopped: true };
  }
  return { shown: shown + m.flush(), stopped: false };
}

describe('stop sequences over a stream', () => {
  it('cuts before a stop split across chunks and never shows it', () => {
    expect(feed(['\n\n'], ['return a', '\n', '\nprint()'])).toEqual({ shown: 'return a', stopped: true });
    expect(feed(['</code>'], ['x </co', 'de> y'])).toEqual({ shown: 'x ', stopped: true });
  });

  it('holds back only what may still become a stop, and releases it when it does not', () => {
    const m = createStopMatcher(['\ndef ']);
    expect(m.push('a = 1\nde')).toEqual({ emit: 'a = 1', stopped: false });
    expect(m.push('bug = 2')).toEqual({ emit: '\ndebug = 2', stopped: false });
    expect(m.flush()).toBe('');
  });

  it('the earliest stop wins', () => {
    expect(feed(['b', 'a'], ['xxab'])).toEqual({ shown: 'xx', stopped: true });
  });

  it('any chunking shows the same text as cutting the whole string at the first stop', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', '\n', ' ') }),
        fc.array(fc.nat(6), { maxLength: 8 }),
        (text, cuts) => {
          const stops = ['\n\n', 'ab ', 'b\na'];
          const pieces: string[] = [];
          let i = 0;
          for (const c of cuts) {
            pieces.push(text.slice(i, i + c));
            i += c;
          }
          pieces.push(text.slice(i));
          const first = Math.min(...stops.map((s) => text.indexOf(s)).filter((x) => x >= 0));
          const expected = Number.isFinite(first) ? text.slice(0, first) : text;
          expect(feed(stops, pieces).shown).toBe(expected);
        },
      ),
    );
  });
});

describe('FIM prompt layout', () => {
  const fim = { prefix: 900, suffix: 901, middle: 902 };
  it('is <PRE> prefix <SUF> suffix <MID> when it fits', () => {
    expect(layoutFimPrompt([1, 2], [3], fim, 100)).toEqual({ tokens: [900, 1, 2, 901, 3, 902], trimmed: 0 });
  });

  it('puts the start of the middle after <MID>, kept whole when the prefix is trimmed; over half the budget it is prefix', () => {
    expect(layoutFimPrompt([1, 2], [3], fim, 100, [4, 5])).toEqual({
      tokens: [900, 1, 2, 901, 3, 902, 4, 5],
      trimmed: 0,
    });
    const prefix = Array.from({ length: 100 }, (_, i) => i);
    const r = layoutFimPrompt(prefix, [], fim, 43, [7, 7, 7]); // room 37 for prefix and suffix
    expect(r.tokens.slice(-4)).toEqual([902, 7, 7, 7]);
    expect(r.tokens.length).toBeLessThanOrEqual(43);
    const long = Array(30).fill(7);
    expect(layoutFimPrompt(prefix, [], fim, 43, long).tokens.at(-1)).toBe(902);
  });

  it('keeps the text nearest the cursor when over budget; the suffix gets at most a quarter unless there is room', () => {
    const prefix = Array.from({ length: 100 }, (_, i) => i);
    const suffix = Array.from({ length: 100 }, (_, i) => 1000 + i);
    const r = layoutFimPrompt(prefix, suffix, fim, 43); // room 40: suffix 10, prefix ≤ 30 cut in blocks of 5
    expect(r.tokens).toEqual([900, ...prefix.slice(70), 901, ...suffix.slice(0, 10), 902]);
    expect(r.trimmed).toBe(160);
    const r2 = layoutFimPrompt(prefix.slice(0, 98), suffix, fim, 43); // 68 over: cut 70 (14 blocks), keep 28
    expect(r2.tokens.slice(0, 3)).toEqual([900, 70, 71]);
    const short = layoutFimPrompt(prefix.slice(0, 5), suffix, fim, 43); // prefix 5 leaves 35 for the suffix
    expect(short.tokens).toEqual([900, ...prefix.slice(0, 5), 901, ...suffix.slice(0, 35), 902]);
  });

  it('keeps the first tokens stable while typing over budget (KV cache reuse)', () => {
    const prefix = Array.from({ length: 5000 }, (_, i) => i);
    const a = layoutFimPrompt(prefix, [], fim, 3968);
    const b = layoutFimPrompt([...prefix, 5000], [], fim, 3968);
    expect(b.tokens.slice(0, 100)).toEqual(a.tokens.slice(0, 100));
    expect(a.trimmed).toBeLessThan(5000 - 3965 + 256);
  });

  it('never exceeds the budget', () => {
    fc.assert(
      fc.property(fc.nat(300), fc.nat(300), fc.integer({ min: 3, max: 400 }), (p, s, budget) => {
        const r = layoutFimPrompt(Array(p).fill(1), Array(s).fill(2), fim, budget);
        expect(r.tokens.length).toBeLessThanOrEqual(Math.max(budget, 3));
        expect(r.tokens.length - 3 + r.trimmed).toBe(p + s);
      }),
    );
  });

  it('common prefix and thread defaults', () => {
    expect(commonPrefixLength([1, 2, 3], [1, 2, 4, 5])).toBe(2);
    expect(commonPrefixLength([], [1])).toBe(0);
    expect(defaultThreads(2)).toBe(1);
    expect(defaultThreads(1)).toBe(1);
    expect(defaultThreads(16)).toBe(15);
  });
});
