/**
 * The whole rule chain against golden documents (test/fixtures/postfilter/**): what the user would see as ghost
 * text — and the document after accepting it — for real over-generation patterns in many languages.
 */
import { describe, expect, it } from 'vitest';
import { postfilter } from '../../../src/core/postfilter';
import { loadGoldenCases } from './fixtures';

const cases = loadGoldenCases();

describe('post-filter golden cases', () => {
  it('has cases for every required language', () => {
    const langs = new Set(cases.map((c) => c.language));
    for (const l of [
      'python',
      'typescript',
      'javascript',
      'javascriptreact',
      'go',
      'rust',
      'java',
      'c',
      'cpp',
      'csharp',
    ]) {
      expect(langs, `no golden case for ${l}`).toContain(l);
    }
  });

  it('has negative mid-edit cases: a filter that returned its input unchanged would fail them', () => {
    const midedit = cases.filter((c) => c.file.startsWith('midedit'));
    expect(
      midedit.filter((c) => c.expected === null || c.directive === 'notEqual' || c.expected !== c.completion).length,
    ).toBeGreaterThanOrEqual(8);
  });

  for (const c of cases) {
    it(`${c.file}: ${c.description}`, async () => {
      const r = await postfilter({
        language: c.language,
        prefix: c.prefix,
        suffix: c.suffix,
        completion: c.completion,
        multiline: c.multiline,
        finish: c.finish,
      });
      if (c.directive === 'notEqual') {
        const wrong = c.prefix + c.expected + c.suffix.slice(c.replaceSuffix);
        if (r.kind === 'ok') expect(c.prefix + r.completion + c.suffix.slice(r.replaceSuffix)).not.toBe(wrong);
        return;
      }
      if (c.expected === null) {
        expect(r.kind, r.kind === 'ok' ? `showed ${JSON.stringify(r.completion)}` : '').toBe('rejection');
        return;
      }
      expect(r.kind, r.kind === 'rejection' ? `${r.reason}: ${r.detail}` : '').toBe('ok');
      if (r.kind !== 'ok') return;
      const accepted = c.prefix + r.completion + c.suffix.slice(r.replaceSuffix);
      const wanted = c.prefix + c.expected + c.suffix.slice(c.replaceSuffix);
      expect(accepted).toBe(wanted);
    });
  }
});
