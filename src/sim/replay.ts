/**
 * Replay of a typing trace against a scheduler and the real pipeline, on a virtual clock.
 *
 * Three parts:
 * - the editor: a model of how VS Code 1.100 drives an inline completion provider — each text change cancels
 *   the pending call and calls the provider again 50 ms later (VS Code's own fixed debounce for inline
 *   completions); a shown suggestion stays visible while the user types characters that match it, and is
 *   replaced by whatever the provider's next answer is (nothing → it disappears); Tab inserts what is shown and
 *   the provider is called again;
 * - the scheduler: Tessera's RequestManager with the extension's pipeline (context, prompt, post-filter), or a
 *   baseline (policies.ts);
 * - a simulated perfect model (perfectModel.ts), which also meters what each request costs a server: the tokens
 *   it generates, and the prompt tokens a server with a prefix cache must process again (promptCost.ts), for the
 *   prompt Tessera renders and, on the same requests, for a plain window of the nearest lines of the same budget.
 */
import type { CompletionRequest } from '../core/backends/types';
import type { BackendProfile } from '../core/config';
import { readSettings } from '../core/config';
import { buildContext, lineWindow, tokenizerFamilyOf } from '../core/context';
import { complete } from '../core/pipeline';
import { postfilter } from '../core/postfilter';
import { FIM_FAMILIES, renderFim, type FimFamily, type FimInput } from '../core/prompt/templates';
import type { Logger } from '../core/log';
import { percentile } from '../core/stats';
import type { DocumentSnapshot } from '../core/types';
import { VirtualClock, type Clock } from '../core/scheduling/clock';
import type { RequestReason } from '../core/scheduling/flights';
import type { ServedBy } from '../core/scheduling/manager';
import { filterPartial } from '../core/scheduling/partial';
import { perfectAnswer, PerfectModelBackend } from './perfectModel';
import { POLICIES, type SimPolicy } from './policies';
import { PrefixCacheMeter } from './promptCost';
import { traceChars, type TraceEvent, type TraceHeader } from './trace';

export interface ReplayOptions {
  /** Time to the first token (ms). */
  latencyMs: number;
  tokensPerS: number;
  /** The scheduler (default: Tessera's). */
  policy?: SimPolicy;
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
  /** The model family whose FIM template renders the prompt (prefill is counted on it); default qwen. */
  fimTemplate?: FimFamily;
  /**
   * Whose prompts the summary's `prefillTokens` counts: Tessera's (default), or a plain FIM prompt of the nearest
   * lines within the same budget, sliding with the cursor, on the same requests (the baseline, measured the same way).
   */
  prompt?: 'tessera' | 'plain';
  /** Diagnostics: the scheduler's log (request starts, cancellations). */
  log?: Logger;
  /** Diagnostics: called for every pause without ghost text, with the document and the last provider answer. */
  onMissedPause?: (info: { t: number; prefixTail: string; suffixHead: string; last?: string }) => void;
  /** Diagnostics: called for every pause whose ghost text came after the pause started, with the delay. */
  onLatePause?: (info: { t: number; ms: number; prefixTail: string; suffixHead: string; last?: string }) => void;
}

/** The summary line of `tessera replay` (exactly these keys, in this order). */
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
  /** Tokens the backend generated, over the whole trace. */
  generatedTokens: number;
  /** Prompt tokens a server with a prefix cache processed again (after the prefix shared with the previous prompt). */
  prefillTokens: number;
}

/** One backend request of the replay, for the benchmark's breakdown of where requests go. */
export interface RequestRecord {
  id: number;
  /** Virtual time it started. */
  t: number;
  reason: RequestReason;
  /** The request shape's reason (mid-line, end-of-statement, …). */
  why: string;
  /** Its answer (or an answer cached from it) was shown as ghost text at least once. */
  shown: boolean;
  cancelled: boolean;
  /** Tokens it generated, and its prefill. */
  tokens: number;
  prefill: number;
  /** Virtual time it ended (answered or cancelled). */
  endedAt?: number;
  /** The document and cursor it was asked for. */
  snapshot: DocumentSnapshot;
}

