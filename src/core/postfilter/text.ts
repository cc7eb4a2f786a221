/**
 * Small text helpers shared by the rules: lines, indentation widths, closers and continuation keywords.
 */

export { indentWidth, leadingWhitespace, TAB_WIDTH } from '../text';

/** Offsets in `text` where each line ends (before `\r\n`/`\n`), including the end of the text. */
export function lineEnds(text: string): number[] {
  const out: number[] = [];
  let i = text.indexOf('\n');
  while (i >= 0) {
    out.push(i > 0 && text[i - 1] === '\r' ? i - 1 : i);
    i = text.indexOf('\n', i + 1);
  }
  out.push(text.length);
  return out;
}

/** Splits into lines without their line terminators. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

const CLOSER_LINE = /^\s*(?:[)\]}]|end\b|fi\b|done\b|esac\b|endif\b|endfor\b|endwhile\b|endforeach\b|endswitch\b|<\/)/;
/** A line that closes a block (`}`, `)`, `end`, `fi`, …). */
export function isCloserLine(line: string): boolean {
  return CLOSER_LINE.test(line);
}

const CONTINUATION =
  /^\s*(?:else\b|elif\b|elsif\b|except\b|catch\b|finally\b|rescue\b|ensure\b|when\b|then\b|do\b|where\b|[.?:]\s*\S|&&|\|\||\+(?!\+)|-(?![-\d])|\*(?!\/)|\/(?![/*])|\|>|=>|[)\]}])/;
/** A line that continues the previous unit instead of starting a new one (`else`, `.then(`, `}`, `&& x`, …). */
export function isContinuationLine(line: string): boolean {
  return CONTINUATION.test(line);
}

export function isBlank(s: string): boolean {
  return s.trim() === '';
}
