/**
 * Local usage statistics (never sent anywhere): suggestions shown and accepted (full / partial), accepted
 * characters, and latency per stage (p50/p95), per backend and per language. Plain data, so the shell can keep it
 * in VS Code's global state and show it.
 */
import { reasonSays, reasonKind, type RejectionReason } from '../reasons';
import { percentileOfSorted } from '../stats';
import type { ScheduledOutcome } from '../scheduling/manager';
import type { StageTimings } from '../types';
import type { AcceptCount } from './acceptance';

const MAX_SAMPLES = 500;
const STAGE_ORDER = ['schedule', 'cache', 'context', 'prompt', 'backend', 'postfilter', 'total'];

export interface Counters {
  requests: number;
  shown: number;
  acceptedFull: number;
  acceptedPartial: number;
  acceptedChars: number;
  /** Triggers superseded by the next keystroke (in the debounce or mid-request): request economy, not a problem. */
  superseded?: number;
  /** Triggers that showed nothing, by reason (core/reasons.ts). */
  nothingShown: Record<string, number>;
  /** Next-edit suggestions shown, accepted (Tab), dismissed (Esc). */
  nextEdits?: { shown: number; accepted: number; dismissed: number };
}

export interface StatsData {
  version: 1 | 2;
  since: number;
  byBackend: Record<string, Counters>;
  byLanguage: Record<string, Counters>;
  /** Latency samples per stage (and `total`), most recent last. */
  latency: Record<string, number[]>;
}

export interface LatencySummary {
  stage: string;
  count: number;
  p50: number;
  p95: number;
}

function emptyCounters(): Counters {
  return {
    requests: 0,
    shown: 0,
    acceptedFull: 0,
    acceptedPartial: 0,
    acceptedChars: 0,
    superseded: 0,
    nothingShown: {},
  };
}

/**
 * Data of version 1 counted a suggestion again when it was served from the cache after typing through or a
 * partial accept, so accepts could exceed shows; its reasons were `stage/reason` codes. Version 2 counts each shown
 * suggestion once and keys reasons by reason. Old accept counts above the shows are capped (the shows are the
 * better count: they are what the user saw), old reason keys are merged by reason.
 */
function migrate(d: StatsData): StatsData {
  if (d.version === 2) return d;
  for (const c of [...Object.values(d.byBackend), ...Object.values(d.byLanguage)]) {
    const over = c.acceptedFull + c.acceptedPartial - c.shown;
    if (over > 0) {
      const fromPartial = Math.min(over, c.acceptedPartial);
      c.acceptedPartial -= fromPartial;
      c.acceptedFull = Math.max(0, c.acceptedFull - (over - fromPartial));
    }
    const reasons: Record<string, number> = {};
    for (const [k, v] of Object.entries(c.nothingShown ?? {})) {
      const reason = k.slice(k.indexOf('/') + 1);
      if (reasonKind(reason) === 'choice' || reasonKind(reason) === 'superseded') continue;
      reasons[reason] = (reasons[reason] ?? 0) + v;
    }
    c.nothingShown = reasons;
  }
  return { ...d, version: 2 };
}

export class UsageStats {
  private data: StatsData;

  constructor(
    initial?: unknown,
    private readonly now: () => number = Date.now,
  ) {
    this.data = UsageStats.isData(initial) ? migrate(structuredClone(initial)) : this.fresh();
  }

  private fresh(): StatsData {
    return { version: 2, since: this.now(), byBackend: {}, byLanguage: {}, latency: {} };
  }

  private static isData(x: unknown): x is StatsData {
    const v = (x as StatsData | null)?.version;
    return (
      typeof x === 'object' && x !== null && (v === 1 || v === 2) && typeof (x as StatsData).byBackend === 'object'
    );
  }

  private each(backend: string, language: string, f: (c: Counters) => void): void {
    f((this.data.byBackend[backend] ??= emptyCounters()));
    f((this.data.byLanguage[language] ??= emptyCounters()));
  }

  private sample(stage: string, ms: number): void {
    const arr = (this.data.latency[stage] ??= []);
    arr.push(Math.round(ms * 10) / 10);
    if (arr.length > MAX_SAMPLES) arr.splice(0, arr.length - MAX_SAMPLES);
  }

