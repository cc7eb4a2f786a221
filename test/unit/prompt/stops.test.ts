import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAtStops, StopCutter } from '../../../src/core/prompt/stops';

function streamCut(chunks: string[], stops: string[]): { text: string; stopped: boolean } {
  const c = new StopCutter(stops);
  let out = '';
  for (const ch of chunks) {
    out += c.push(ch);
    if (c.done) return { text: out, stopped: true };
  }
  return { text: out + c.flush(), stopped: false };
}

describe('StopCutter', () => {
  it('cuts at a stop sequence split across chunks and reports it', () => {
    expect(streamCut(['return a + b<|end', 'oftext|>garbage'], ['<|endoftext|>'])).toEqual({
      text: 'return a + b',
      stopped: true,
    });
  });

  it('releases held text that turned out not to be a stop', () => {
    const c = new StopCutter(['<|endoftext|>']);
    expect(c.push('x <|end')).toBe('x ');
    expect(c.push('less')).toBe('<|endless');
  });

  it('takes the earliest of several stops', () => {
    expect(cutAtStops('a\n\nb<EOT>', ['<EOT>', '\n\n'])).toBe('a');
  });

  it('a longer stop that starts before a shorter one wins, even when it completes in the next chunk', () => {
    expect(streamCut(['e>', 'x'], ['>', 'e>x']).text).toBe('');
    expect(streamCut(['e>'], ['>', 'e>x']).text).toBe('e');
  });

  it('streams the same text as cutting the whole answer, for any chunking (property)', () => {
    const alphabet = fc.constantFrom('a', '<', '|', 'e', '>', '\n', 'x');
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: alphabet, maxLength: 6 }), { maxLength: 12 }),
        fc.array(fc.string({ unit: alphabet, minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
        (chunks, stops) => {
          const whole = chunks.join('');
          let expected = whole;
          let cut = -1;
          for (const s of stops) {
            const i = whole.indexOf(s);
            if (i >= 0 && (cut < 0 || i < cut)) cut = i;
          }
          if (cut >= 0) expected = whole.slice(0, cut);
          expect(streamCut(chunks, stops).text).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});