/** Extra numbers for the benchmark. */
export interface ReplayDetail {
  /** Characters the session adds to the document (typed or accepted): the same for every policy (see traceChars). */
  traceChars: number;
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
  /** Prompt tokens of all requests, as a server without a prefix cache would process them. */
  promptTokens: number;
  /** Prefill, on the same requests, of a plain FIM prompt of the nearest lines within the same budget. */
  plainWindowPrefillTokens: number;
  /** Of each prefill, the tokens of the suffix section (processed again because something before it changed). */
  prefillSuffixTokens: number;
  plainWindowPrefillSuffixTokens: number;
  /** The first request's prefill (a cold cache: the whole prompt), for Tessera and the plain window. */
  firstPrefillTokens: number;
  plainWindowFirstPrefillTokens: number;
  servedBy: Record<ServedBy, number>;
  requestLog: RequestRecord[];
}

/** Where the suffix section lies in the prompt `family` renders for `input` (what comes before it does not depend on it). */
function suffixSectionIn(family: FimFamily, input: FimInput): { start: number; end: number } {
  const marker = '\u0000';
  const start = renderFim(family, { ...input, suffix: marker }).indexOf(marker);
  return start < 0 ? { start: 0, end: 0 } : { start, end: start + input.suffix.length };
}

/** The CLI contract's percentiles: whole milliseconds, 0 when there are no samples. */
function percentileMs(xs: number[], p: number): number {
  return xs.length ? Math.round(percentile(xs, p)) : 0;
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
    await buildContext({
      language: header.language,
      prefix,
      suffix,
      budgetTokens: settings.context.maxPromptTokens,
      suffixShare: settings.context.suffixShare,
    });
    await postfilter({ language: header.language, prefix, suffix, completion: 'x' });
  } catch {
    // A language without a grammar takes the heuristic path; nothing to load.
  }
}

/** Replays run so far in this process: each replay's document gets its own URI (see below). */
let replays = 0;

