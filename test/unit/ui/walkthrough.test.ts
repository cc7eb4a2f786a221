/**
 * The walkthrough's step texts are not Markdown: VS Code renders them with its own small formatter (doubled `**`
 * bold, `__` italics, ``` `` ``` code; a backslash escapes only the next formatting character; links on their own
 * line become buttons). This is that formatter's grammar, from VS Code's formattedTextRenderer, so a text that
 * would render wrongly (a bold never closed, a backslash eaten) fails here, not in front of a new user.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));
const steps: { id: string; title: string; description: string; completionEvents: string[] }[] =
  pkg.contributes.walkthroughs[0].steps;

const FORMAT = new Set(['*', '_', '`', '[', ']']);

/** VS Code's formatted text: returns the visible text and the open formatting left at the end (should be none). */
function renderFormatted(text: string): { visible: string; bold: string[]; unclosed: string[] } {
  const open: string[] = [];
  const bold: string[] = [];
  let visible = '';
  let current = '';
  for (let i = 0; i < text.length; i++) {
    let ch = text[i];
    const escaped = ch === '\\' && FORMAT.has(text[i + 1]);
    if (escaped) ch = text[++i];
    if (!escaped && FORMAT.has(ch) && text[i + 1] === ch) {
      i++;
      if (open.at(-1) === ch) {
        open.pop();
        if (ch === '*') bold.push(current);
      } else {
        open.push(ch);
        current = '';
      }
      continue;
    }
    visible += ch;
    current += ch;
  }
  return { visible, bold, unclosed: open };
}

/** Link lines (`[label](command:…)`) are buttons, handled before the formatter. */
const prose = (d: string) =>
  d
    .split('\n')
    .filter((l) => !/^\[[^\]]+\]\([^)]+\)$/.test(l.trim()))
    .join('\n');

describe('walkthrough', () => {
  it('every step text renders with its bold closed, and Alt+\\ shows as typed', () => {
    for (const s of steps) expect(renderFormatted(prose(s.description)).unclosed, s.id).toEqual([]);
    const first = renderFormatted(prose(steps.find((s) => s.id === 'firstSuggestion')!.description));
    expect(first.bold).toContain('Tab');
    expect(first.bold.some((b) => b.startsWith('Alt+\\'))).toBe(true);
    expect(first.visible).toMatch(/Alt\+\\ \(backslash\) asks for a suggestion now\./);
  });

  it('the formatter model agrees with VS Code on the text that rendered wrongly', () => {
    // What the step said before: the backslash escapes the closing `*`, so the bold never closes.
    expect(renderFormatted('**Alt+\\\\** asks').unclosed).toEqual(['*']);
  });

  it('"Pick a backend" is done as soon as a backend is configured', () => {
    expect(steps.find((s) => s.id === 'pickBackend')!.completionEvents).toContain(
      'onContext:tessera.walkthrough.backendPicked',
    );
  });
});
