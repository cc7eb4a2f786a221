/**
 * Local usage statistics (never sent anywhere): suggestions shown and accepted (full / partial), accepted
 * characters, and latency per stage (p50/p95), per backend and per language. Plain data, so the shell can keep it
 * in VS Code's global state and show it.
 */
import type { ScheduledOutcome } from '../scheduling/manager';
import type { StageTimings } from '../types';

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
  /** Triggers that showed nothing, by `stage/reason`. */
  nothingShown: Record<string, number>;
}

export interface StatsData {
  version: 1;
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
  return { requests: 0, shown: 0, acceptedFull: 0, acceptedPartial: 0, acceptedChars: 0, superseded: 0, nothingShown: {} };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

export class UsageStats {
  private data: StatsData;

  constructor(
    initial?: unknown,
    private readonly now: () => number = Date.now,
  ) {
    this.data = UsageStats.isData(initial) ? structuredClone(initial) : this.fresh();
  }

  private fresh(): StatsData {
    return { version: 1, since: this.now(), byBackend: {}, byLanguage: {}, latency: {} };
  }

  private static isData(x: unknown): x is StatsData {
    return typeof x === 'object' && x !== null && (x as StatsData).version === 1 && typeof (x as StatsData).byBackend === 'object';
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

  recordShown(backend: string, language: string, timings: StageTimings, totalMs: number): void {
    this.each(backend, language, (c) => c.shown++);
    for (const [stage, ms] of Object.entries(timings)) if (typeof ms === 'number') this.sample(stage, ms);
    this.sample('total', totalMs);
  }

  recordNothingShown(backend: string, language: string, why: string): void {
    this.each(backend, language, (c) => (c.nothingShown[why] = (c.nothingShown[why] ?? 0) + 1));
  }

  /**
   * One trigger's answer from the scheduler: a backend request (if one was started for it), then either a
   * suggestion shown (a new one: cache and typed-ahead hits re-show a suggestion already counted), a trigger
   * superseded by the next keystroke (cancelled is not a reason to explain), or why nothing showed.
   * `reshow`: the editor already shows this very suggestion at this position (VS Code asks again on some events).
   */
  recordTrigger(
    backend: string,
    language: string,
    s: Pick<ScheduledOutcome, 'outcome' | 'servedBy' | 'requestId' | 'waitedMs'>,
    totalMs: number,
    reshow = false,
  ): void {
    if (s.servedBy === 'request' && s.requestId !== undefined) this.recordRequest(backend, language);
    const o = s.outcome;
    if (o.kind === 'rejection') {
      if (o.reason === 'cancelled') this.recordSuperseded(backend, language);
      else this.recordNothingShown(backend, language, `${o.stage}/${o.reason}`);
    } else if ((s.servedBy === 'request' || s.servedBy === 'in-flight') && !reshow) {
      this.recordShown(backend, language, { schedule: s.waitedMs, ...o.timings }, totalMs);
    }
  }

  recordSuperseded(backend: string, language: string): void {
    this.each(backend, language, (c) => (c.superseded = (c.superseded ?? 0) + 1));
  }

  /**
   * An accept of one shown suggestion. A suggestion counts once: `partial` on its first partial accept (later
   * partial accepts of the same suggestion only add characters: pass `countAgain: false`), and a full accept of a
   * suggestion already counted as partial moves it from partial to full (`wasPartial`).
   */
  recordAccepted(
    backend: string,
    language: string,
    kind: 'full' | 'partial',
    chars: number,
    opts: { wasPartial?: boolean; countAgain?: boolean } = {},
  ): void {
    this.each(backend, language, (c) => {
      if (kind === 'full') {
        c.acceptedFull++;
        if (opts.wasPartial) c.acceptedPartial = Math.max(0, c.acceptedPartial - 1);
      } else if (opts.countAgain !== false) c.acceptedPartial++;
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
      return { stage, count: xs.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
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
      for (const [k, v] of Object.entries(c.nothingShown)) t.nothingShown[k] = (t.nothingShown[k] ?? 0) + v;
    }
    return t;
  }

  /** A Markdown report for the statistics view. */
  toMarkdown(): string {
    const d = this.data;
    const rate = (c: Counters) => (c.shown ? `${Math.round(((c.acceptedFull + c.acceptedPartial) / c.shown) * 100)}%` : '–');
    const row = (name: string, c: Counters) => {
      const top = Object.entries(c.nothingShown)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([k, v]) => `${k} ×${v}`)
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
      table('By backend', d.byBackend),
      table('By language', d.byLanguage),
      '### Why nothing showed',
      '',
      ...(reasons.length ? ['| stage/reason | times |', '| --- | ---: |', ...reasons.map(([k, v]) => `| ${k} | ${v} |`)] : ['Nothing yet.']),
      '',
      '### Latency per stage (ms, suggestions shown)',
      '',
      '| stage | samples | p50 | p95 |',
      '| --- | ---: | ---: | ---: |',
      ...(lat.length ? lat.map((l) => `| ${l.stage} | ${l.count} | ${l.p50} | ${l.p95} |`) : ['| – | 0 | | |']),
      '',
      '_shown_: suggestions handed to the editor after a backend answer (not re-shows while typing through one). ' +
        '_partly accepted_: accepted a word or line at a time (Ctrl+Right, accept line), counted once per suggestion; ' +
        'a single typed character that matches the ghost text counts as typing, not accepting. ' +
        '_superseded_: triggers a newer keystroke replaced during the debounce or the request. ' +
        '_schedule_ is the wait for the debounce and a free backend slot; _total_ is from the keystroke to the suggestion.',
      '',
    ].join('\n');
  }
}
