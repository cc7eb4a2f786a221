/** Bracket balance relative to the suffix, and the scanner behind the fallback. */
import { describe, expect, it } from 'vitest';
import { bracketErrors, commentSyntax, scanBrackets } from '../../../src/core/postfilter/brackets';
import { postfilter } from '../../../src/core/postfilter';
import { closerTrimCandidates } from '../../../src/core/postfilter/rules/bracketBalance';

const js = commentSyntax('javascript');

describe('bracket balance', () => {
  it('a scan resumed after a first part counts the same as one scan of both parts', () => {
    const c = commentSyntax('typescript');
    const parts = ['f(a, [b', '{ x: "(", y: `[', '`}\n', '/* ( */ ]) }', ') // )\n', "x = '{'; g(", ''];
    for (const a of parts) {
      for (const b of parts) {
        const head = scanBrackets(a, c);
        if (head.endsInside) continue;
        const { endsInside, ...whole } = scanBrackets(a + b, c);
        const { endsInside: e2, ...resumed } = scanBrackets(b, c, { scan: head, length: a.length });
        expect(resumed, JSON.stringify([a, b])).toEqual(whole);
        expect(e2).toBe(endsInside);
      }
    }
    expect(scanBrackets('x = `a\n(', c).endsInside).toBe(true);
    expect(scanBrackets('/* (', c).endsInside).toBe(true);
  });
  it('scans brackets outside strings and comments', () => {
    expect(scanBrackets('f(a, "(", `)`, /* ) */ b) // )', js)).toMatchObject({
      open: [],
      unmatchedClosers: 0,
      mismatched: 0,
    });
    expect(scanBrackets('a)]', js).unmatchedClosers).toBe(2);
    expect(scanBrackets('(]', js).mismatched).toBe(1);
    expect(bracketErrors('x = [1, (2', js)).toBe(2);
    expect(scanBrackets('# )', commentSyntax('python')).unmatchedClosers).toBe(0);
  });
  it('proposes cuts of trailing closers, keeping results prefixes of the input', () => {
    const c = closerTrimCandidates('f(x)));', js).map((x) => x.text);
    expect(c).toEqual(['f(x)))', 'f(x))', 'f(x)', 'f(x']);
  });
  it('drops an extra closer the model added (grammar)', async () => {
    const r = await postfilter({
      language: 'c',
      prefix: 'int main(void) {\n    int x = abs(',
      suffix: '\n    return x;\n}\n',
      completion: '-3));',
    });
    expect(r).toMatchObject({ kind: 'ok', completion: '-3)' });
  });
  it('drops an extra closer without a grammar (brackets only)', async () => {
    const r = await postfilter({
      language: 'kotlin',
      prefix: 'val ys = xs.map { ',
      suffix: ' }\n',
      completion: 'it + 1 }}',
    });
    expect(r).toMatchObject({ kind: 'ok', completion: 'it + 1' });
  });
});
