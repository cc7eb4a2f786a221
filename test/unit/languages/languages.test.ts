import { describe, expect, it } from 'vitest';
import {
  ANY_LANGUAGE,
  LANGUAGES,
  languageFamily,
  languageOf,
  languageOrAny,
  lineCommentOf,
} from '../../../src/core/languages';
import { ALL_GRAMMARS, grammarFor, LANGUAGE_GRAMMARS } from '../../../src/core/syntax/registry';

describe('the language table', () => {
  it('has one entry per language id', () => {
    const ids = LANGUAGES.flatMap((l) => l.ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('names a grammar for every shipped grammar, and the registry reads it from the table', () => {
    expect(new Set(Object.values(LANGUAGE_GRAMMARS))).toEqual(new Set(ALL_GRAMMARS));
    expect(grammarFor('typescriptreact')).toBe('tsx');
    expect(grammarFor('javascriptreact')).toBe('javascript');
    expect(grammarFor('shellscript')).toBe('bash');
    expect(grammarFor('objectivec')).toBeUndefined(); // the C grammar would misparse it: the heuristic path
    expect(grammarFor('markdown')).toBeUndefined();
  });

  it('every grammar language knows its elision line, keywords, declaration words, import and function nodes', () => {
    for (const l of LANGUAGES.filter((x) => x.grammar)) {
      expect(l.elision, l.ids[0]).toMatch(/\.\.\.$/);
      expect(l.keywords.size, l.ids[0]).toBeGreaterThan(10);
      expect(l.declarationKeywords.length, l.ids[0]).toBeGreaterThan(0);
      if (l.ids[0] !== 'ruby' && l.ids[0] !== 'shellscript') expect(l.importNodes.length, l.ids[0]).toBeGreaterThan(0);
      expect(l.functionNodes.length, l.ids[0]).toBeGreaterThan(0);
    }
    expect(languageOf('python')!.elision).toBe('...'); // valid Python where a body was dropped
    expect(languageOf('ruby')!.elision).toBe('# ...');
    expect(languageOf('go')!.elision).toBe('// ...');
  });

  it('comment markers: one answer for the prompt and the post-filter', () => {
    expect(lineCommentOf('python')).toBe('#');
    expect(lineCommentOf('typescript')).toBe('//');
    expect(lineCommentOf('lua')).toBe('--');
    expect(lineCommentOf('crystal')).toBe('#'); // was only in one of the two former tables
    expect(lineCommentOf('php')).toBeUndefined(); // a PHP file starts in HTML: nothing can be commented in before it
    expect(languageOf('php')!.lineComments).toEqual(['//', '#']);
    expect(lineCommentOf('json')).toBeUndefined();
    expect(lineCommentOf('no-such-language')).toBeUndefined();
  });

  it('families group the languages whose files see each other', () => {
    expect(new Set(['typescript', 'javascript', 'typescriptreact', 'javascriptreact'].map(languageFamily)).size).toBe(
      1,
    );
    expect(new Set(['c', 'cpp', 'cuda-cpp', 'objectivec'].map(languageFamily)).size).toBe(1);
    expect(languageFamily('python')).not.toBe(languageFamily('ruby'));
    expect(languageFamily('no-such-language')).toBe('no-such-language');
  });

  it('indentation-delimited and tab-indented languages', () => {
    expect(LANGUAGES.filter((l) => l.offside).flatMap((l) => l.ids)).toEqual(
      expect.arrayContaining(['python', 'yaml', 'nim', 'coffeescript']),
    );
    expect(languageOf('typescript')!.offside).toBe(false);
    expect(languageOf('go')!.tabIndent).toBe(true);
    expect(languageOf('makefile')!.tabIndent).toBe(true);
  });

  it('an unknown language takes every known keyword and declaration word', () => {
    expect(languageOrAny('no-such-language')).toBe(ANY_LANGUAGE);
    expect(
      ANY_LANGUAGE.keywords.has('def') && ANY_LANGUAGE.keywords.has('function') && ANY_LANGUAGE.keywords.has('fn'),
    ).toBe(true);
    expect(ANY_LANGUAGE.declarationKeywords).toEqual(expect.arrayContaining(['impl', 'object', 'def', 'func']));
    // Keywords are per language: `type` is reserved in TypeScript, a plain name in Python.
    expect(languageOf('typescript')!.keywords.has('type')).toBe(true);
    expect(languageOf('python')!.keywords.has('type')).toBe(false);
  });
});