export async function replay(
  header: TraceHeader,
  events: TraceEvent[],
  opts: ReplayOptions,
): Promise<{ summary: ReplaySummary; detail: ReplayDetail }> {
  // The trace's own document: what the pipeline remembers per document (the last prompt plan, which keeps the prompt's
  // start stable) must not carry over from an earlier replay in the same process, or a benchmark that replays many
  // traces would count other prompts than `tessera replay`, which replays one.
  const uri = `file:///replay/${++replays}`;
  // Pipeline runs doing work off the virtual clock (context, post-filter, grammar loading): time waits for them.
  let busy = 0;
  const clock = new VirtualClock(0, () => busy === 0);
  await warmUp(header);
  const editorDelay = opts.editorDelayMs ?? 50;
  const pauseMs = opts.pauseMs ?? 500;
  const { settings } = readSettings({});
  const fimTemplate = opts.fimTemplate ?? 'qwen';
  if (!FIM_FAMILIES.includes(fimTemplate)) throw new Error(`unknown FIM template ${fimTemplate}`);
  const family = tokenizerFamilyOf(fimTemplate);
  const profile: BackendProfile = {
    name: 'replay',
    kind: 'openai',
    baseUrl: 'http://127.0.0.1:1/v1',
    model: 'perfect',
    fimTemplate,
    maxTokens: 128,
    temperature: 0,
    timeoutMs: 10_000,
  };
  const prompts = new PrefixCacheMeter(family);
  const plainPrompts = new PrefixCacheMeter(family);
  const records = new Map<number, RequestRecord>();
  let generatedTokens = 0;
  /** The request a pipeline run belongs to (runs start one at a time, synchronously). */
  const onRequest = (record: RequestRecord | undefined) => (request: CompletionRequest, snapshot: DocumentSnapshot) => {
    const prefill = prompts.add(renderFim(fimTemplate, request), suffixSectionIn(fimTemplate, request));
    if (record) record.prefill = prefill;
    const plain = lineWindow(
      snapshot.text.slice(0, snapshot.offset),
      snapshot.text.slice(snapshot.offset),
      settings.context.maxPromptTokens,
      settings.context.suffixShare,
      family,
    );
    const plainInput = { prefix: plain.prefix, suffix: plain.suffix };
    plainPrompts.add(renderFim(fimTemplate, plainInput), suffixSectionIn(fimTemplate, plainInput));
  };

  const scheduler = (opts.policy ?? POLICIES.tessera).create({
    clock,
    profile,
    local: opts.local ?? true,
    debounceMs: opts.debounceMs ?? settings.debounceMs,
    prefetch: opts.prefetch ?? true,
    speculate: opts.speculate,
    log: opts.log,
    postfilter: async (...args) => {
      busy++;
      try {
        return await filterPartial(...args);
      } finally {
        busy--;
      }
    },
    run: async (snapshot, shape, onChunk, signal, info) => {
      const record: RequestRecord | undefined = info
        ? {
            id: info.id,
            t: clock.now(),
            reason: info.reason,
            why: shape.why,
            shown: false,
            cancelled: false,
            tokens: 0,
            prefill: 0,
            snapshot,
          }
        : undefined;
      if (record) records.set(record.id, record);
      busy++;
      try {
        const backend = new PerfectModelBackend(
          profile,
          clock,
          header.final,
          snapshot,
          opts.latencyMs,
          opts.tokensPerS,
          {
            onWait: (waiting) => (busy += waiting ? -1 : 1),
            onRequest: onRequest(record),
            onToken: () => {
              generatedTokens++;
              if (record) record.tokens++;
            },
          },
        );
        const outcome = await complete(
          snapshot,
          { backend, profile, settings, shape, onChunk, now: () => clock.now() },
          signal,
        );
        if (record) {
          record.cancelled = signal.aborted;
          record.endedAt = clock.now();
        }
        return outcome;
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
    traceChars: traceChars({ header, events }),
    typedChars: 0,
    typedThroughChars: 0,
    typedThroughServed: 0,
    inflightHits: 0,
    accepts: 0,
    acceptsWithGhost: 0,
    pauseToGhost: [],
    pausesWithAnswer: 0,
    pausesWithAnswerAndGhost: 0,
    promptTokens: 0,
    plainWindowPrefillTokens: 0,
    prefillSuffixTokens: 0,
    plainWindowPrefillSuffixTokens: 0,
    firstPrefillTokens: 0,
    plainWindowFirstPrefillTokens: 0,
    servedBy: { cache: 0, 'typed-ahead': 0, 'in-flight': 0, request: 0 },
    requestLog: [],
  };

  const answerLog: { t: number; msg: string }[] = [];
  const fetch = () => {
    if (pending) {
      pending.ctrl.abort();
      if (pending.timer) clock.clearTimeout(pending.timer);
    }
    const ctrl = new AbortController();
    const myVersion = version;
    const snapshot: DocumentSnapshot = { uri, languageId: header.language, text, offset, version };
    const p: NonNullable<typeof pending> = { ctrl };
    p.timer = clock.setTimeout(() => {
      p.timer = undefined;
      void scheduler.complete(snapshot, { signal: ctrl.signal }).then((r) => {
        if (ctrl.signal.aborted || version !== myVersion) return;
        detail.servedBy[r.servedBy]++;
        if (opts.onMissedPause || opts.onLatePause)
          answerLog.push({
            t: clock.now(),
            msg: `${r.servedBy}${r.requestId ? ` #${r.requestId}` : ''}: ${r.outcome.kind === 'suggestion' ? JSON.stringify(r.outcome.text) : `${r.outcome.stage}/${r.outcome.reason} ${r.outcome.detail}`} (${r.shape.why})`,
          });
        const prefix = text.slice(0, offset);
        const suffix = text.slice(offset);
        if (r.outcome.kind === 'suggestion') {
          const before = visible(ghost, prefix, suffix);
          ghost = { prefix, suffix, text: r.outcome.text, replaceSuffix: r.outcome.replaceSuffix };
          if (before === undefined) ghostShownAt.push(clock.now());
          const origin = r.requestId === undefined ? undefined : records.get(r.requestId);
          if (origin) origin.shown = true;
        } else ghost = undefined;
      });
    }, editorDelay);
    pending = p;
  };

  const states: { text: string; offset: number }[] = [];
  let keystrokes = 0;
  // Per event: was a suggestion visible right after it, and the typed-through bookkeeping to settle later.
  const visibleAfter: boolean[] = [];
  let openTypedThrough: { chars: number; requests: number } | undefined;
  const settleTypedThrough = () => {
    if (!openTypedThrough) return;
    const stillShown = visible(ghost, text.slice(0, offset), text.slice(offset)) !== undefined;
    if (stillShown && scheduler.stats.requests === openTypedThrough.requests)
      detail.typedThroughServed += openTypedThrough.chars;
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
        openTypedThrough = { chars: grew, requests: scheduler.stats.requests };
      }
      fetch();
    }
    visibleAfter.push(visible(ghost, text.slice(0, offset), text.slice(offset)) !== undefined);
    states.push({ text, offset });
  }
  const lastT = events.length ? events[events.length - 1].t : 0;
  await clock.advanceTo(lastT + 10_000);
  settleTypedThrough();
  scheduler.dispose();
  await clock.advanceBy(0);

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
    const shape = scheduler.shapeAt(p, sfx);
    const hasAnswer = perfectAnswer(header.final, p, sfx, shape.multiline, shape.maxTokens * 4).trim() !== '';
    if (hasAnswer) detail.pausesWithAnswer++;
    if (at !== undefined) {
      pausesWithGhost++;
      if (hasAnswer) detail.pausesWithAnswerAndGhost++;
      detail.pauseToGhost.push(at - start);
      if (at > start && opts.onLatePause) {
        opts.onLatePause({
          t: start,
          ms: at - start,
          prefixTail: p.slice(-80),
          suffixHead: sfx.slice(0, 40),
          last: answerLog
            .filter((a) => a.t >= start - 1000 && a.t < end)
            .map((a) => `${Math.round(a.t - start)}: ${a.msg}`)
            .join(' | '),
        });
      }
    } else if (opts.onMissedPause) {
      opts.onMissedPause({
        t: start,
        prefixTail: p.slice(-80),
        suffixHead: sfx.slice(0, 40),
        last: answerLog
          .filter((a) => a.t >= start && a.t < end)
          .map((a) => a.msg)
          .join(' | '),
      });
    }
  }
  detail.inflightHits = scheduler.stats.inflightHits;
  detail.promptTokens = prompts.promptTokens;
  detail.plainWindowPrefillTokens = plainPrompts.prefillTokens;
  detail.prefillSuffixTokens = prompts.suffixTokens;
  detail.plainWindowPrefillSuffixTokens = plainPrompts.suffixTokens;
  detail.firstPrefillTokens = prompts.firstPrefillTokens;
  detail.plainWindowFirstPrefillTokens = plainPrompts.firstPrefillTokens;
  detail.requestLog = [...records.values()].sort((a, b) => a.id - b.id);
  const summary: ReplaySummary = {
    keystrokes,
    requests: scheduler.stats.requests,
    cancelled: scheduler.stats.cancelled,
    cacheHits: scheduler.stats.cacheHits,
    typedAheadHits: scheduler.stats.typedAheadHits,
    pauses,
    pausesWithGhost,
    pauseToGhostP50: percentileMs(detail.pauseToGhost, 50),
    pauseToGhostP95: percentileMs(detail.pauseToGhost, 95),
    generatedTokens,
    prefillTokens: opts.prompt === 'plain' ? plainPrompts.prefillTokens : prompts.prefillTokens,
  };
  return { summary, detail };
}
