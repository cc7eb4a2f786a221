/** Auto-indent traces: Enter brings the editor's indentation, the user never types or deletes leading whitespace. */
import { describe, expect, it } from 'vitest';
import { autoIndented, generateAutoIndentTrace } from '../../../src/sim/autoIndentTyping';
import { parseTrace, type TraceEvent } from '../../../src/sim/trace';

const PY = [
  'import os',
  '',
  '',
  'def first_line(path, default=None):',
  '    if not os.path.exists(path):',
  '        return default',
  '',
  '    with open(path) as f:',
  '        return f.readline()',
  '',
].join('\n');

const texts = (events: TraceEvent[]) => events.flatMap((e) => ('text' in e ? [e] : []));

describe('autoIndented', () => {
  it('indents after a block opener, keeps the indentation otherwise, never dedents; blank lines stay empty', () => {
    const region = PY.split('\n').slice(3, 9).join('\n');
    expect(autoIndented(region, 'python', '    ').split('\n')).toEqual([
      'def first_line(path, default=None):',
      '    if not os.path.exists(path):',
      '        return default',
      '',
      '        with open(path) as f:',
      '            return f.readline()',
    ]);
  });
});

describe('generateAutoIndentTrace', () => {
  const trace = generateAutoIndentTrace(PY, 'python', { seed: 5, startLine: 3, endLine: 9, acceptRestOfLine: 0 });

  it('types one character per event, and Enter with its indentation in one event', () => {
    const ev = texts(trace.events);
    for (let i = 1; i < ev.length; i++) {
      const added = ev[i].text.slice(ev[i - 1].offset, ev[i].offset);
      expect(added.length === 1 || /^\n[ ]*$/.test(added), JSON.stringify(added)).toBe(true);
      // Leading whitespace is never typed: a typed space follows code on its line.
      if (added === ' ')
        expect(
          ev[i - 1].text
            .slice(0, ev[i - 1].offset)
            .split('\n')
            .at(-1),
        ).toMatch(/\S/);
    }
    expect(ev.some((e) => e.text.slice(0, e.offset).endsWith('\n        '))).toBe(true);
  });

  it('ends with the editor-indented function, while the header keeps the file (what the simulated model knows)', () => {
    const last = texts(trace.events).at(-1)!;
    expect(last.text).toContain('\n        with open(path) as f:\n            return f.readline()');
    expect(trace.header.final).toBe(PY);
    expect(() => parseTrace([trace.header, ...trace.events])).not.toThrow();
  });

  it('is the same for the same seed', () => {
    expect(generateAutoIndentTrace(PY, 'python', { seed: 5, startLine: 3, endLine: 9, acceptRestOfLine: 0 })).toEqual(
      trace,
    );
  });
});
