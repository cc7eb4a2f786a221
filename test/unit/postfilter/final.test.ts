/** Nothing, or only what the suffix already has, is rejected with a reason. */
import { describe, expect, it } from 'vitest';
import { postfilter } from '../../../src/core/postfilter';
import { duplicatesSuffix } from '../../../src/core/postfilter/rules/final';

describe('final checks', () => {
  it('rejects whitespace', async () => {
    expect(await postfilter({ language: 'go', prefix: 'x := ', suffix: '\n', completion: ' \n\t ' })).toMatchObject({
      kind: 'rejection',
      reason: 'empty',
    });
  });
  it('rejects a completion identical to the next lines', async () => {
    expect(duplicatesSuffix('return a\nend', '\n  return a\nend\n')).toBe(true);
    const r = await postfilter({
      language: 'javascript',
      prefix: 'function f(a) {\n  ',
      suffix: '\n  return a;\n}\n',
      completion: 'return a;\n}',
    });
    expect(r).toMatchObject({ kind: 'rejection', reason: 'suffix-duplicate' });
  });
  it('explains a parse failure', async () => {
    const r = await postfilter({
      language: 'java',
      prefix: 'class A {\n  int f() {\n    return ',
      suffix: ';\n  }\n}\n',
      completion: '1 +* / 2',
    });
    expect(r).toMatchObject({ kind: 'rejection', stage: 'postfilter', reason: 'parse-error' });
    expect(r.kind === 'rejection' && r.detail).toMatch(/syntax/);
  });
});
