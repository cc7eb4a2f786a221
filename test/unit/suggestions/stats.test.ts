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
