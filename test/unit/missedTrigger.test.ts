import { describe, expect, it } from 'vitest';
import { isTypingEdit, MISSED_TRIGGER_MS, MissedTriggerWatchdog } from '../../src/core/missedTrigger';
import { VirtualClock } from '../../src/core/scheduling/clock';

function setup(state: { version: number; gated?: boolean } = { version: 1 }) {
  const clock = new VirtualClock();
  const asks: number[] = [];
  const dog = new MissedTriggerWatchdog(clock, {
    unchanged: (_uri, version) => version === state.version,
    gated: () => state.gated ?? false,
    ask: (_uri, version) => asks.push(version),
  });
  return { clock, asks, dog, state };
}

describe('MissedTriggerWatchdog', () => {
  it('asks VS Code when typing is not followed by a provider call, and looks again a few times', async () => {
    const { clock, asks, dog } = setup();
    dog.typed('a', 1);
    await clock.advanceBy(MISSED_TRIGGER_MS - 1);
    expect(asks).toEqual([]);
    await clock.advanceBy(1);
    expect(asks).toEqual([1]);
    await clock.advanceBy(10 * MISSED_TRIGGER_MS);
    expect(asks).toEqual([1, 1, 1]);
  });
  it('stays quiet once the provider was called for that version', async () => {
    const { clock, asks, dog } = setup();
    dog.typed('a', 1);
    dog.providerCalled('a', 1);
    await clock.advanceBy(10 * MISSED_TRIGGER_MS);
    expect(asks).toEqual([]);
  });
  it('stops looking when the provider is called after a first ask', async () => {
    const { clock, asks, dog } = setup();
    dog.typed('a', 1);
    await clock.advanceBy(MISSED_TRIGGER_MS);
    dog.providerCalled('a', 1);
    await clock.advanceBy(10 * MISSED_TRIGGER_MS);
    expect(asks).toEqual([1]);
  });
  it('does not ask for a document that changed since, nor where Tessera shows nothing anyway', async () => {
    const s = setup();
    s.dog.typed('a', 1);
    s.state.version = 2; // another edit (not typing) moved the document on
    await s.clock.advanceBy(10 * MISSED_TRIGGER_MS);
    expect(s.asks).toEqual([]);
    const g = setup({ version: 1, gated: true });
    g.dog.typed('a', 1);
    await g.clock.advanceBy(10 * MISSED_TRIGGER_MS);
    expect(g.asks).toEqual([]);
  });
  it('watches only the latest typing edit, and nothing after dispose', async () => {
    const { clock, asks, dog, state } = setup();
    dog.typed('a', 1);
    await clock.advanceBy(MISSED_TRIGGER_MS / 2);
    state.version = 2;
    dog.typed('a', 2);
    await clock.advanceBy(MISSED_TRIGGER_MS);
    expect(asks).toEqual([2]);
    dog.dispose();
    await clock.advanceBy(10 * MISSED_TRIGGER_MS);
    expect(asks).toEqual([2]);
  });
});

describe('isTypingEdit', () => {
  it('is a key, Enter with its indentation or an auto-closed pair', () => {
    expect(isTypingEdit([{ text: 'x' }], undefined)).toBe(true);
    expect(isTypingEdit([{ text: '\n    ' }], undefined)).toBe(true);
    expect(isTypingEdit([{ text: '()' }], undefined)).toBe(true);
  });
  it('is not undo/redo, a paste, a multi-cursor edit or a deletion', () => {
    expect(isTypingEdit([{ text: 'x' }], 1)).toBe(false); // TextDocumentChangeReason.Undo
    expect(isTypingEdit([{ text: 'a pasted line\nand another' }], undefined)).toBe(false);
    expect(isTypingEdit([{ text: 'x' }, { text: 'x' }], undefined)).toBe(false);
    expect(isTypingEdit([{ text: '' }], undefined)).toBe(false);
  });
});