  recordRequest(backend: string, language: string): void {
    this.each(backend, language, (c) => c.requests++);
  }

  /** A new suggestion appeared on screen (the ledger in acceptance.ts decides what is new). */
  recordShown(backend: string, language: string): void {
    this.each(backend, language, (c) => c.shown++);
  }

  /** A suggestion counted as shown was hidden before the user could see it (the suggest widget opened over it). */
  retractShown(backend: string, language: string): void {
    this.each(backend, language, (c) => (c.shown = Math.max(0, c.shown - 1)));
  }

  /** Time per stage of a suggestion the backend answered with. */
  recordLatency(timings: StageTimings, totalMs: number): void {
    for (const [stage, ms] of Object.entries(timings)) if (typeof ms === 'number') this.sample(stage, ms);
    this.sample('total', totalMs);
  }

  /** A trigger showed nothing, for this reason (the user's own switches, such as "disabled", are not counted). */
  recordNothingShown(backend: string, language: string, reason: RejectionReason): void {
    const kind = reasonKind(reason);
    if (kind === 'superseded') return this.recordSuperseded(backend, language);
    if (kind === 'choice') return;
    this.each(backend, language, (c) => (c.nothingShown[reason] = (c.nothingShown[reason] ?? 0) + 1));
  }

  /**
   * One trigger's answer from the scheduler: a backend request (if one was started for it), and why nothing showed
   * when nothing did (a trigger superseded by the next keystroke is request economy, not a reason). A suggestion is
   * counted when it is handed to the editor (recordShown), where it is known whether it is new.
   */
  recordTrigger(
    backend: string,
    language: string,
    s: Pick<ScheduledOutcome, 'outcome' | 'servedBy' | 'requestId'>,
  ): void {
    if (s.servedBy === 'request' && s.requestId !== undefined) this.recordRequest(backend, language);
    if (s.outcome.kind === 'rejection') this.recordNothingShown(backend, language, s.outcome.reason);
  }

  /** A next-edit suggestion shown, accepted or dismissed (counted under the edit model's profile). */
  recordNextEdit(backend: string, language: string, what: 'shown' | 'accepted' | 'dismissed'): void {
    this.each(backend, language, (c) => {
      c.nextEdits ??= { shown: 0, accepted: 0, dismissed: 0 };
      c.nextEdits[what]++;
    });
  }

  recordSuperseded(backend: string, language: string): void {
    this.each(backend, language, (c) => (c.superseded = (c.superseded ?? 0) + 1));
  }

  /** An accept of a shown suggestion; `count` (from the ledger) says what it changes besides the characters. */
  recordAccepted(backend: string, language: string, count: AcceptCount, chars: number): void {
    this.each(backend, language, (c) => {
      if (count === 'full') c.acceptedFull++;
      else if (count === 'partial') c.acceptedPartial++;
      else if (count === 'partial-to-full') {
        c.acceptedFull++;
        c.acceptedPartial = Math.max(0, c.acceptedPartial - 1);
      }
      c.acceptedChars += Math.max(0, chars);
    });
  }

  /** Nothing recorded yet. */
  get empty(): boolean {
    return Object.keys(this.data.byBackend).length === 0 && Object.keys(this.data.latency).length === 0;
  }

  latencySummary(): LatencySummary[] {
    return Object.entries(this.data.latency).map(([stage, xs]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      const at = (p: number) => (sorted.length ? percentileOfSorted(sorted, p) : 0);
      return { stage, count: xs.length, p50: at(50), p95: at(95) };
    });
  }

  reset(): void {
    this.data = this.fresh();
  }

  toJSON(): StatsData {
    return structuredClone(this.data);
  }

