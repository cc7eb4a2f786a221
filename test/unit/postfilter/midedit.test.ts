/**
 * Documents being edited (already broken): the gate compares the errors around the hole, so the correct completion
 * is shown while text that breaks the cursor's line is still rejected. The golden cases in
 * test/fixtures/postfilter/midedit come from the typing replay (bench/midedit.bench.ts).
 */
import { describe, expect, it } from 'vitest';
import { postfilter } from '../../../src/core/postfilter';

// The user is typing the line above an orphaned body: the file does not parse, whatever the cursor line holds.
const prefix = 'const isPathSeparator = code => {\n  return code === 47;\n};\n\ncons';
const suffix =
  '\n  const opts = options || {};\n  const length = input.length - 1;\n  return length;\n};\n\nmodule.exports = scan;\n';

describe('post-filter on a document being edited', () => {
  it('shows the header being typed above an existing body', async () => {
    const r = await postfilter({
      language: 'javascript',
      prefix,
      suffix,
      completion: 't scan = (input, options) => {',
      multiline: false,
    });
    expect(r.kind === 'ok' ? r.completion : r).toBe('t scan = (input, options) => {');
  });

  it('still rejects a completion that breaks the line being typed', async () => {
    const r = await postfilter({
      language: 'javascript',
      prefix,
      suffix,
      completion: 't scan = ) => (input, {{ ]',
      multiline: false,
    });
    expect(r.kind).toBe('rejection');
  });
});
