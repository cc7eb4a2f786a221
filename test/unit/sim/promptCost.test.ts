/** Prefill as a server with a prefix cache pays it: the tokens after what the prompt shares with the previous one. */
import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../../../src/core/tokens';
import { PrefixCacheMeter } from '../../../src/sim/promptCost';

describe('PrefixCacheMeter', () => {
  it('the first prompt is processed whole; one that only grows at its end costs only what it added', () => {
    const m = new PrefixCacheMeter('bpe-large');
    const head = 'import os\n\ndef first_line(path):\n    with open(path) as f:\n';
    expect(m.add(head)).toBe(estimateTokens(head, 'bpe-large'));
    expect(m.add(`${head}        return f.readline()`)).toBe(
      estimateTokens('        return f.readline()', 'bpe-large'),
    );
    expect(m.add(`${head}        return f.readline()`)).toBe(0); // the same prompt again: all cached
  });

  it('a window whose start moved is processed again from its first character', () => {
    const m = new PrefixCacheMeter('bpe-large');
    m.add('alpha = 1\nbeta = 2\ngamma = 3\n');
    const slid = 'beta = 2\ngamma = 3\ndelta = 4\n';
    expect(m.add(slid)).toBe(estimateTokens(slid, 'bpe-large'));
    expect(m.prompts).toBe(2);
    expect(m.prefillTokens).toBe(m.promptTokens);
  });

  it('counts the suffix section processed again because something before it changed, not the typed text after it', () => {
    const m = new PrefixCacheMeter('bpe-large');
    const render = (head: string, suffix: string, middle: string) => {
      const prompt = `<PRE>${head}<SUF>${suffix}<MID>${middle}`;
      const start = prompt.indexOf('<SUF>') + 5;
      return { prompt, section: { start, end: start + suffix.length } };
    };
    const suffix = '\n    return total\n\ndef other():\n    pass\n';
    for (const [head, middle] of [
      ['def f(xs):\n', '    total = su'],
      ['def f(xs):\n', '    total = sum(x'], // only the middle grew: nothing of the suffix again
      ['def f(xs, ys):\n', '    total = sum(x'], // the head changed: the whole suffix again
    ]) {
      const { prompt, section } = render(head, suffix, middle);
      m.add(prompt, section);
    }
    expect(m.suffixTokens).toBe(2 * estimateTokens(suffix, 'bpe-large'));
  });
});
