/** Mid-line: only the rest of the line, when the model ran on or its whole text does not fit. */
import { describe, expect, it } from 'vitest';
import { postfilter } from '../../../src/core/postfilter';

describe('single-line rule', () => {
  it('keeps the first line only when text follows the cursor', async () => {
    const r = await postfilter({
      language: 'javascript',
      prefix: 'const a = [',
      suffix: '];\n',
      completion: '1, 2, 3\nconst b = 4;',
    });
    expect(r).toMatchObject({ kind: 'ok', completion: '1, 2, 3' });
  });
  it('a completion that starts with a newline mid-line shows nothing when the model ran on', async () => {
    const r = await postfilter({
      language: 'javascript',
      prefix: 'foo(',
      suffix: ', z);\n',
      completion: '\n  a,\n  b\n  c',
      finish: 'length',
    });
    expect(r.kind).toBe('rejection');
  });
  it('multiline: false forces one line even at an empty line', async () => {
    const r = await postfilter({
      language: 'python',
      prefix: 'def f():\n    ',
      suffix: '\n',
      completion: 'x = 1\n    return x',
      multiline: false,
    });
    expect(r).toMatchObject({ kind: 'ok', completion: 'x = 1' });
  });
});
