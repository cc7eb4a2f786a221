/**
 * Characters that must never reach the editor as ghost text: control characters other than tab and line breaks
 * (NUL, terminal escape sequences start with ESC), and the Unicode bidirectional overrides and isolates that can
 * make code read differently from what it does ("Trojan Source"). The text is shown without them.
 */
import type { Rule } from '../types';

// C0 controls except \t \n \r, DEL, C1 controls; bidi embeddings/overrides U+202A–U+202E and isolates U+2066–U+2069.
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** The text without unsafe characters (a terminal escape sequence loses its ESC and stays visible as text). */
export function sanitize(text: string): string {
  return text.replace(UNSAFE, '');
}

export const sanitizeRule: Rule = (state) => {
  const text = sanitize(state.text);
  return text === state.text ? state : { ...state, text, applied: [...state.applied, 'sanitize'] };
};
