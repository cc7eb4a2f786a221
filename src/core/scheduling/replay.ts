/**
 * Replay of a typing trace against the real scheduler and pipeline, on a virtual clock.
 *
 * Three parts:
 * - the editor: a model of how VS Code 1.100 drives an inline completion provider — each text change cancels
 *   the pending call and calls the provider again 50 ms later (VS Code's own fixed debounce for inline
 *   completions); a shown suggestion stays visible while the user types characters that match it, and is
 *   replaced by whatever the provider's next answer is (nothing → it disappears); Tab inserts what is shown and
 *   the provider is called again;
 * - the scheduler: the same RequestManager and pipeline (context, post-filter) as the extension;
 * - a simulated backend that answers like a perfect model: the text the final document has after the cursor,
 *   up to the end of the line (single-line) or of the block (multi-line), streamed at `tokensPerS` after
 *   `latencyMs` to the first token.
 */
import type { Backend, CompletionRequest, ProbeResult } from '../backends/types';
import { BackendError } from '../backends/types';
import type { BackendProfile } from '../config';
import { readSettings } from '../config';
import { buildContext } from '../context';
import { complete } from '../pipeline';
import { postfilter } from '../postfilter';
import type { Logger } from '../log';
import type { DocumentSnapshot } from '../types';
import { sleep, VirtualClock, type Clock } from './clock';
import { RequestManager, TESSERA_POLICY, type SchedulingPolicy, type ServedBy } from './manager';
import { filterPartial } from './partial';
import { classicShape, decideShape } from './shape';

export interface TraceHeader {
  language: string;
  final: string;
}
export type TraceEvent = { t: number; text: string; offset: number } | { t: number; accept: true };

export interface ReplayOptions {
  /** Time to the first token (ms). */
  latencyMs: number;
  tokensPerS: number;
  policy?: SchedulingPolicy;
  /** tessera.debounceMs (base of the adaptive debounce). */
  debounceMs?: number;
  prefetch?: boolean;
  /** Speculation while typing through a suggestion (default true, as in the extension). */
  speculate?: boolean;
  /** VS Code's delay between a change and the provider call. */
  editorDelayMs?: number;
  /** Idle time after a keystroke that counts as a pause. */
  pauseMs?: number;
  /** Local backend (concurrency 1 by default). */
  local?: boolean;
  /** Diagnostics: the scheduler's log (request starts, cancellations). */
  log?: Logger;
  /** Diagnostics: called for every pause without ghost text, with the document and the last provider answer. */
  onMissedPause?: (info: { t: number; prefixTail: string; suffixHead: string; last?: string }) => void;
  /** Diagnostics: called for every pause whose ghost text came after the pause started, with the delay. */
  onLatePause?: (info: { t: number; ms: number; prefixTail: string; suffixHead: string; last?: string }) => void;
}

/** The summary line of `tessera replay` (exactly these keys). */
export interface ReplaySummary {
  keystrokes: number;
  requests: number;
  cancelled: number;
  cacheHits: number;
  typedAheadHits: number;
  pauses: number;
  pausesWithGhost: number;
  pauseToGhostP50: number;
  pauseToGhostP95: number;
}

/** Extra numbers for the benchmark. */
export interface ReplayDetail {
  typedChars: number;
  /** Characters typed while a suggestion was showing and matched it. */
  typedThroughChars: number;
  /** …of which the keystroke cost no backend request and the suggestion stayed visible. */
  typedThroughServed: number;
  inflightHits: number;
  accepts: number;
  acceptsWithGhost: number;
  pauseToGhost: number[];
  /** Pauses at which a perfect model has something to show (not, e.g., at the end of a finished line). */
  pausesWithAnswer: number;
  pausesWithAnswerAndGhost: number;
  /** Tokens the backend generated (streamed) in all: what requests cost. */
  tokens: number;
  servedBy: Record<ServedBy, number>;
}

