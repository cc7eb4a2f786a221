/** Syntax-aware truncation and the parse gate: the cut a careful human would make, judged on the real document. */
import { describe, expect, it } from 'vitest';
import { postfilter } from '../../../src/core/postfilter';

const doc = (d: string) => {
  const i = d.indexOf('█');
  return { prefix: d.slice(0, i), suffix: d.slice(i + 1) };
};

describe('cut rule (syntax truncation + parse gate)', () => {
  it('one statement when the block goes on; the whole if/elif/else chain', async () => {
    const r = await postfilter({
      language: 'python',
      ...doc('def f(x):\n    █\n    return y\n'),
      completion: 'if x:\n        y = 1\n    elif x is None:\n        y = 0\n    else:\n        y = 2\n    y += 1',
    });
    expect(r).toMatchObject({ kind: 'ok', completion: 'if x:\n        y = 1\n    elif x is None:\n        y = 0\n    else:\n        y = 2', judge: 'syntax' });
  });
  it('the rest of the block when the cursor is at its end, not the code after it', async () => {
    const r = await postfilter({ language: 'rust', ...doc('fn f(v: &[u8]) -> u8 {\n    let a = v[0];\n    █\n}\n'), completion: 'let b = a + 1;\n    b * 2\n}\n\nfn g() {}' });
    expect(r).toMatchObject({ kind: 'ok', completion: 'let b = a + 1;\n    b * 2' });
  });
  it('keeps a closing brace the document needs (the editor did not auto-close)', async () => {
    const r = await postfilter({ language: 'java', ...doc('class A {\n    int f() {█\n}\n'), completion: '\n        return 1;\n    }\n\n    int g() { return 2; }' });
    expect(r).toMatchObject({ kind: 'ok', completion: '\n        return 1;\n    }' });
  });
  it('never shows a candidate that adds parse errors, trying shorter cuts first', async () => {
    const r = await postfilter({ language: 'go', ...doc('package main\n\nfunc f() int {\n\t█\n}\n'), completion: 'x := 1\n\treturn x\n\tfunc (' });
    expect(r).toMatchObject({ kind: 'ok', completion: 'x := 1\n\treturn x' });
  });
  it('an error elsewhere in the file that does not swallow the hole does not block a fitting completion', async () => {
    const r = await postfilter({ language: 'typescript', ...doc('function e() {\n  let broken = ;\n}\n\nfunction f(a: number) {\n  █\n}\n'), completion: 'return a * 2;\n}\n\nfunction g() {}' });
    expect(r).toMatchObject({ kind: 'ok', completion: 'return a * 2;' });
  });
  it('works on a large file (the document is judged in a window around the hole)', async () => {
    const fns = Array.from({ length: 400 }, (_, i) => `function f${i}(a) {\n  return a + ${i};\n}\n`).join('\n');
    const t0 = performance.now();
    const r = await postfilter({ language: 'javascript', ...doc(`${fns}\nfunction g(a) {\n  █\n}\n\n${fns}`), completion: 'const b = a * 2;\n  return b;\n}\n\nfunction h() {}' });
    expect(r).toMatchObject({ kind: 'ok', completion: 'const b = a * 2;\n  return b;' });
    expect(performance.now() - t0).toBeLessThan(1000);
  });
  it('no grammar: indentation ends the block', async () => {
    const r = await postfilter({ language: 'nim', ...doc('proc f(x: int): int =\n  █\n\necho f(1)\n'), completion: 'let y = x * 2\n  result = y\n\nproc g() = discard' });
    expect(r).toMatchObject({ kind: 'ok', completion: 'let y = x * 2\n  result = y', judge: 'heuristic' });
  });
});
