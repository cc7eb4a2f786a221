import { describe, expect, it } from 'vitest';
import { codeView, guardChatAnswer, stripEcho } from '../../../src/core/prompt/chat';

const py = { prefix: 'def add(a, b):\n    ', language: 'python' };

describe('chat-answer guard', () => {
  it('plain code passes untouched', () => {
    expect(guardChatAnswer('return a + b', py)).toEqual({ kind: 'ok', text: 'return a + b', applied: [] });
  });

  it('a fenced answer keeps the code and drops the lines that repeat the prefix', () => {
    const r = guardChatAnswer('```python\ndef add(a, b):\n    return a + b\n```\nThis adds two numbers.', py);
    expect(r).toEqual({ kind: 'ok', text: 'return a + b', applied: ['markdown-fence'] });
  });

  it('prose then a fence: the code inside the fence', () => {
    const r = guardChatAnswer("Sure! Here's the completed function:\n\n```python\n    return a + b\n```\n", py);
    expect(r.kind).toBe('ok');
    expect(r.kind === 'ok' && r.text).toBe('return a + b');
  });

  it('prose without code is rejected with the reason', () => {
    const r = guardChatAnswer('Certainly. The function should return the sum of a and b.', py);
    expect(r).toMatchObject({ kind: 'reject', reason: 'chat-prose' });
    expect(r.kind === 'reject' && r.detail).toMatch(/prose/);
  });

  it('code followed by a closing fence and explanation: keeps the code', () => {
    expect(guardChatAnswer('return a + b\n```\n\nExplanation: adds.', py)).toEqual({
      kind: 'ok',
      text: 'return a + b',
      applied: ['markdown-fence-tail'],
    });
  });

  it('prose is fine where the user writes prose: comments, docstrings, markdown', () => {
    expect(guardChatAnswer('Here is why we add: speed.', { prefix: 'x = 1\n# ', language: 'python' }).kind).toBe('ok');
    expect(
      guardChatAnswer('Sure, this returns the sum.', { prefix: 'def f():\n    """', language: 'python' }).kind,
    ).toBe('ok');
    expect(guardChatAnswer('```js\nx\n```', { prefix: '# Title\n', language: 'markdown' })).toMatchObject({
      kind: 'ok',
      text: '```js\nx\n```',
    });
  });

  it('fences are left alone when the document already uses them', () => {
    const prefix = 'doc = """\n```python\nprint(1)\n';
    expect(guardChatAnswer('```\n"""', { prefix, language: 'python' })).toMatchObject({ kind: 'ok', text: '```\n"""' });
  });

  it('codeView skips an opening fence so single-line requests wait for the code line', () => {
    expect(codeView('```python\nreturn a')).toBe('return a');
    expect(codeView('return a')).toBe('return a');
  });

  it('stripEcho removes the typed part of the cursor line', () => {
    expect(stripEcho('    total = sum(xs)\n', 'def f(xs):\n    total = ')).toBe('sum(xs)\n');
  });
});

describe('chat-answer guard leaves code that merely looks chatty alone', () => {
  it.each([
    ['go', 'func f() {\n\t', 'ok, err := load()'],
    ['javascript', 'function f() {\n  ', 'let me = self();'],
    ['python', 'def f():\n    ', 'sure = True'],
    ['javascript', 'class A {\n  m() {\n    ', 'this.code = 1;'],
  ])('%s: %s', (language, prefix, code) => {
    expect(guardChatAnswer(code, { prefix, language })).toEqual({ kind: 'ok', text: code, applied: [] });
  });
});
