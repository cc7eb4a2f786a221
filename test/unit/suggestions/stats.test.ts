import { describe, expect, it } from 'vitest';
import { percentile, UsageStats } from '../../../src/core/suggestions/stats';

describe('UsageStats', () => {
  it('counts per backend and per language, and reports acceptance', () => {
    const s = new UsageStats(undefined, () => 0);
    s.recordRequest('local', 'python');
    s.recordShown('local', 'python', { backend: 100, postfilter: 2 }, 110);
    s.recordAccepted('local', 'python', 'full', 12);
    s.recordRequest('local', 'go');
    s.recordNothingShown('local', 'go', 'postfilter/suffix-duplicate');
    const d = s.toJSON();
    expect(d.byBackend.local).toMatchObject({ requests: 2, shown: 1, acceptedFull: 1, acceptedChars: 12 });
    expect(d.byLanguage.go.nothingShown).toEqual({ 'postfilter/suffix-duplicate': 1 });
    expect(s.toMarkdown()).toMatch(/\| local \| 2 \| 1 \| 1 \| 0 \| 12 \| 100% \|/);
  });

  it('summarises latency per stage with p50/p95', () => {
    const s = new UsageStats();
    for (let i = 1; i <= 100; i++) s.recordShown('b', 'l', { backend: i }, i + 1);
    const backend = s.latencySummary().find((x) => x.stage === 'backend')!;
    expect(backend).toEqual({ stage: 'backend', count: 100, p50: 50, p95: 95 });
  });

  it('survives a round trip through storage and ignores garbage', () => {
    const s = new UsageStats();
    s.recordAccepted('b', 'l', 'partial', 3);
    expect(new UsageStats(JSON.parse(JSON.stringify(s.toJSON()))).toJSON().byBackend.b.acceptedPartial).toBe(1);
    expect(new UsageStats({ nonsense: true }).toJSON().byBackend).toEqual({});
  });

  it('reset clears everything', () => {
    const s = new UsageStats();
    s.recordRequest('b', 'l');
    s.reset();
    expect(s.toJSON().byBackend).toEqual({});
  });

  it('percentile of an empty list is 0', () => {
    expect(percentile([], 50)).toBe(0);
  });
});

describe('UsageStats.recordTrigger (why nothing showed)', () => {
  const sug = { kind: 'suggestion' as const, text: 'x', replaceSuffix: 0, raw: 'x', appliedRules: [], timings: { backend: 40, postfilter: 3 } };
  const rej = (stage: 'postfilter' | 'schedule' | 'backend', reason: string) => ({ kind: 'rejection' as const, stage, reason, detail: '', timings: {} });

  it('counts a request, a new suggestion shown, its latency per stage including the wait', () => {
    const s = new UsageStats();
    s.recordTrigger('b', 'go', { outcome: sug, servedBy: 'request', requestId: 1, waitedMs: 75 }, 120);
    expect(s.toJSON().byBackend.b).toMatchObject({ requests: 1, shown: 1 });
    expect(s.latencySummary().map((l) => l.stage).sort()).toEqual(['backend', 'postfilter', 'schedule', 'total']);
  });

  it('does not count cache and typed-ahead re-shows as new suggestions, nor as requests', () => {
    const s = new UsageStats();
    s.recordTrigger('b', 'go', { outcome: sug, servedBy: 'typed-ahead', waitedMs: 0 }, 1);
    s.recordTrigger('b', 'go', { outcome: sug, servedBy: 'cache', waitedMs: 0 }, 1);
    expect(s.toJSON().byBackend.b?.shown ?? 0).toBe(0);
    expect(s.toJSON().byBackend.b?.requests ?? 0).toBe(0);
  });

  it('records why nothing showed by stage/reason; a superseded trigger is not a reason', () => {
    const s = new UsageStats();
    s.recordTrigger('b', 'go', { outcome: rej('postfilter', 'suffix-duplicate'), servedBy: 'request', requestId: 2, waitedMs: 0 }, 5);
    s.recordTrigger('b', 'go', { outcome: rej('backend', 'unreachable'), servedBy: 'request', requestId: 3, waitedMs: 0 }, 5);
    s.recordTrigger('b', 'go', { outcome: rej('schedule', 'cancelled'), servedBy: 'request', waitedMs: 30 }, 30);
    const c = s.toJSON().byLanguage.go;
    expect(c.nothingShown).toEqual({ 'postfilter/suffix-duplicate': 1, 'backend/unreachable': 1 });
    expect(c.superseded).toBe(1);
    expect(c.requests).toBe(2);
    expect(s.toMarkdown()).toMatch(/\| postfilter\/suffix-duplicate \| 1 \|/);
  });

  it('a full accept after a partial one moves the suggestion from partial to full', () => {
    const s = new UsageStats();
    s.recordAccepted('b', 'l', 'partial', 5);
    s.recordAccepted('b', 'l', 'partial', 3, { countAgain: false });
    s.recordAccepted('b', 'l', 'full', 4, { wasPartial: true });
    expect(s.toJSON().byBackend.b).toMatchObject({ acceptedFull: 1, acceptedPartial: 0, acceptedChars: 12 });
  });
});

describe('UsageStats.recordTrigger re-shows', () => {
  it('does not count the suggestion already on screen again', () => {
    const s = new UsageStats();
    const sug = { kind: 'suggestion' as const, text: 'x', replaceSuffix: 0, raw: 'x', appliedRules: [], timings: {} };
    s.recordTrigger('b', 'go', { outcome: sug, servedBy: 'in-flight', requestId: 1, waitedMs: 0 }, 5, true);
    expect(s.toJSON().byBackend.b?.shown ?? 0).toBe(0);
  });
});
