/**
 * Local usage statistics (never sent anywhere): suggestions shown and accepted (full / partial), accepted
 * characters, and latency per stage (p50/p95), per backend and per language. Plain data, so the shell can keep it
 * in VS Code's global state and show it.
 */
import type { StageTimings } from '../types';

const MAX_SAMPLES = 500;

export interface Counters {
  requests: number;
  shown: number;
  acceptedFull: number;
  acceptedPartial: number;
  acceptedChars: number;
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
  return { requests: 0, shown: 0, acceptedFull: 0, acceptedPartial: 0, acceptedChars: 0, nothingShown: {} };
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

  recordAccepted(backend: string, language: string, kind: 'full' | 'partial', chars: number): void {
    this.each(backend, language, (c) => {
      if (kind === 'full') c.acceptedFull++;
      else c.acceptedPartial++;
      c.acceptedChars += Math.max(0, chars);
    });
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

  /** A Markdown report for the statistics view. */
  toMarkdown(): string {
    const d = this.data;
    const row = (name: string, c: Counters) => {
      const rate = c.shown ? `${Math.round(((c.acceptedFull + c.acceptedPartial) / c.shown) * 100)}%` : '–';
      const top = Object.entries(c.nothingShown)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([k, v]) => `${k} ×${v}`)
        .join(', ');
      return `| ${name} | ${c.requests} | ${c.shown} | ${c.acceptedFull} | ${c.acceptedPartial} | ${c.acceptedChars} | ${rate} | ${top || '–'} |`;
    };
    const table = (title: string, rec: Record<string, Counters>) =>
      [
        `### ${title}`,
        '',
        '| | requests | shown | accepted | partly accepted | accepted chars | acceptance | why nothing showed (top 3) |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
        ...Object.entries(rec).map(([k, c]) => row(k, c)),
        '',
      ].join('\n');
    const lat = this.latencySummary();
    return [
      `# Tessera statistics`,
      '',
      `Local only, never sent anywhere. Since ${new Date(d.since).toLocaleString()}.`,
      '',
      table('By backend', d.byBackend),
      table('By language', d.byLanguage),
      '### Latency per stage (ms)',
      '',
      '| stage | samples | p50 | p95 |',
      '| --- | ---: | ---: | ---: |',
      ...lat.map((l) => `| ${l.stage} | ${l.count} | ${l.p50} | ${l.p95} |`),
      '',
    ].join('\n');
  }
}
