/**
 * A simulated backend that answers like a perfect model: it knows the final document and answers with the text
 * that follows the cursor there, to the end of the line (single-line) or of the block (multi-line), streamed at
 * `tokensPerS` after `latencyMs` to the first token. What the replay measures is then the scheduler's economy
 * alone, not a model's quality.
 */
import type { Backend, CompletionRequest, ProbeResult } from '../core/backends/types';
import { BackendError } from '../core/backends/types';
import type { BackendProfile } from '../core/config';
import { indentWidth } from '../core/text';
import type { DocumentSnapshot } from '../core/types';
import { sleep, type Clock } from '../core/scheduling/clock';

/**
 * What a perfect model answers at this cursor: the final document's text after the cursor, to the end of the
 * line (single-line) or of the block (multi-line), at most `maxChars`.
 */
export function perfectAnswer(
  final: string,
  prefix: string,
  suffix: string,
  multiline: boolean,
  maxChars: number,
): string {
  let middle: string;
  if (final.startsWith(prefix) && final.endsWith(suffix) && prefix.length + suffix.length <= final.length) {
    middle = final.slice(prefix.length, final.length - suffix.length);
  } else {
    // The text differs from the final one before the cursor (a typo): continue from the same offset.
    middle = final.slice(Math.min(prefix.length, final.length));
  }
  let answer: string;
  if (!multiline) {
    const nl = middle.indexOf('\n');
    answer = nl < 0 ? middle : middle.slice(0, nl);
  } else {
    const lines = middle.split('\n');
    const out = [lines[0]];
    const first = lines.slice(1).find((l) => l.trim() !== '');
    // The block: its first line sets the indentation; it ends at the first line indented less.
    const lineBefore = prefix.slice(prefix.lastIndexOf('\n') + 1);
    const blockIndent =
      lines[0].trim() !== '' ? indentWidth(lineBefore + lines[0]) : first !== undefined ? indentWidth(first) : 0;
    for (let i = 1; i < lines.length; i++) {
      const l = lines[i];
      if (l.trim() !== '' && indentWidth(l) < blockIndent) break;
      if (l.trim() !== '' && blockIndent === 0 && i > 1 && /^\S/.test(l) && lines[0].trim() !== '') break;
      out.push(l);
    }
    while (out.length > 1 && out[out.length - 1].trim() === '') out.pop();
    answer = out.join('\n');
  }
  return answer.slice(0, maxChars);
}

/**
 * Where, in the document after the cursor, the text the prompt shows after the hole starts: at the cursor, or later on
 * the cursor's line when the prompt leaves the rest of that line out (src/core/prompt/suffixSection.ts). Compared on
 * the prompt suffix's first line: the context may leave out lines further on.
 */
export function suffixShownFrom(documentSuffix: string, promptSuffix: string): number {
  const nl = promptSuffix.indexOf('\n');
  const head = nl < 0 ? promptSuffix : promptSuffix.slice(0, nl + 1);
  const lineEnd = documentSuffix.indexOf('\n');
  if (promptSuffix === '') return lineEnd < 0 ? documentSuffix.length : 0;
  for (let k = 0; k <= (lineEnd < 0 ? documentSuffix.length : lineEnd); k++)
    if (documentSuffix.startsWith(head, k)) return k;
  return 0;
}

/** The pieces a model streams for `text`: ~4 characters per token, a whitespace run with the token that follows it. */
export function streamedTokens(text: string): string[] {
  return text.match(/\s*\S{1,4}|\s+$/g) ?? [];
}

export interface PerfectModelHooks {
  /** Told when the stream starts (true) and stops (false) waiting on the clock. */
  onWait?: (waiting: boolean) => void;
  /** Told about every request the server receives (before the first token). */
  onRequest?: (request: CompletionRequest, snapshot: DocumentSnapshot) => void;
  /** Told about every token sent (what a request costs in generation). */
  onToken?: () => void;
}

/** A backend that knows the final document, for one request position. */
export class PerfectModelBackend implements Backend {
  constructor(
    readonly profile: BackendProfile,
    private readonly clock: Clock,
    private readonly final: string,
    private readonly snapshot: DocumentSnapshot,
    private readonly latencyMs: number,
    private readonly tokensPerS: number,
    private readonly hooks: PerfectModelHooks = {},
  ) {}

  private async wait(ms: number, signal: AbortSignal): Promise<boolean> {
    this.hooks.onWait?.(true);
    try {
      return await sleep(this.clock, ms, signal);
    } finally {
      this.hooks.onWait?.(false);
    }
  }

  async *complete(request: CompletionRequest, signal: AbortSignal): AsyncIterable<string> {
    const prefix = this.snapshot.text.slice(0, this.snapshot.offset);
    const suffix = this.snapshot.text.slice(this.snapshot.offset);
    this.hooks.onRequest?.(request, this.snapshot);
    // The model fills the hole up to what the prompt shows after it (which may leave out the closers on the line).
    const shown = suffix.slice(suffixShownFrom(suffix, request.suffix));
    const answer = perfectAnswer(this.final, prefix, shown, request.multiline, request.maxTokens * 4);
    const cancelled = () => new BackendError('cancelled', 'request cancelled');
    if (!(await this.wait(this.latencyMs, signal))) throw cancelled();
    const perToken = 1000 / Math.max(1, this.tokensPerS);
    const tokens = streamedTokens(answer).slice(0, request.maxTokens);
    for (let i = 0; i < tokens.length; i++) {
      if (i > 0 && !(await this.wait(perToken, signal))) throw cancelled();
      if (signal.aborted) throw cancelled();
      this.hooks.onToken?.();
      yield tokens[i];
    }
  }

  async probe(): Promise<ProbeResult> {
    return { reachable: true, models: ['perfect'], latencyMs: this.latencyMs };
  }
}
