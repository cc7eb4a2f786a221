/**
 * Golden cases for the post-filter, written as documents with a `█` cursor marker:
 *
 *   language: python
 *   description: over-generation into the next function
 *   expected: null            (optional: the filter must reject; otherwise give an `--- expected` section)
 *   expect: unchanged         (optional, instead of `--- expected`: shown exactly as the model wrote it)
 *   expect: discard           (optional: the same as `expected: null`)
 *   expect: notEqual          (optional: with `--- expected`, the document after accepting must NOT be that one —
 *                              a negative case, e.g. the unfiltered text that must not be shown)
 *   finish: length            (optional: the model ran on to the token cap; default stop — it ended the text)
 *   replaceSuffix: 1          (optional)
 *   --- document
 *   def f(x):
 *       █
 *   --- completion
 *   return x
 *   --- expected
 *   return x
 *
 * Section bodies are taken verbatim without their final newline.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface GoldenCase {
  file: string;
  language: string;
  description: string;
  prefix: string;
  suffix: string;
  completion: string;
  /** null: must be rejected. */
  expected: string | null;
  /** `equal` (the default): the document after accepting is the expected one; `notEqual`: it is not. */
  directive: 'equal' | 'notEqual';
  finish?: 'stop' | 'length';
  replaceSuffix: number;
  multiline?: boolean;
}

export const FIXTURE_DIR = join(__dirname, '..', '..', 'fixtures', 'postfilter');

export function parseGolden(text: string, file = '<inline>'): GoldenCase {
  const header: Record<string, string> = {};
  const sections: Record<string, string[]> = {};
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    const m = /^--- (\w+)\s*$/.exec(line);
    if (m) {
      current = sections[m[1]] = [];
      continue;
    }
    if (current) current.push(line);
    else if (line.trim() !== '') {
      const h = /^(\w+):\s*(.*)$/.exec(line);
      if (!h) throw new Error(`${file}: bad header line ${JSON.stringify(line)}`);
      header[h[1]] = h[2];
    }
  }
  const body = (name: string) => {
    const lines = sections[name];
    if (!lines) return undefined;
    // The file's final newline (and one before the next section) is not part of the body.
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n');
  };
  const doc = body('document');
  const completion = body('completion');
  if (doc === undefined || completion === undefined) throw new Error(`${file}: needs --- document and --- completion`);
  const at = doc.indexOf('█');
  if (at < 0 || doc.indexOf('█', at + 1) >= 0) throw new Error(`${file}: the document needs exactly one █`);
  const directive = header.expect;
  if (directive !== undefined && !['unchanged', 'discard', 'notEqual'].includes(directive))
    throw new Error(`${file}: unknown "expect: ${directive}"`);
  const expectedNull = header.expected === 'null' || directive === 'discard';
  const expected = expectedNull ? null : directive === 'unchanged' ? completion : body('expected');
  if (expected === undefined)
    throw new Error(`${file}: needs --- expected, "expected: null" or an "expect:" directive`);
  if (header.finish !== undefined && header.finish !== 'stop' && header.finish !== 'length')
    throw new Error(`${file}: finish must be stop or length`);
  return {
    file,
    language: header.language ?? 'plaintext',
    description: header.description ?? file,
    prefix: doc.slice(0, at),
    suffix: doc.slice(at + 1),
    completion,
    expected,
    directive: directive === 'notEqual' ? 'notEqual' : 'equal',
    finish: header.finish as 'stop' | 'length' | undefined,
    replaceSuffix: header.replaceSuffix ? Number(header.replaceSuffix) : 0,
    multiline: header.multiline === undefined ? undefined : header.multiline === 'true',
  };
}

export function loadGoldenCases(dir = FIXTURE_DIR): GoldenCase[] {
  const out: GoldenCase[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.txt')) out.push(parseGolden(readFileSync(p, 'utf8'), relative(dir, p)));
    }
  };
  walk(dir);
  return out;
}
