import { describe, expect, it } from 'vitest';
import type { RejectionReason } from '../../../src/core/reasons';
import { UsageStats } from '../../../src/core/suggestions/stats';

describe('UsageStats', () => {
  it('counts per backend and per language, and reports acceptance', () => {
    const s = new UsageStats(undefined, () => 0);
    s.recordRequest('local', 'python');
    s.recordShown('local', 'python');
    s.recordAccepted('local', 'python', 'full', 12);
    s.recordRequest('local', 'go');
    s.recordNothingShown('local', 'go', 'suffix-duplicate');
    const d = s.toJSON();
    expect(d.byBackend.local).toMatchObject({ requests: 2, shown: 1, acceptedFull: 1, acceptedChars: 12 });
    expect(d.byLanguage.go.nothingShown).toEqual({ 'suffix-duplicate': 1 });
    expect(s.toMarkdown()).toMatch(/\| local \| 2 \| 1 \| 1 \| 0 \| 12 \| 100% \|/);
  });

  it('summarises latency per stage with p50/p95', () => {
    const s = new UsageStats();
    for (let i = 1; i <= 100; i++) s.recordLatency({ backend: i }, i + 1);
    const backend = s.latencySummary().find((x) => x.stage === 'backend')!;
    expect(backend).toEqual({ stage: 'backend', count: 100, p50: 50, p95: 95 });
  });

  it('survives a round trip through storage and ignores garbage', () => {
    const s = new UsageStats();
    s.recordShown('b', 'l');
    s.recordAccepted('b', 'l', 'partial', 3);
    expect(new UsageStats(JSON.parse(JSON.stringify(s.toJSON()))).toJSON().byBackend.b.acceptedPartial).toBe(1);
    expect(new UsageStats({ nonsense: true }).toJSON().byBackend).toEqual({});
  });

  it('reads data of the first version: accepts capped at the shows, reasons keyed by reason', () => {
    const old = {
      version: 1,
      since: 0,
      byBackend: {
        local: {
          requests: 9,
          shown: 6,
          acceptedFull: 6,
          acceptedPartial: 2,
          acceptedChars: 80,
          nothingShown: { 'cache/line-complete': 6, 'gate/disabled': 2 },
        },
      },
      byLanguage: {
        rust: { requests: 1, shown: 0, acceptedFull: 1, acceptedPartial: 0, acceptedChars: 9, nothingShown: {} },
      },
      latency: {},
    };
    const d = new UsageStats(old).toJSON();
    expect(d.byBackend.local).toMatchObject({
      shown: 6,
      acceptedFull: 6,
      acceptedPartial: 0,
      nothingShown: { 'line-complete': 6 },
    });
    expect(d.byLanguage.rust).toMatchObject({ shown: 0, acceptedFull: 0 });
  });

  it('reset clears everything', () => {
    const s = new UsageStats();
    s.recordRequest('b', 'l');
    s.reset();
    expect(s.toJSON().byBackend).toEqual({});
  });
});

describe('UsageStats.recordTrigger (why nothing showed)', () => {
  const rej = (stage: 'postfilter' | 'schedule' | 'backend' | 'cache', reason: RejectionReason) => ({
    kind: 'rejection' as const,
    stage,
    reason,
    detail: '',
    timings: {},
  });

  it('counts a request; a suggestion is counted where it is shown, not here', () => {
    const s = new UsageStats();
    const sug = {
      kind: 'suggestion' as const,
      text: 'x',
      replaceSuffix: 0,
      raw: 'x',
      appliedRules: [],
      timings: { backend: 40, postfilter: 3 },
    };
    s.recordTrigger('b', 'go', { outcome: sug, servedBy: 'request', requestId: 1 });
    s.recordTrigger('b', 'go', { outcome: sug, servedBy: 'cache' });
    expect(s.toJSON().byBackend.b).toMatchObject({ requests: 1, shown: 0 });
  });

  it('records why nothing showed by reason, in words a user understands; a superseded trigger or a switched-off one is not a reason', () => {
    const s = new UsageStats();
    s.recordTrigger('b', 'go', { outcome: rej('postfilter', 'suffix-duplicate'), servedBy: 'request', requestId: 2 });
    s.recordTrigger('b', 'go', { outcome: rej('backend', 'unreachable'), servedBy: 'request', requestId: 3 });
    s.recordTrigger('b', 'go', { outcome: rej('schedule', 'cancelled'), servedBy: 'request' });
    for (let i = 0; i < 6; i++)
      s.recordTrigger('b', 'go', { outcome: rej('cache', 'line-complete'), servedBy: 'cache' });
    s.recordNothingShown('b', 'go', 'disabled');
    const c = s.toJSON().byLanguage.go;
    expect(c.nothingShown).toEqual({ 'suffix-duplicate': 1, unreachable: 1, 'line-complete': 6 });
    expect(c.superseded).toBe(1);
    expect(c.requests).toBe(2);
    const md = s.toMarkdown();
    expect(md).toMatch(/\| the line is already complete \| 6 \|/);
    expect(md).toMatch(/the line is already complete ×6/);
    expect(md).not.toMatch(/line-complete|suffix-duplicate|cache\/|postfilter\//);
  });

  it('a full accept after a partial one moves the suggestion from partial to full', () => {
    const s = new UsageStats();
    s.recordShown('b', 'l');
    s.recordAccepted('b', 'l', 'partial', 5);
    s.recordAccepted('b', 'l', 'none', 3);
    s.recordAccepted('b', 'l', 'partial-to-full', 4);
    expect(s.toJSON().byBackend.b).toMatchObject({ shown: 1, acceptedFull: 1, acceptedPartial: 0, acceptedChars: 12 });
  });
});

describe('next-edit statistics', () => {
  it('counts next edits shown, accepted and dismissed per edit-model profile and says so in the report', () => {
    const s = new UsageStats(undefined, () => 0);
    s.recordNextEdit('zeta', 'python', 'shown');
    s.recordNextEdit('zeta', 'python', 'shown');
    s.recordNextEdit('zeta', 'python', 'accepted');
    s.recordNextEdit('zeta', 'python', 'dismissed');
    expect(s.totals().nextEdits).toEqual({ shown: 2, accepted: 1, dismissed: 1 });
    expect(s.toMarkdown()).toContain('Next edits: **2** shown · **1** accepted (Tab) · **1** dismissed (Esc)');
    expect(new UsageStats(s.toJSON()).totals().nextEdits).toEqual({ shown: 2, accepted: 1, dismissed: 1 });
  });
});
