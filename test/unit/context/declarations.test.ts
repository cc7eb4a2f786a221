import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rng } from '../../../src/sim/random';
import {
  commonPrefix,
  commonSuffix,
  declarationSites,
  declarationsOf,
  updateSites,
} from '../../../src/core/context/declarations';
import { languageOrAny } from '../../../src/core/languages';

const ROOT = path.resolve(__dirname, '../../..');

const fresh = (text: string, language?: string) => declarationSites(text, `fresh-${Math.random()}`, language);
const sitesAsPairs = (s: { names: string[]; offsets: number[] }) => s.names.map((n, i) => `${n}@${s.offsets[i]}`);

describe('declaration index', () => {
  it('finds declarations by keyword, Go receivers and members at the start of a line', () => {
    const text = [
      'import { x } from "y";',
      'export function parseThing(a) {}',
      'class Widget extends Base {',
      '  private readonly size: number;',
      '  render() { return this.size; }',
      '}',
      'const LIMIT = 3;',
      'func (s *Server) Handle(w http.ResponseWriter) {}',
      'def helper(x):',
      'foo.bar = 1',
    ].join('\n');
    const s = fresh(text);
    const at = (name: string) => s.offsets[s.names.indexOf(name)];
    for (const name of ['parseThing', 'Widget', 'size', 'render', 'LIMIT', 'Handle', 'helper']) {
      expect(s.names, name).toContain(name);
      expect(text.slice(at(name), at(name) + name.length)).toBe(name);
    }
    expect(s.names).not.toContain('bar');
  });

  it("reads each language's own declaration words", () => {
    const rust =
      'pub struct Point { x: f64 }\nimpl Point {\n    pub fn norm(&self) -> f64 { 0.0 }\n}\ntrait Shape {}\n';
    const r = fresh(rust, 'rust');
    expect(r.names.filter((n) => n === 'Point')).toHaveLength(2); // the struct and its impl block
    expect(r.names).toEqual(expect.arrayContaining(['norm', 'Shape']));
    // `object` declares in Scala, `val` in Kotlin; in Python neither is a declaration word.
    expect(fresh('object Registry {\n  val size = 3\n}\n', 'scala').names).toEqual(
      expect.arrayContaining(['Registry', 'size']),
    );
    expect(fresh('x = object Registry\n', 'python').names).not.toContain('Registry');
    // A Go receiver method, and no receiver pattern where `func` is not a keyword.
    expect(fresh('func (s *Server) Handle() {}\n', 'go').names).toContain('Handle');
    expect(fresh('  print(func (s) Handle)\n', 'python').names).not.toContain('Handle');
    // The declaration index follows a change of language (a document re-opened as another language).
    const key = `lang-${Math.random()}`;
    expect(declarationSites('object Registry {}\n', key, 'scala').names).toContain('Registry');
    expect(declarationSites('object Registry {}\n', key, 'python').names).not.toContain('Registry');
  });

  it('picks, per name, the nearest declaration before the cursor, else the first after it', () => {
    const text = 'const a1 = 1;\nfunction twice() {}\nfunction twice() {}\nconst later = 2;\n';
    const s = fresh(text);
    const cursor = text.indexOf('const later');
    const got = declarationsOf(s, ['twice', 'later', 'missing'], cursor - 1).sort((x, y) => x - y);
    expect(got).toEqual([text.lastIndexOf('twice'), text.indexOf('later')]);
  });

  it('common prefix and suffix agree with a character-by-character count', () => {
    const r = rng(3);
    const base = readFileSync(path.join(ROOT, 'src/core/context/syntax.ts'), 'utf8');
    for (let i = 0; i < 200; i++) {
      const at = Math.floor(r() * base.length);
      const del = Math.floor(r() * 3);
      const next = base.slice(0, at) + (r() < 0.5 ? 'xy' : '') + base.slice(at + del);
      let p = 0;
      while (p < Math.min(base.length, next.length) && base[p] === next[p]) p++;
      let s = 0;
      while (s < Math.min(base.length, next.length) - p && base[base.length - 1 - s] === next[next.length - 1 - s]) s++;
      expect(commonPrefix(base, next)).toBe(p);
      expect(commonSuffix(base, next, Math.min(base.length, next.length) - p)).toBe(s);
    }
  });

  it('an update after typing, deleting, breaking lines or adding declarations equals a fresh scan (real files)', () => {
    const r = rng(11);
    const inserts = ['x', ' ', '\n', '(', 'e', '\n  const added = 1;\n', 'function made() {}\n', ';', '\n\n'];
    for (const file of [
      'node_modules/zod/src/v3/types.ts',
      'src/core/context/syntax.ts',
      'test/fixtures/postfilter/python/basic.jsonl',
    ]) {
      let prev: string;
      try {
        prev = readFileSync(path.join(ROOT, file), 'utf8');
      } catch {
        continue;
      }
      let sites = fresh(prev);
      for (let i = 0; i < 150; i++) {
        const at = Math.floor(r() * prev.length);
        const del = r() < 0.3 ? Math.floor(r() * 12) : 0;
        const ins = r() < 0.8 ? inserts[Math.floor(r() * inserts.length)] : '';
        const next = prev.slice(0, at) + ins + prev.slice(at + del);
        const p = commonPrefix(prev, next);
        const s = commonSuffix(prev, next, Math.min(prev.length, next.length) - p);
        sites = updateSites(prev, sites, next, p, s, languageOrAny(undefined));
        expect(sitesAsPairs(sites), `${file} edit ${i} at ${at}`).toEqual(sitesAsPairs(fresh(next)));
        prev = next;
      }
    }
  });

  it('per document: typing keeps the index right; other documents keep their own', () => {
    const a0 = 'function alpha() {}\nconst beta = 1;\n';
    const b0 = 'class Gamma {}\n';
    expect(declarationsOf(declarationSites(a0, 'a', 'typescript'), ['alpha', 'beta'], 0)).toHaveLength(2);
    expect(declarationsOf(declarationSites(b0, 'b', 'typescript'), ['Gamma'], 0)).toEqual([6]);
    const a1 = 'const zeta = 0;\n' + a0;
    const got = declarationsOf(declarationSites(a1, 'a', 'typescript'), ['alpha', 'zeta'], a1.length).sort(
      (x, y) => x - y,
    );
    expect(got).toEqual([a1.indexOf('zeta'), a1.indexOf('alpha')]);
    expect(declarationsOf(declarationSites(b0, 'b', 'typescript'), ['Gamma'], 0)).toEqual([6]);
  });
});