  /** Counters summed over every backend (each trigger is counted once per backend and once per language). */
  totals(): Counters {
    const t = emptyCounters();
    for (const c of Object.values(this.data.byBackend)) {
      t.requests += c.requests;
      t.shown += c.shown;
      t.acceptedFull += c.acceptedFull;
      t.acceptedPartial += c.acceptedPartial;
      t.acceptedChars += c.acceptedChars;
      t.superseded = (t.superseded ?? 0) + (c.superseded ?? 0);
      if (c.nextEdits) {
        t.nextEdits ??= { shown: 0, accepted: 0, dismissed: 0 };
        t.nextEdits.shown += c.nextEdits.shown;
        t.nextEdits.accepted += c.nextEdits.accepted;
        t.nextEdits.dismissed += c.nextEdits.dismissed;
      }
      for (const [k, v] of Object.entries(c.nothingShown)) t.nothingShown[k] = (t.nothingShown[k] ?? 0) + v;
    }
    return t;
  }

  /** A Markdown report for the statistics view. */
  toMarkdown(): string {
    const d = this.data;
    const rate = (c: Counters) =>
      c.shown ? `${Math.round(((c.acceptedFull + c.acceptedPartial) / c.shown) * 100)}%` : '–';
    const row = (name: string, c: Counters) => {
      const top = Object.entries(c.nothingShown)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([k, v]) => `${reasonSays(k)} ×${v}`)
        .join(', ');
      return `| ${name} | ${c.requests} | ${c.shown} | ${c.acceptedFull} | ${c.acceptedPartial} | ${c.acceptedChars} | ${rate(c)} | ${c.superseded ?? 0} | ${top || '–'} |`;
    };
    const table = (title: string, rec: Record<string, Counters>) =>
      [
        `### ${title}`,
        '',
        '| | requests | shown | accepted | partly accepted | accepted chars | acceptance | superseded | why nothing showed (top 3) |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
        ...(Object.keys(rec).length ? Object.entries(rec).map(([k, c]) => row(k, c)) : ['| – | | | | | | | | |']),
        '',
      ].join('\n');
    const lat = this.latencySummary().sort((a, b) => STAGE_ORDER.indexOf(a.stage) - STAGE_ORDER.indexOf(b.stage));
    const t = this.totals();
    const reasons = Object.entries(t.nothingShown).sort((a, b) => b[1] - a[1]);
    return [
      `# Tessera statistics`,
      '',
      `Local only, never sent anywhere. Since ${new Date(d.since).toLocaleString()}.`,
      '',
      `**${t.shown}** suggestions shown · **${t.acceptedFull}** accepted · **${t.acceptedPartial}** partly accepted · ` +
        `**${t.acceptedChars}** characters accepted · acceptance **${rate(t)}** · **${t.requests}** backend requests`,
      '',
      ...(t.nextEdits
        ? [
            `Next edits: **${t.nextEdits.shown}** shown · **${t.nextEdits.accepted}** accepted (Tab) · **${t.nextEdits.dismissed}** dismissed (Esc)`,
            '',
          ]
        : []),
      table('By backend', d.byBackend),
      table('By language', d.byLanguage),
      '### Why nothing showed',
      '',
      ...(reasons.length
        ? [
            '| no suggestion because | times |',
            '| --- | ---: |',
            ...reasons.map(([k, v]) => `| ${reasonSays(k)} | ${v} |`),
          ]
        : ['Nothing yet.']),
      '',
      '### Latency per stage (ms, suggestions shown)',
      '',
      '| stage | samples | p50 | p95 |',
      '| --- | ---: | ---: | ---: |',
      ...(lat.length ? lat.map((l) => `| ${l.stage} | ${l.count} | ${l.p50} | ${l.p95} |`) : ['| – | 0 | | |']),
      '',
      '_shown_: suggestions that appeared as ghost text, each counted once (typing through one, accepting part of it ' +
        'or cycling its alternatives shows the same suggestion; the next lines that appear after it are a new one). ' +
        '_accepted_ and _partly accepted_: each shown suggestion at most once — taken whole (Tab), or a word or line at a ' +
        'time (Ctrl+Right, accept line) and not finished; ' +
        'a single typed character that matches the ghost text counts as typing, not accepting. ' +
        '_superseded_: triggers a newer keystroke replaced during the debounce or the request. ' +
        '_schedule_ is the wait for the debounce and a free backend slot; _total_ is from the keystroke to the suggestion.',
      '',
    ].join('\n');
  }
}