/** Validates and splits a trace (first line header, then events). Throws with the line number on bad input. */
export function parseTrace(lines: unknown[]): { header: TraceHeader; events: TraceEvent[] } {
  const [h, ...rest] = lines as Record<string, unknown>[];
  if (!h || typeof h.language !== 'string' || typeof h.final !== 'string') {
    throw new Error('line 1 must be {"language": string, "final": string}');
  }
  let last = -Infinity;
  const events = rest.map((e, i) => {
    const where = `line ${i + 2}`;
    if (typeof e !== 'object' || e === null) throw new Error(`${where}: must be a JSON object`);
    if (typeof e.t !== 'number' || !Number.isFinite(e.t)) throw new Error(`${where}: "t" must be a number (ms since start)`);
    if (e.t < last) throw new Error(`${where}: "t" goes back in time (${e.t} < ${last})`);
    last = e.t;
    if (e.accept === true) return { t: e.t, accept: true as const };
    if (typeof e.text !== 'string') throw new Error(`${where}: needs "text" (document after the key) or "accept": true`);
    if (typeof e.offset !== 'number' || !Number.isInteger(e.offset) || e.offset < 0 || e.offset > e.text.length) {
      throw new Error(`${where}: "offset" must be an integer cursor offset within "text"`);
    }
    return { t: e.t, text: e.text, offset: e.offset };
  });
  return { header: { language: h.language, final: h.final }, events };
}

function indentOf(line: string): number {
  const m = /^[ \t]*/.exec(line)![0];
  return m.replace(/\t/g, '    ').length;
}

/**
 * What a perfect model answers at this cursor: the final document's text after the cursor, to the end of the
 * line (single-line) or of the block (multi-line), at most `maxChars`.
 */
export function perfectAnswer(final: string, prefix: string, suffix: string, multiline: boolean, maxChars: number): string {
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
    const blockIndent = lines[0].trim() !== '' ? indentOf(lineBefore + lines[0]) : first !== undefined ? indentOf(first) : 0;
    for (let i = 1; i < lines.length; i++) {
      const l = lines[i];
      if (l.trim() !== '' && indentOf(l) < blockIndent) break;
      if (l.trim() !== '' && blockIndent === 0 && i > 1 && /^\S/.test(l) && lines[0].trim() !== '') break;
      out.push(l);
    }
    while (out.length > 1 && out[out.length - 1].trim() === '') out.pop();
    answer = out.join('\n');
  }
  return answer.slice(0, maxChars);
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
    /** Told when the stream starts (true) and stops (false) waiting on the clock. */
    private readonly onWait: (waiting: boolean) => void = () => {},
    /** Told about every token sent (the cost of a request). */
    private readonly onToken: () => void = () => {},
  ) {}

  private async wait(ms: number, signal: AbortSignal): Promise<boolean> {
    this.onWait(true);
    try {
      return await sleep(this.clock, ms, signal);
    } finally {
      this.onWait(false);
    }
  }

  async *complete(request: CompletionRequest, signal: AbortSignal): AsyncIterable<string> {
    const prefix = this.snapshot.text.slice(0, this.snapshot.offset);
    const suffix = this.snapshot.text.slice(this.snapshot.offset);
    const answer = perfectAnswer(this.final, prefix, suffix, request.multiline, request.maxTokens * 4);
    const cancelled = () => new BackendError('cancelled', 'request cancelled');
    if (!(await this.wait(this.latencyMs, signal))) throw cancelled();
    const perToken = 1000 / Math.max(1, this.tokensPerS);
    // ~4 characters per token, a whitespace run stays with the token that follows it.
    const tokens = answer.match(/\s*\S{1,4}|\s+$/g) ?? [];
    for (let i = 0; i < tokens.length; i++) {
      if (i > 0 && !(await this.wait(perToken, signal))) throw cancelled();
      if (signal.aborted) throw cancelled();
      this.onToken();
      yield tokens[i];
    }
  }

  async probe(): Promise<ProbeResult> {
    return { reachable: true, models: ['perfect'], latencyMs: this.latencyMs };
  }
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]);
}

interface Ghost {
  prefix: string;
  suffix: string;
  text: string;
  replaceSuffix: number;
}

/** The part of `ghost` still shown at this document state (VS Code keeps it while typed text matches), or undefined. */
function visible(ghost: Ghost | undefined, prefix: string, suffix: string): string | undefined {
  if (!ghost || suffix !== ghost.suffix || !prefix.startsWith(ghost.prefix)) return undefined;
  const typed = prefix.slice(ghost.prefix.length);
  if (!ghost.text.startsWith(typed) || ghost.text.length <= typed.length) return undefined;
  return ghost.text.slice(typed.length);
}

/** Loads what the pipeline loads lazily (grammars), so the first request does not pay for it. */
async function warmUp(header: TraceHeader): Promise<void> {
  const half = Math.floor(header.final.length / 2);
  const prefix = header.final.slice(0, half);
  const suffix = header.final.slice(half);
  const { settings } = readSettings({});
  try {
    await buildContext({ language: header.language, prefix, suffix, budgetTokens: settings.context.maxPromptTokens, suffixShare: settings.context.suffixShare });
    await postfilter({ language: header.language, prefix, suffix, completion: 'x' });
  } catch {
    // A language without a grammar takes the heuristic path; nothing to load.
  }
}

