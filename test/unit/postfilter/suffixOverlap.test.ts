/** The tail that repeats what follows the cursor is dropped; auto-closed characters are not shown twice. */
import { describe, expect, it } from 'vitest';
import { postfilter } from '../../../src/core/postfilter';
import {
  autoClosedCandidates,
  sameLineOverlapCandidates,
  suffixMeeting,
} from '../../../src/core/postfilter/rules/suffixOverlap';

describe('suffix overlap rule', () => {
  it('finds where the text meets the suffix, whitespace-insensitively', () => {
    const text = 'y = x * 2\nreturn   y';
    expect(suffixMeeting(text, '\n    return y\n', false)).toEqual({ at: 'y = x * 2'.length, content: true });
  });
  it('marks lone closers as no content (the syntax decides those)', () => {
    expect(suffixMeeting('if (a) {\n  b();\n}', '\n}\n', false)).toMatchObject({ content: false });
  });
  it('counts letters of any script as content: a re-typed line of non-ASCII data is cut like code', async () => {
    expect(suffixMeeting("a\n    ('ጒ', 'ጕ'),", "    ('ጒ', 'ጕ'),\n", false)).toMatchObject({ content: true });
    // The model ran on to the token cap re-typing the table's next rows.
    const r = await postfilter({
      language: 'rust',
      prefix: "pub const T: &[(char, char)] = &[\n    ('ቐ', 'ቖ'),\n",
      suffix: "    ('ቚ', 'ቝ'),\n    ('በ', 'ኈ'),\n];\n",
      completion: "    ('ቘ', 'ቘ'),\n    ('ቚ', 'ቝ'),\n    ('በ', 'ኈ'),",
      finish: 'length',
    });
    expect(r).toMatchObject({ kind: 'ok', completion: "    ('ቘ', 'ቘ'),\n", replaceSuffix: 0 });
  });
  it('a text that stopped mid-way through a suffix line meets it only when the model ran on', () => {
    const suffix = '\ndef g(x):\n    return x\n';
    expect(suffixMeeting('a = 1\ndef g(x):\n    ret', suffix, false)).toBeUndefined();
    expect(suffixMeeting('a = 1\ndef g(x):\n    ret', suffix, true)).toEqual({ at: 5, content: true });
  });
  it('does not meet the suffix inside a word or on one repeated letter of a word', () => {
    expect(suffixMeeting('foobar', 'bar()\n', false)).toBeUndefined();
    expect(suffixMeeting('return er', 'r\n', false)).toBeUndefined();
    // The whole text is the one character after the cursor: a doubled letter as often (`x = █a` + `a`).
    expect(suffixMeeting('a', 'a\n', false, 'x = ')).toBeUndefined();
  });
  it('meets the suffix on a one-character token that re-types the rest of the line', async () => {
    expect(suffixMeeting('xit 1', '1\n', false)).toEqual({ at: 4, content: true });
    const r = await postfilter({
      language: 'shellscript',
      prefix: 'if [ -z "$X" ]; then\n  e',
      suffix: '1\nfi\n',
      completion: 'xit 1',
    });
    expect(r).toMatchObject({ kind: 'ok', completion: 'xit ', replaceSuffix: 0 });
  });
  it('cuts a re-typed rest of the line of two characters or more, mid-word too', async () => {
    // `@force = fo█ce`: the model finishes the word and re-types `ce`; `forcece` would parse as well.
    const r = await postfilter({
      language: 'ruby',
      prefix: 'def initialize(force)\n  @force = fo',
      suffix: 'ce\nend\n',
      completion: 'rce',
    });
    expect(r).toMatchObject({ kind: 'ok', completion: 'r', replaceSuffix: 0 });
    const py = await postfilter({ language: 'python', prefix: 'impo', suffix: 'io\nimport os\n', completion: 'rt io' });
    expect(py).toMatchObject({ kind: 'ok', completion: 'rt ', replaceSuffix: 0 });
  });
  it('keeps a last letter equal to the one after the cursor: a doubled letter is a word (`er█r`), not a re-typing', async () => {
    const r = await postfilter({
      language: 'go',
      prefix: 'func f() error {\n\terr := g()\n\tif err != nil {\n\t\tr',
      suffix: 'r\n\t}\n\treturn nil\n}\n',
      completion: 'eturn er',
    });
    expect(r).toMatchObject({ kind: 'ok', completion: 'eturn er', replaceSuffix: 0 });
  });
  it('leaves the layout to the suffix: the line break before the re-typed lines stays when the suffix starts with indentation', () => {
    const text = 'a = 1\n    b = 2';
    expect(suffixMeeting(text, '    b = 2\n', false)).toEqual({ at: 6, content: true });
  });
  it('keeps the blank line the model put before code it re-typed with other indentation', async () => {
    // The suffix starts with one line break; the model wrote two, then the next line indented by 3 instead of 4.
    expect(suffixMeeting('a = 1\n\n   b = 2', '\n    b = 2\n', false)).toEqual({ at: 6, content: true });
    const r = await postfilter({
      language: 'java',
      prefix: 'class A {\n',
      suffix: '\n    /** @serial */\n    private String s;\n}\n',
      completion: '    private static final long serialVersionUID = 1L;\n\n   /** @serial */',
    });
    expect(r).toMatchObject({ kind: 'ok', completion: '    private static final long serialVersionUID = 1L;\n' });
  });
  it('proposes same-line cuts and replaceSuffix for an auto-closed run', () => {
    const c = sameLineOverlapCandidates('a, b)', ')');
    expect(c).toContainEqual({ text: 'a, b', replaceSuffix: 0 });
    expect(c).toContainEqual({ text: 'a, b)', replaceSuffix: 1 });
  });
  it('cuts the re-typed closer when the suffix has it', async () => {
    const r = await postfilter({ language: 'python', prefix: 'print(len(', suffix: '))\n', completion: 'items))' });
    expect(r).toMatchObject({ kind: 'ok', completion: 'items', replaceSuffix: 0 });
  });
  it('keeps a closer that belongs to the completion', async () => {
    const r = await postfilter({ language: 'python', prefix: 'print(', suffix: ')\n', completion: 'len(items)' });
    expect(r).toMatchObject({ kind: 'ok', completion: 'len(items)', replaceSuffix: 0 });
  });
  it('replaces the auto-closed paren when the completion goes on past it', async () => {
    const r = await postfilter({
      language: 'javascript',
      prefix: 'const y = f(',
      suffix: ')\n',
      completion: 'a) + g(b);',
    });
    expect(r).toMatchObject({ kind: 'ok', completion: 'a) + g(b);', replaceSuffix: 1 });
  });
  it('replaces the auto-closed characters the completion re-types in order, with code between them', async () => {
    // `"` and `)` were auto-closed after `print("`; the model types the string's end, more code, then the `)`.
    const prefix = 'def f(tok):\n    if tok:\n        print("shl';
    const suffix = '")\n    return tok\n';
    const completion = 'ex: pushing token " + repr(tok))';
    const r = await postfilter({ language: 'python', prefix, suffix, completion });
    expect(r).toMatchObject({ kind: 'ok', completion, replaceSuffix: 2 });
  });
  it('proposes replacing only an auto-closed run the text contains as a subsequence', () => {
    expect(autoClosedCandidates('a" + b)', '")')).toEqual([
      { text: 'a" + b)', replaceSuffix: 1 },
      { text: 'a" + b)', replaceSuffix: 2 },
    ]);
    // `)` before `"`: the text does not re-type `")` in order.
    expect(autoClosedCandidates('a) + "b', '")')).toEqual([{ text: 'a) + "b', replaceSuffix: 1 }]);
    expect(autoClosedCandidates('abc', '")')).toEqual([]);
  });
});
