/** Type-through traces: what the simulated user and editor do, and what the replay makes of them. */
import { describe, expect, it } from 'vitest';
import { POLICIES } from '../../../src/sim/policies';
import { replay } from '../../../src/sim/replay';
import { traceChars, type TraceEvent } from '../../../src/sim/trace';
import { functionRegions, generateTypeThroughTrace, indentUnit } from '../../../src/sim/typeThrough';

const PY = [
  'import os',
  '',
  '',
  'def first_line(path, default=None):',
  '    """The first line of a file, or default."""',
  '    if not os.path.exists(path):',
  '        return default',
  '    with open(path) as f:',
  '        line = f.readline()',
  '    return line.rstrip("\\n")',
  '',
  '',
  'def last(items):',
  '    return items[-1]',
  '',
].join('\n');

const TS = [
  'export function clamp(x: number, lo: number, hi: number): number {',
  '  if (x < lo) {',
  '    return lo;',
  '  }',
  '  return Math.min(x, hi);',
  '}',
  '',
].join('\n');

const texts = (events: TraceEvent[]) => events.flatMap((e) => ('text' in e ? [e] : []));

describe('functionRegions', () => {
  it('finds Python defs and C-like function declarations with their bodies', () => {
    expect(functionRegions(PY, 'python', 2, 30)).toEqual([
      { startLine: 3, endLine: 10 },
      { startLine: 12, endLine: 14 },
    ]);
    expect(functionRegions(TS, 'typescript', 2, 30)).toEqual([{ startLine: 0, endLine: 6 }]);
    expect(indentUnit(PY)).toBe('    ');
    expect(indentUnit(TS)).toBe('  ');
  });
});

describe('generateTypeThroughTrace', () => {
  const opts = { seed: 3, startLine: 3, endLine: 10, typo: 0, otherName: 0, acceptWhole: 0, acceptRestOfLine: 0 };

  it('types the function character by character into the file without it, and ends at the final file', () => {
    const { header, events } = generateTypeThroughTrace(PY, 'python', opts);
    expect(header).toEqual({ language: 'python', final: PY });
    const docs = texts(events);
    expect(docs[0].text).toBe(
      PY.split('\n').slice(0, 3).join('\n') + '\n' + '\n' + PY.split('\n').slice(10).join('\n'),
    );
    expect(docs[docs.length - 1].text).toBe(PY);
    // One key per event: the document grows or shrinks by one character, except Enter with its indentation and an
    // opening bracket with the closer the editor adds.
    for (let i = 1; i < docs.length; i++) {
      const grew = docs[i].text.length - docs[i - 1].text.length;
      const typed = docs[i].text.slice(docs[i - 1].offset, docs[i].offset);
      if (grew === 2 && /^[([{"]$/.test(typed)) continue;
      if (grew === -4 && /\n {4,}$/.test(docs[i - 1].text.slice(0, docs[i - 1].offset))) continue; // Backspace to a tab stop
      if (Math.abs(grew) > 1) expect(typed).toMatch(/^\n[ ]*$/);
    }
    expect(traceChars({ header, events })).toBe(PY.split('\n').slice(3, 10).join('\n').length);
    expect(events.every((e, i) => i === 0 || e.t >= events[i - 1].t)).toBe(true);
  });

  it('Enter brings the editor’s auto-indent in the same change; a dedent is Backspace to the tab stop', () => {
    const docs = texts(generateTypeThroughTrace(PY, 'python', opts).events);
    const lineBefore = (d: { text: string; offset: number }) => {
      const p = d.text.slice(0, d.offset);
      const end = p.lastIndexOf('\n');
      return { line: p.slice(p.lastIndexOf('\n', end - 1) + 1, end), now: p.slice(end + 1) };
    };
    // After `    if not os.path.exists(path):` Enter gives 8 spaces at once.
    const afterIf = docs.find((d) => d.text.slice(0, d.offset).endsWith('exists(path):\n        '));
    expect(afterIf).toBeDefined();
    // After `        return default` Enter keeps 8 spaces; one Backspace goes back to 4.
    const i = docs.findIndex((d) => d.text.slice(0, d.offset).endsWith('return default\n        '));
    expect(i).toBeGreaterThan(0);
    expect(lineBefore(docs[i + 1]).now).toBe('    ');
    expect(docs[i + 2].text.slice(0, docs[i + 2].offset).endsWith('return default\n    w')).toBe(true);
  });

  it('the editor closes a bracket typed before the cursor’s end of line, and the user steps over it', () => {
    const docs = texts(generateTypeThroughTrace(PY, 'python', opts).events);
    const open = docs.findIndex((d) => d.text.slice(0, d.offset).endsWith('os.path.exists('));
    expect(docs[open].text.slice(docs[open].offset, docs[open].offset + 2)).toBe(')\n');
    const close = docs.findIndex((d) => d.text.slice(0, d.offset).endsWith('os.path.exists(path)'));
    expect(docs[close].text.length).toBe(docs[close - 1].text.length); // stepped over, not inserted
  });

  it('pauses after Enter and mid-line, accepts the rest of a line now and then; the same seed gives the same trace', () => {
    const long = { seed: 5, startLine: 3, endLine: 10, pauseAfterEnter: 1, pauseMidLine: 0.3, acceptRestOfLine: 0.5 };
    const a = generateTypeThroughTrace(PY, 'python', long);
    expect(generateTypeThroughTrace(PY, 'python', long)).toEqual(a);
    const gaps = a.events.slice(1).map((e, i) => e.t - a.events[i].t);
    expect(gaps.filter((g) => g >= 500).length).toBeGreaterThan(5);
    expect(a.events.some((e) => 'accept' in e)).toBe(true);
  });
});

describe('replay of type-through typing', () => {
  it('Tessera sends far fewer requests than a fixed 350 ms debounce and has ghost text at the pauses', async () => {
    const runs: { policy: unknown; summary: Awaited<ReturnType<typeof replay>>['summary'] }[] = [];
    for (const seed of [1, 2, 3]) {
      const { header, events } = generateTypeThroughTrace(PY + '\n' + TS.replace(/^/gm, '# '), 'python', {
        seed,
        startLine: 3,
        endLine: 10,
      });
      for (const policy of [POLICIES.tessera, POLICIES.fixed350])
        runs.push({ policy, ...(await replay(header, events, { latencyMs: 250, tokensPerS: 40, policy })) });
    }
    const total = (p: unknown, k: 'requests' | 'pauses' | 'pausesWithGhost') =>
      runs.filter((r) => r.policy === p).reduce((n, r) => n + r.summary[k], 0);
    expect(total(POLICIES.tessera, 'requests')).toBeLessThan(0.55 * total(POLICIES.fixed350, 'requests'));
    expect(total(POLICIES.tessera, 'pausesWithGhost')).toBeGreaterThanOrEqual(0.9 * total(POLICIES.tessera, 'pauses'));
  });
});
