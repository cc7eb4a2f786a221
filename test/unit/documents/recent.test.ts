import { describe, expect, it } from 'vitest';
import { RecentDocuments } from '../../../src/core/documents/recent';
import { VersionedTextCache } from '../../../src/core/documents/textCache';

describe('RecentDocuments', () => {
  it('orders documents most recently active first; never-active ones keep their order after them', () => {
    const r = new RecentDocuments();
    r.touch('a');
    r.touch('b');
    r.touch('a'); // back to a: a is the most recent again
    expect(r.order(['x', 'b', 'y', 'a'], (k) => k)).toEqual(['a', 'b', 'x', 'y']);
  });
  it('forgets a closed document', () => {
    const r = new RecentDocuments();
    r.touch('a');
    r.touch('b');
    r.forget('b');
    expect(r.rank('b')).toBe(Infinity);
    expect(r.rank('a')).toBe(0);
  });
  it('keeps at most `limit` documents, dropping the least recent', () => {
    const r = new RecentDocuments(2);
    for (const k of ['a', 'b', 'c']) r.touch(k);
    expect(r.rank('a')).toBe(Infinity);
    expect(r.rank('c')).toBe(0);
  });
});

describe('VersionedTextCache', () => {
  it('reads a document once per version', () => {
    const c = new VersionedTextCache(100);
    let reads = 0;
    const read = (text: string) => () => (reads++, text);
    expect(c.get('a', 1, read('one'))).toBe('one');
    expect(c.get('a', 1, read('changed?'))).toBe('one');
    expect(reads).toBe(1);
    expect(c.get('a', 2, read('two'))).toBe('two');
    expect(reads).toBe(2);
  });
  it('does not keep texts over the size limit, nor closed documents', () => {
    const c = new VersionedTextCache(3);
    let reads = 0;
    const read = () => (reads++, 'long text');
    c.get('big', 1, read);
    c.get('big', 1, read);
    expect(reads).toBe(2);
    c.get('a', 1, () => 'abc');
    c.forget('a');
    expect(c.get('a', 1, () => 'new')).toBe('new');
  });
});
