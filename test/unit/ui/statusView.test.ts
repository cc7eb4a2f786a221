import { describe, expect, it } from 'vitest';
import { StatusModel, statusView } from '../../../src/core/statusView';

const at = (ms: number) => `t${ms}`;

describe('the status bar item', () => {
  it('differs when the last request showed something and when it did not', () => {
    const shown = statusView({ kind: 'idle' }, { shown: true, latencyMs: 263 }, 'local', at);
    const none = statusView(
      { kind: 'idle' },
      { shown: false, reason: 'unreachable', detail: 'connect ECONNREFUSED' },
      'local',
      at,
    );
    expect(shown.text).toBe('$(sparkle) Tessera 263 ms');
    expect(none.text).toBe('$(sparkle) Tessera: no suggestion');
    expect(none.tooltip).toContain('Last: no suggestion — the backend is not reachable (connect ECONNREFUSED)');
    expect(shown.tooltip).not.toContain('Last:');
    expect(shown.tooltip).toContain('last suggestion in 263 ms');
  });

  it("the user's own switch (manual mode) is not a missing suggestion", () => {
    const v = statusView(
      { kind: 'idle' },
      { shown: false, reason: 'manual-only', detail: 'press Alt+\\ to ask' },
      'local',
      at,
    );
    expect(v.text).toBe('$(sparkle) Tessera');
    expect(v.tooltip).toContain('Last: no suggestion — automatic suggestions are off');
  });

  it('says how to resume a snooze', () => {
    const v = statusView({ kind: 'snoozed', until: 5 }, undefined, 'local', at);
    expect(v.text).toBe('$(clock) Tessera');
    expect(v.tooltip).toMatch(/snoozed until t5\n.*Resume now.*Tessera: Resume Suggestions/);
    expect(v.ariaLabel).toMatch(/^Tessera snoozed\./);
  });

  it('an error is drawn as a warning and keeps the old explanation out', () => {
    const v = statusView(
      { kind: 'error', detail: 'connect ECONNREFUSED' },
      { shown: false, reason: 'unreachable' },
      'local',
      at,
    );
    expect(v).toMatchObject({ text: '$(warning) Tessera', warning: true });
    expect(v.tooltip).not.toContain('Last:');
  });
});

describe('switching backend', () => {
  it("starts without the old backend's latency and last result", () => {
    const m = new StatusModel();
    m.setBackend('slow');
    m.last = { shown: true, latencyMs: 2630 };
    expect(m.view(at).text).toBe('$(sparkle) Tessera 2630 ms');
    m.setBackend('slow'); // the same backend again (settings re-read): nothing is lost
    expect(m.view(at).text).toBe('$(sparkle) Tessera 2630 ms');
    m.setBackend('fast');
    expect(m.view(at).text).toBe('$(sparkle) Tessera');
    expect(m.view(at).tooltip).not.toMatch(/2630/);
  });
});
