/** Where the cursor is decides what may be shown: the rest of the line, of the statement, one unit, or the block. */
import { describe, expect, it } from 'vitest';
import { analyzeHole } from '../../../src/core/postfilter';

const at = (doc: string) => {
  const i = doc.indexOf('█');
  return [doc.slice(0, i), doc.slice(i + 1)] as const;
};

describe('hole analysis', () => {
  it('text after the cursor on its line → line mode, single line', () => {
    const [p, s] = at('x = foo(█, 2)\n');
    expect(analyzeHole(p, s).mode).toBe('line');
  });
  it('code before, nothing after → statement mode', () => {
    const [p, s] = at('  const x = █\n');
    expect(analyzeHole(p, s).mode).toBe('statement');
  });
  it('empty line with more of the block after it → one unit', () => {
    const [p, s] = at('def f():\n    a = 1\n    █\n    return a\n');
    expect(analyzeHole(p, s)).toMatchObject({ mode: 'block', unit: 'one', minIndent: 4 });
  });
  it('empty line at the end of a block → the rest of the block', () => {
    const [p, s] = at('function f() {\n  let a = 1;\n  █\n}\n');
    expect(analyzeHole(p, s)).toMatchObject({ mode: 'block', unit: 'rest', minIndent: 2 });
    const [p2, s2] = at('def f():\n    a = 1\n    █\n\nprint(1)\n');
    expect(analyzeHole(p2, s2).unit).toBe('rest');
  });
  it('top level: one unit, even at the end of the file', () => {
    const [p, s] = at('import os\n\n█');
    expect(analyzeHole(p, s)).toMatchObject({ mode: 'block', unit: 'one', minIndent: 0 });
  });
  it('end of a block-opening line → block after the opener', () => {
    const [p, s] = at('def f(x):█\n\ndef g():\n    pass\n');
    expect(analyzeHole(p, s)).toMatchObject({ mode: 'block', afterOpener: true, unit: 'rest', minIndent: 1 });
  });
  it('forced single line (the scheduler asked for one line)', () => {
    const [p, s] = at('def f():\n    █\n');
    expect(analyzeHole(p, s, false).mode).toBe('line');
  });
  it('detects indentation unit and line endings', () => {
    expect(analyzeHole('func f() {\r\n\tx := 1\r\n\t', '\r\n}\r\n').indentUnit).toBe('\t');
    expect(analyzeHole('func f() {\r\n\tx := 1\r\n\t', '\r\n}\r\n').eol).toBe('\r\n');
    expect(analyzeHole('a:\n  b:\n    c\n  ', '\n').indentUnit).toBe('  ');
  });
  it('reads the indentation unit from the code near the cursor, not from far above it', () => {
    // Tab-indented code far above (a vendored block), two-space code around the cursor: the cursor's code decides.
    const far = 'function old() {\n\tif (a) {\n\t\treturn 1;\n\t}\n}\n'.repeat(400);
    const near = 'function f() {\n  if (a) {\n    return 1;\n  }\n}\n'.repeat(100);
    expect(far.length).toBeGreaterThan(8000);
    expect(analyzeHole(far + near + 'function g() {\n  ', '\n}\n', true, 'typescript').indentUnit).toBe('  ');
    // Lines of whitespace (a `\r` before a line break included) tell nothing.
    expect(analyzeHole('a:\r\n  b:\r\n  \t \r\n    c\r\n  ', '\r\n \r\n').indentUnit).toBe('  ');
  });
});
