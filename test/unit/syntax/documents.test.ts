import { beforeAll, describe, expect, it } from 'vitest';
import { applyChange, loadLanguage, parse, pointAt, type TextChange } from '../../../src/core/syntax';
import { DocumentTrees } from '../../../src/core/syntax/documents';
import { ensureGrammars } from './grammars';
import { SAMPLES } from './samples';

beforeAll(async () => {
  ensureGrammars();
  await loadLanguage('go');
  await loadLanguage('python');
});

/** A change as VS Code reports it: offsets and positions against the text before the event. */
function vsChange(text: string, offset: number, deletedLength: number, inserted: string): TextChange {
  return {
    offset,
    deletedLength,
    inserted,
    startPosition: pointAt(text, offset),
    oldEndPosition: pointAt(text, offset + deletedLength),
  };
}

async function freshTree(lang: string, text: string): Promise<string> {
  const t = (await parse(lang, text))!;
  const s = t.rootNode.toString();
  t.delete();
  return s;
}

describe('DocumentTrees (incremental parsing per document)', () => {
  it('folds typed characters into one incremental reparse that equals a fresh parse', async () => {
    const docs = new DocumentTrees();
    let text = SAMPLES.go;
    let version = 1;
    docs.open('file:///a.go', 'go', version, text.length);
    expect(docs.treeFor('file:///a.go', version, text)).toBeDefined();
    expect(docs.stats.fullParses).toBe(1);
    // Type `\n\tlog.Println(s.Port)` one character at a time inside main().
    let at = text.indexOf('fmt.Println(s.Addr())') + 'fmt.Println(s.Addr())'.length;
    for (const ch of '\n\tlog.Println(s.Port)') {
      const c = vsChange(text, at, 0, ch);
      text = applyChange(text, c);
      docs.change('file:///a.go', [c], ++version, text.length);
      at++;
    }
    const tree = docs.treeFor('file:///a.go', version, text)!;
    expect(docs.stats.fullParses).toBe(1);
    expect(docs.stats.incrementalParses).toBe(1);
    expect(tree.rootNode.toString()).toBe(await freshTree('go', text));
    expect(tree.rootNode.hasError).toBe(false);
    // Asking again without changes reuses the tree.
    expect(docs.treeFor('file:///a.go', version, text)).toBe(tree);
    docs.dispose();
  });

  it('applies multi-cursor events (several changes against the same old text) in any order', async () => {
    const docs = new DocumentTrees();
    let text = SAMPLES.python;
    docs.open('u', 'python', 1, text.length);
    docs.treeFor('u', 1, text);
    const a = text.indexOf('self.name = name');
    const b = text.indexOf('print(g.greet(2))');
    const changes = [vsChange(text, a, 4, 'this'), vsChange(text, b, 5, 'log')]; // ascending order
    text = applyChange(applyChange(text, changes[1]), changes[0]);
    docs.change('u', changes, 2, text.length);
    const tree = docs.treeFor('u', 2, text)!;
    expect(tree.rootNode.toString()).toBe(await freshTree('python', text));
    docs.dispose();
  });

  it('returns nothing for a stale version, an unknown document or a language without a grammar', () => {
    const docs = new DocumentTrees();
    docs.open('u', 'python', 3, 10);
    expect(docs.treeFor('u', 2, 'x = 1\n')).toBeUndefined();
    expect(docs.treeFor('v', 3, 'x = 1\n')).toBeUndefined();
    docs.open('m', 'markdown', 1, 10);
    expect(docs.treeFor('m', 1, '# hi')).toBeUndefined();
    docs.dispose();
  });

  it('does not parse documents over the size cap, and says so in the log', () => {
    const lines: string[] = [];
    const log = {
      trace() {},
      debug() {},
      info: (m: string) => lines.push(m),
      warn: (m: string) => lines.push(m),
      error() {},
    };
    const docs = new DocumentTrees({ maxChars: 1000, log });
    const big = 'x = 1\n'.repeat(500);
    docs.open('big', 'python', 1, big.length);
    expect(docs.treeFor('big', 1, big)).toBeUndefined();
    expect(lines.join('\n')).toMatch(/over the 1000 parse cap: context uses the line window/);
    // Shrinking under the cap brings parsing back.
    docs.change('big', [vsChange(big, 0, big.length - 12, '')], 2, 12);
    expect(docs.treeFor('big', 2, big.slice(big.length - 12))).toBeDefined();
    docs.dispose();
  });

  it('gives up on a document whose parse runs out of time, and says so once', async () => {
    await loadLanguage('c');
    const warnings: string[] = [];
    const log = { trace() {}, debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };
    const docs = new DocumentTrees({ maxParseMs: 1, log });
    const big = 'int f(int x) { return x * 2 + 1; }\n'.repeat(40_000); // 1.4M chars: under the size cap
    docs.open('slow', 'c', 1, big.length);
    expect(docs.treeFor('slow', 1, big)).toBeUndefined();
    expect(docs.treeFor('slow', 1, big)).toBeUndefined(); // no second attempt
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/took over 1 ms: context uses the line window/);
    docs.dispose();
  });
});