export async function replay(header: TraceHeader, events: TraceEvent[], opts: ReplayOptions): Promise<{ summary: ReplaySummary; detail: ReplayDetail }> {
  // Pipeline runs doing work off the virtual clock (context, post-filter, grammar loading): time waits for them.
  let busy = 0;
  const clock = new VirtualClock(0, () => busy === 0);
  await warmUp(header);
  const editorDelay = opts.editorDelayMs ?? 50;
  const pauseMs = opts.pauseMs ?? 500;
  const { settings } = readSettings({});
  const profile: BackendProfile = {
    name: 'replay',
    kind: 'openai',
    baseUrl: 'http://127.0.0.1:1/v1',
    model: 'perfect',
    fimTemplate: 'native',
    maxTokens: 128,
    temperature: 0,
    timeoutMs: 10_000,
  };
  const manager = new RequestManager({
    clock,
    profile,
    local: opts.local ?? true,
    debounceMs: opts.debounceMs ?? settings.debounceMs,
    prefetch: opts.prefetch ?? true,
    speculate: opts.speculate,
    policy: opts.policy ?? TESSERA_POLICY,
    log: opts.log,
    postfilter: async (...args) => {
      busy++;
      try {
        return await filterPartial(...args);
      } finally {
        busy--;
      }
    },
    run: async (snapshot, shape, onChunk, signal) => {
      busy++;
      try {
        return await complete(
        snapshot,
        {
          backend: new PerfectModelBackend(profile, clock, header.final, snapshot, opts.latencyMs, opts.tokensPerS, (waiting) => (busy += waiting ? -1 : 1), () => detail.tokens++),
          profile,
          settings,
          shape,
          onChunk,
          now: () => clock.now(),
        },
        signal,
      );
      } finally {
        busy--;
      }
    },
  });

  // Editor state.
  let text = '';
  let offset = 0;
  let version = 0;
  let ghost: Ghost | undefined;
  let pending: { ctrl: AbortController; timer?: ReturnType<Clock['setTimeout']> } | undefined;
  const ghostShownAt: number[] = [];
  const detail: ReplayDetail = {
    typedChars: 0,
    typedThroughChars: 0,
    typedThroughServed: 0,
    inflightHits: 0,
    accepts: 0,
    acceptsWithGhost: 0,
    pauseToGhost: [],
    pausesWithAnswer: 0,
    pausesWithAnswerAndGhost: 0,
    tokens: 0,
    servedBy: { cache: 0, 'typed-ahead': 0, 'in-flight': 0, request: 0 },
  };

  const fetch = () => {
    if (pending) {
      pending.ctrl.abort();
      if (pending.timer) clock.clearTimeout(pending.timer);
    }
    const ctrl = new AbortController();
    const myVersion = version;
    const snapshot: DocumentSnapshot = { uri: 'file:///replay', languageId: header.language, text, offset, version };
    const p: NonNullable<typeof pending> = { ctrl };
    p.timer = clock.setTimeout(() => {
      p.timer = undefined;
      void manager.complete(snapshot, { signal: ctrl.signal }).then((r) => {
        if (ctrl.signal.aborted || version !== myVersion) return;
        detail.servedBy[r.servedBy]++;
        if (opts.onMissedPause || opts.onLatePause) answerLog.push({ t: clock.now(), msg: `${r.servedBy}: ${r.outcome.kind === 'suggestion' ? JSON.stringify(r.outcome.text) : `${r.outcome.stage}/${r.outcome.reason} ${r.outcome.detail}`} (${r.shape.why})` });
        const prefix = text.slice(0, offset);
        const suffix = text.slice(offset);
        if (r.outcome.kind === 'suggestion') {
          const before = visible(ghost, prefix, suffix);
          ghost = { prefix, suffix, text: r.outcome.text, replaceSuffix: r.outcome.replaceSuffix };
          if (before === undefined) ghostShownAt.push(clock.now());
        } else ghost = undefined;
      });
    }, editorDelay);
    pending = p;
  };

  const answerLog: { t: number; msg: string }[] = [];
  const states: { text: string; offset: number }[] = [];
  let keystrokes = 0;
  // Per event: was a suggestion visible right after it, and the typed-through bookkeeping to settle later.
  const visibleAfter: boolean[] = [];
  let openTypedThrough: { chars: number; requests: number } | undefined;
  const settleTypedThrough = () => {
    if (!openTypedThrough) return;
    const stillShown = visible(ghost, text.slice(0, offset), text.slice(offset)) !== undefined;
    if (stillShown && manager.stats.requests === openTypedThrough.requests) detail.typedThroughServed += openTypedThrough.chars;
    openTypedThrough = undefined;
  };

  for (const ev of events) {
    await clock.advanceTo(ev.t);
    settleTypedThrough();
    const prefix = text.slice(0, offset);
    const suffix = text.slice(offset);
    if ('accept' in ev) {
      detail.accepts++;
      const shown = visible(ghost, prefix, suffix);
      if (shown !== undefined && ghost) {
        detail.acceptsWithGhost++;
        text = prefix + shown + suffix.slice(ghost.replaceSuffix);
        offset = prefix.length + shown.length;
        version++;
        ghost = undefined;
        fetch();
      }
    } else {
      keystrokes++;
      const shownBefore = visible(ghost, prefix, suffix);
      const newPrefix = ev.text.slice(0, ev.offset);
      // The first event sets up the document (the text around the typed region is not typed).
      const grew = keystrokes === 1 ? 1 : newPrefix.length - prefix.length;
      if (grew > 0) detail.typedChars += grew;
      text = ev.text;
      offset = ev.offset;
      version++;
      const shownAfter = visible(ghost, newPrefix, ev.text.slice(ev.offset));
      if (shownAfter === undefined) ghost = undefined;
      else if (shownBefore !== undefined && grew > 0) {
        detail.typedThroughChars += grew;
        openTypedThrough = { chars: grew, requests: manager.stats.requests };
      }
      fetch();
    }
    visibleAfter.push(visible(ghost, text.slice(0, offset), text.slice(offset)) !== undefined);
    states.push({ text, offset });
  }
  const lastT = events.length ? events[events.length - 1].t : 0;
  await clock.advanceTo(lastT + 10_000);
  settleTypedThrough();
  manager.dispose();

  // Pauses: idle ≥ pauseMs after an event (the idle at the very end of the trace is not a pause: the user is done).
  let pauses = 0;
  let pausesWithGhost = 0;
  for (let i = 0; i + 1 < events.length; i++) {
    const start = events[i].t;
    const end = events[i + 1].t;
    if (end - start < pauseMs) continue;
    pauses++;
    // Visible right after the event (VS Code is still showing it as typed through): 0 ms. Note that the
    // suggestion a keystroke kept may be replaced within the pause; it was shown all the same.
    let at: number | undefined = visibleAfter[i] ? start : undefined;
    if (at === undefined) at = ghostShownAt.find((x) => x >= start && x < end);
    const st = states[i];
    const p = st.text.slice(0, st.offset);
    const sfx = st.text.slice(st.offset);
    const shape = ((opts.policy ?? TESSERA_POLICY).shape === 'classic' ? classicShape : decideShape)(p, sfx, profile);
    const hasAnswer = perfectAnswer(header.final, p, sfx, shape.multiline, shape.maxTokens * 4).trim() !== '';
    if (hasAnswer) detail.pausesWithAnswer++;
    if (at !== undefined) {
      pausesWithGhost++;
      if (hasAnswer) detail.pausesWithAnswerAndGhost++;
      detail.pauseToGhost.push(at - start);
      if (at > start && opts.onLatePause) {
        opts.onLatePause({ t: start, ms: at - start, prefixTail: p.slice(-80), suffixHead: sfx.slice(0, 40), last: answerLog.filter((a) => a.t >= start - 1000 && a.t < end).map((a) => `${Math.round(a.t - start)}: ${a.msg}`).join(' | ') });
      }
    } else if (opts.onMissedPause) {
      opts.onMissedPause({
        t: start,
        prefixTail: p.slice(-80),
        suffixHead: sfx.slice(0, 40),
        last: answerLog.filter((a) => a.t >= start && a.t < end).map((a) => a.msg).join(' | '),
      });
    }
  }
  detail.inflightHits = manager.stats.inflightHits;
  const summary: ReplaySummary = {
    keystrokes,
    requests: manager.stats.requests,
    cancelled: manager.stats.cancelled,
    cacheHits: manager.stats.cacheHits,
    typedAheadHits: manager.stats.typedAheadHits,
    pauses,
    pausesWithGhost,
    pauseToGhostP50: percentile(detail.pauseToGhost, 50),
    pauseToGhostP95: percentile(detail.pauseToGhost, 95),
  };
  return { summary, detail };
}
