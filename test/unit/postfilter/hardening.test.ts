/**
 * Hostile or runaway answers: characters that must never reach the editor are stripped, a huge answer is cut to the
 * length cap before any filtering, and judging a huge answer costs time linear in its size.
 */
import { describe, expect, it } from 'vitest';
import { completionCap, MAX_COMPLETION_CHARS, postfilter } from '../../../src/core/postfilter';
import { createJudge } from '../../../src/core/postfilter/judge';
import { sanitize } from '../../../src/core/postfilter/rules/sanitize';
import { loadLanguage } from '../../../src/core/syntax';

describe('shown text is sanitized', () => {
  it('drops NUL, terminal escapes and other control characters, keeps tabs and line breaks', () => {
    expect(sanitize('a\u0000b\u001b[31mred\u001b[0m\tc\r\nd\u0007\u009b')).toBe('ab[31mred[0m\tc\r\nd');
  });
  it('drops bidirectional overrides and isolates (text that reads differently from what it does)', () => {
    expect(sanitize('if (isAdmin\u202e) { ⁦// ok⁩ }')).toBe('if (isAdmin) { // ok }');
    expect(sanitize('x\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069y')).toBe('xy');
  });
  it('end to end: the suggestion carries none of them', async () => {
    const r = await postfilter({
      language: 'python',
      prefix: 'def f(x):\n    ',
      suffix: '\n',
      completion: 'return x\u202e + 1\u0000',
    });
    expect(r).toMatchObject({ kind: 'ok', completion: 'return x + 1' });
  });
});

describe('length cap', () => {
  it('about maxTokens × 8 characters, 16 KB at most', () => {
    expect(completionCap(128)).toBe(1024);
    expect(completionCap(4096)).toBe(MAX_COMPLETION_CHARS);
    expect(completionCap(undefined)).toBe(MAX_COMPLETION_CHARS);
  });
  it('never shows a suggestion longer than the cap, whatever the model sent', async () => {
    const line = 'x = x + 1\n';
    const r = await postfilter({
      language: 'python',
      prefix: 'x = 0\n',
      suffix: '',
      completion: line.repeat(6000),
      maxChars: 1000,
    });
    expect(r.kind === 'ok' ? r.completion.length : 0).toBeLessThanOrEqual(1000);
    const huge = await postfilter({ language: 'plaintext', prefix: '', suffix: '', completion: 'a'.repeat(60_000) });
    expect(huge.kind === 'ok' ? huge.completion.length : 0).toBeLessThanOrEqual(MAX_COMPLETION_CHARS);
  });
});

describe('judging a huge answer', () => {
  it('counts the errors of a 16,000-wide ERROR node in linear time (not child(i) by index)', async () => {
    await loadLanguage('python');
    const text = '('.repeat(MAX_COMPLETION_CHARS);
    const judge = await createJudge('python', 'x = f(', ')\n', text, 0, false, performance.now() + 60_000);
    const t0 = performance.now();
    const v = judge.judge({ text, replaceSuffix: 0 });
    judge.dispose();
    expect(v.errors).toBeGreaterThan(0);
    // Walking children by index is quadratic here: tens of seconds; the linear walk takes well under one.
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
