/** A doc comment still being written: judged as it will be once closed, so comment text is not blocked. */
import { describe, expect, it } from 'vitest';
import { inOpenDocComment, judgedInput, postfilter } from '../../../src/core/postfilter';

// The user is writing a doc comment above existing code; its closing star-slash is not typed yet, so for the
// parser the comment's text is broken code.
const PREFIX = 'const a = 1;\n\n/**\n * Scans a glob pattern and returns\n * an object with `isGlo';
const SUFFIX = '\nexport function scan(input, options) {\n  return { input };\n}\n';

describe('doc comment still being written', () => {
  it('comment text is shown (it was rejected as a parse error while the comment is open)', async () => {
    const r = await postfilter({
      language: 'typescript',
      prefix: PREFIX,
      suffix: SUFFIX,
      completion: 'b` and `negated`.',
      multiline: true,
    });
    expect(r).toMatchObject({ kind: 'ok', completion: 'b` and `negated`.' });
  });

  it('comment lines after the cursor line are shown; code the model goes on with is not', async () => {
    const r = await postfilter({
      language: 'typescript',
      prefix: 'const a = 1;\n\n/**\n * Scans a glob pattern.\n *',
      suffix: SUFFIX,
      completion: ' @param input the pattern\n * @returns the parts\nconst x = ((;\n',
      multiline: true,
    });
    expect(r.kind).toBe('ok');
    if (r.kind === 'ok') {
      expect(r.completion.startsWith(' @param input the pattern')).toBe(true);
      expect(r.completion).not.toContain('const x');
    }
  });

  it('is judged with a virtual closing line after the cursor line, never inserted', () => {
    const j = judgedInput({ language: 'typescript', prefix: PREFIX, suffix: ' rest\nnext();\n' });
    expect(j.suffix).toBe(' rest\n */\nnext();\n');
    const crlf = judgedInput({ language: 'typescript', prefix: '/**\r\n * a', suffix: ' b\r\nx;' });
    expect(crlf.suffix).toBe(' b\r\n */\r\nx;');
    const closed = { language: 'typescript', prefix: '/** a */\nconst x = ', suffix: '1;\n' };
    expect(judgedInput(closed)).toBe(closed);
  });

  it('only inside a `/**` … ` * …` block not closed before the cursor, in languages with block comments', () => {
    expect(inOpenDocComment(PREFIX, 'typescript')).toBe(true);
    expect(inOpenDocComment('/**\n * done\n */\nconst x = ', 'typescript')).toBe(false);
    expect(inOpenDocComment('const glob = "/*";\nconst y = ', 'javascript')).toBe(false);
    expect(inOpenDocComment('/*plain block, not a doc comment', 'javascript')).toBe(false);
    expect(inOpenDocComment('x = 1\n/**\n * a', 'python')).toBe(false);
  });
});
