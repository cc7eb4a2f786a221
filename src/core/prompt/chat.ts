/**
 * Chat/instruct models answer a FIM prompt like a chat: "Sure! Here is the code:" and a ```fenced``` block that
 * repeats the lines before the cursor. This guard turns such an answer back into the text of the hole, or
 * rejects it with a reason — never shows prose as code.
 */

export type ChatGuardResult =
  | { kind: 'ok'; text: string; /** What was changed, for the log (empty when nothing was). */ applied: string[] }
  | { kind: 'reject'; reason: 'chat-prose'; detail: string };

export interface ChatGuardContext {
  prefix: string;
  language: string;
}

/** Languages whose documents legitimately hold prose and fences. */
const PROSE_LANGUAGES = new Set([
  'markdown',
  'mdx',
  'plaintext',
  'restructuredtext',
  'asciidoc',
  'latex',
  'git-commit',
  'scminput',
]);

const FENCE_OPEN = /^[ \t]*(```+|~~~+)[ \t]*([\w+#.-]*)[^\n]*\n/;
/**
 * How chat answers open. Each alternative must be impossible as the start of code in common languages:
 * `ok, err := f()` (Go) and `let me = …` (JS) are code, so bare "ok"/"let me" are not prose markers.
 */
const PROSE_START =
  /^\s*(?:(?:sure|certainly|of course|absolutely)[!,.:]|here(?:'s| is| are)\b|below is\b|the (?:missing|completed?|following|rest of the) (?:code|function|line|implementation|snippet)\b|this (?:code|function|completes|snippet)\b|to (?:complete|fill in|implement) (?:the|this)\b|i (?:have|will|can|would)\b|i'(?:ve|ll|d)\b|you can\b|let me (?:know|explain|help|complete|fill|write|show)\b|as an ai\b|explanation:)/i;

/** Is the cursor inside a comment or string, where prose is what the user writes? (A cheap, conservative check.) */
function inProseSpot(prefix: string): boolean {
  const line = prefix.slice(prefix.lastIndexOf('\n') + 1);
  if (/(#|\/\/|\/\*|^\s*\*|--|;;|<!--|["'`])/.test(line)) return true;
  const tail = prefix.slice(-20_000);
  const count = (s: string) => tail.split(s).length - 1;
  if (count('"""') % 2 === 1 || count("'''") % 2 === 1) return true;
  const open = tail.lastIndexOf('/*');
  return open >= 0 && tail.indexOf('*/', open) < 0;
}

/** The text of a stream so far, as code: an opening fence line is skipped (used for single-line early stops). */
export function codeView(raw: string): string {
  const m = FENCE_OPEN.exec(raw);
  return m ? raw.slice(m[0].length) : raw;
}

/** Removes the lines of `body` that repeat the end of the prefix, and the part of the cursor line already typed. */
export function stripEcho(body: string, prefix: string): string {
  const nl = prefix.lastIndexOf('\n');
  const cur = prefix.slice(nl + 1);
  const before = prefix.slice(0, nl + 1);
  let lines = body.split('\n');
  for (let m = Math.min(lines.length - 1, 60); m >= 1; m--) {
    const block = lines.slice(0, m).join('\n') + '\n';
    if (block.trim().length >= 3 && before.endsWith(block)) {
      lines = lines.slice(m);
      break;
    }
  }
  const first = lines[0] ?? '';
  if (cur && first.startsWith(cur)) lines[0] = first.slice(cur.length);
  else if (cur.trim() && first.trimStart().startsWith(cur.trimStart()))
    lines[0] = first.trimStart().slice(cur.trimStart().length);
  return lines.join('\n');
}

function fencedBody(raw: string, openAt: number): string {
  const rest = raw.slice(openAt);
  const m = FENCE_OPEN.exec(rest)!;
  const body = rest.slice(m[0].length);
  const close = body.search(new RegExp(`(^|\\n)[ \\t]*${m[1][0] === '`' ? '```' : '~~~'}`));
  return close < 0 ? body : body.slice(0, close);
}

export function guardChatAnswer(raw: string, ctx: ChatGuardContext): ChatGuardResult {
  if (PROSE_LANGUAGES.has(ctx.language)) return { kind: 'ok', text: raw, applied: [] };
  // The user writes fences themselves (a notebook-ish file, a docstring with examples): leave them alone.
  const fencesAllowed = ctx.prefix.slice(-20_000).includes('```');

  if (!fencesAllowed && FENCE_OPEN.test(raw)) {
    const body = stripEcho(fencedBody(raw, 0), ctx.prefix);
    return { kind: 'ok', text: body, applied: ['markdown-fence'] };
  }

  if (PROSE_START.test(raw) && !inProseSpot(ctx.prefix)) {
    const fence = raw.search(/(^|\n)[ \t]*(```|~~~)/);
    if (fence >= 0 && !fencesAllowed) {
      const at = raw[fence] === '\n' ? fence + 1 : fence;
      const body = stripEcho(fencedBody(raw, at), ctx.prefix);
      if (body.trim()) return { kind: 'ok', text: body, applied: ['chat-prose', 'markdown-fence'] };
    }
    const firstLine = raw.trim().split('\n')[0].slice(0, 80);
    return {
      kind: 'reject',
      reason: 'chat-prose',
      detail: `the model answered in prose, like a chat model ("${firstLine}"): use a base/FIM model or a FIM template`,
    };
  }

  if (!fencesAllowed) {
    // Code, then a closing fence and usually an explanation: keep the code.
    const tail = /\n[ \t]*(```|~~~)[^\n]*(\n|$)/.exec(raw);
    if (tail) return { kind: 'ok', text: raw.slice(0, tail.index), applied: ['markdown-fence-tail'] };
  }
  return { kind: 'ok', text: raw, applied: [] };
}
