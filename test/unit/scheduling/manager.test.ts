import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/scheduling/clock';
import { RequestManager, type ScheduledOutcome } from '../../../src/core/scheduling/manager';
import { doc, fakeRunner, profile } from './helpers';
import { sleep } from '../../../src/core/scheduling/clock';
import { filterPartial } from '../../../src/core/scheduling/partial';
import type { PipelineRunner } from '../../../src/core/scheduling/flights';

/** The final text the fake model "knows": it always answers with the rest of the current line of FINAL. */
const FINAL = 'def area(width, height):\n    return width * height\n    # done\n';
const restOfLine = (prefix: string, shape?: { multiline: boolean }) => {
  if (!FINAL.startsWith(prefix)) return 'zzz_wrong';
  const rest = FINAL.slice(prefix.length);
  const nl = rest.indexOf('\n');
  // Asked for several lines at the very end of a line, the model goes on with the next line.
  if (nl === 0 && shape?.multiline) {
    const next = rest.indexOf('\n', 1);
    return next < 0 ? rest : rest.slice(0, next);
  }
  return nl < 0 ? rest : rest.slice(0, nl);
};

function setup(
  opts: { latency?: number; perChunk?: number; debounceMs?: number; prefetch?: boolean; speculate?: boolean } = {},
) {
  const clock = new VirtualClock();
  const fake = fakeRunner(clock, restOfLine, { latency: opts.latency ?? 100, perChunk: opts.perChunk ?? 10 });
  // Request counts below are exact: speculation only where a test asks for it (or for prefetch, which implies it).
  const speculate = opts.speculate ?? opts.prefetch ?? false;
  const mgr = new RequestManager({
    clock,
    run: fake.run,
    profile,
    local: true,
    debounceMs: opts.debounceMs ?? 75,
    prefetch: opts.prefetch,
    speculate,
  });
  /** Starts a trigger like VS Code does; the previous trigger's token is cancelled first. */
  let prev: AbortController | undefined;
  const trigger = (marked: string, manual = false) => {
    prev?.abort();
    const ctrl = new AbortController();
    prev = ctrl;
    const result: { value?: ScheduledOutcome } = {};
    const p = mgr.complete(doc(marked), { signal: ctrl.signal, manual }).then((r) => (result.value = r));
    return { result, p, ctrl };
  };
  return { clock, fake, mgr, trigger };
}

const text = (r: ScheduledOutcome | undefined) => (r?.outcome.kind === 'suggestion' ? r.outcome.text : undefined);

describe('RequestManager', () => {
  it('serves typed-ahead characters from the cached suggestion without a request', async () => {
    const { clock, mgr, trigger } = setup();
    const a = trigger('def area(█');
    await clock.advanceBy(2000);
    expect(text(a.result.value)).toBe('width, height):');
    expect(mgr.stats.requests).toBe(1);

    const b = trigger('def area(wid█');
    await clock.advanceBy(0);
    expect(text(b.result.value)).toBe('th, height):');
    expect(b.result.value?.servedBy).toBe('typed-ahead');
    expect(mgr.stats.requests).toBe(1);
    expect(mgr.stats.typedAheadHits).toBe(1);
  });

  it('an exact revisit (e.g. after a backspace) is a cache hit', async () => {
    const { clock, mgr, trigger } = setup();
    trigger('def area(█');
    await clock.advanceBy(2000);
    trigger('def area(x█'); // diverges: a new request
    await clock.advanceBy(2000);
    const c = trigger('def area(█');
    await clock.advanceBy(0);
    expect(c.result.value?.servedBy).toBe('cache');
    expect(text(c.result.value)).toBe('width, height):');
    expect(mgr.stats.cacheHits).toBe(1);
  });

  it('a trigger that types ahead of an in-flight request joins it instead of sending another', async () => {
    const { clock, fake, mgr, trigger } = setup({ latency: 300 });
    trigger('def area(█');
    await clock.advanceBy(150); // debounce passed, request in flight, nothing streamed yet
    expect(mgr.stats.requests).toBe(1);
    const b = trigger('def area(w█');
    await clock.advanceBy(60);
    const c = trigger('def area(wi█');
    await clock.advanceBy(2000);
    expect(mgr.stats.requests).toBe(1);
    expect(fake.calls).toHaveLength(1);
    expect(b.result.value?.outcome.kind).toBe('rejection'); // cancelled by the editor (next keystroke)
    expect(text(c.result.value)).toBe('dth, height):');
    expect(c.result.value?.servedBy).toBe('in-flight');
    expect(mgr.stats.cancelled).toBe(0);
  });

  it('cancels at once an in-flight request whose stream contradicts what was typed', async () => {
    const { clock, fake, mgr, trigger } = setup({ latency: 100, perChunk: 50 });
    trigger('def area(█');
    await clock.advanceBy(200); // first chunk "wi" has arrived
    expect(fake.calls[0].signal.aborted).toBe(false);
    const t = clock.now();
    trigger('def area(q█');
    await clock.advanceBy(0);
    expect(fake.calls[0].signal.aborted).toBe(true);
    expect(fake.calls[0].abortedAt).toBe(t);
    expect(mgr.stats.cancelled).toBe(1);
  });

  it('cancels a request mid-stream when a later chunk contradicts what was typed', async () => {
    const { clock, fake, mgr, trigger } = setup({ latency: 300, perChunk: 50 });
    trigger('def area(█');
    await clock.advanceBy(150); // in flight, nothing streamed yet
    trigger('def area(wo█'); // "wo" vs the coming "wi"
    await clock.advanceBy(0);
    expect(fake.calls[0].signal.aborted).toBe(false); // nothing contradicts it yet
    await clock.advanceBy(300); // "wi" arrives
    expect(fake.calls[0].signal.aborted).toBe(true);
    expect(mgr.stats.cancelled).toBe(1);
  });

  it('keeps at most one request in flight for a local server', async () => {
    const { clock, fake, trigger } = setup({ latency: 400 });
    for (const m of ['def a█', 'def ar█', 'def are█', 'x█', 'y█', 'def area(█']) {
      trigger(m);
      await clock.advanceBy(120);
    }
    await clock.advanceBy(3000);
    expect(fake.maxRunning()).toBe(1);
  });

  it('debounces a fast burst into few requests', async () => {
    const { clock, mgr, trigger } = setup({ latency: 100 });
    const line = 'def area(width, height):';
    // Typing fast (40 ms per key), with a perfect model: one or two requests cover the whole line.
    for (let i = 1; i <= line.length; i++) {
      trigger(`${line.slice(0, i)}█`);
      await clock.advanceBy(40);
    }
    await clock.advanceBy(2000);
    expect(mgr.stats.requests).toBeLessThanOrEqual(2);
  });

  it('a manual trigger bypasses cache and debounce', async () => {
    const { clock, fake, mgr, trigger } = setup({ debounceMs: 300 });
    trigger('def area(█');
    await clock.advanceBy(2000);
    const t = clock.now();
    const m = trigger('def area(█', true);
    await clock.advanceBy(0);
    expect(fake.calls).toHaveLength(2);
    expect(fake.calls[1].startedAt).toBe(t);
    await clock.advanceBy(2000);
    expect(m.result.value?.servedBy).toBe('request');
    expect(mgr.stats.cacheHits).toBe(0);
  });

  it('at the end of a used-up line, prefetch asks at the line end for the lines that follow; Enter types through it', async () => {
    const { clock, fake, mgr, trigger } = setup({ prefetch: true });
    const line1 = 'def area(width, height):\n    ';
    trigger(`${line1}ret█`);
    await clock.advanceBy(1000);
    const end = trigger(`${line1}return width * height█`);
    await clock.advanceBy(0);
    expect(fake.calls).toHaveLength(2);
    // Asked at the end of the line: the model, not a guess of the editor's auto-indent, decides the next indentation.
    expect(fake.calls[1].snapshot.text).toBe(`${line1}return width * height`);
    expect(fake.calls[1].shape).toMatchObject({ multiline: true, maxTokens: 48 }); // a few lines ahead, capped
    await clock.advanceBy(1000);
    expect(text(end.result.value)).toBe('\n    # done'); // the next line, shown from the end of this one
    const next = trigger(`${line1}return width * height\n    █`);
    await clock.advanceBy(0);
    expect(next.result.value?.servedBy).toBe('typed-ahead');
    expect(text(next.result.value)).toBe('# done');
    // …and, the rest being short, what follows it is asked for ahead of the user (speculation).
    expect(mgr.stats.requests).toBe(3);
    expect(fake.calls[2].snapshot.text).toBe(`${line1}return width * height\n    # done`);
  });

  it('without prefetch the end of a used-up line sends nothing and shows nothing', async () => {
    const { clock, fake, trigger } = setup({ prefetch: false });
    trigger('def area(width, height):\n    ret█');
    await clock.advanceBy(1000);
    const end = trigger('def area(width, height):\n    return width * height█');
    await clock.advanceBy(1000);
    expect(fake.calls).toHaveLength(1);
    expect(end.result.value?.outcome).toMatchObject({ kind: 'rejection', reason: 'line-complete' });
  });

  it('with prefetch off (the paid default), typing through a suggestion near its end asks once for what follows; the pause there shows it', async () => {
    const { clock, fake, mgr, trigger } = setup({ prefetch: false, speculate: true });
    const line1 = 'def area(width, height):\n    ';
    trigger(`${line1}█`);
    await clock.advanceBy(1000);
    expect(fake.calls).toHaveLength(1);
    // Typing through `return width * height`: near its end, the position where it ends is asked for, once.
    for (const typed of ['return width * heig', 'return width * heigh']) {
      trigger(`${line1}${typed}█`);
      await clock.advanceBy(120);
    }
    expect(fake.calls).toHaveLength(2);
    expect(fake.calls[1].snapshot.text).toBe(`${line1}return width * height`);
    await clock.advanceBy(1000);
    // The user types the last character and pauses: the lines that follow show without another request.
    const end = trigger(`${line1}return width * height█`);
    await clock.advanceBy(1000);
    expect(text(end.result.value)).toBe('\n    # done');
    expect(mgr.stats.requests).toBe(2);
  });

  it('without speculation, the same typing asks nothing until the pause at the end, and then nothing (line done, prefetch off)', async () => {
    const { clock, fake, trigger } = setup({ prefetch: false, speculate: false });
    const line1 = 'def area(width, height):\n    ';
    trigger(`${line1}█`);
    await clock.advanceBy(1000);
    for (const typed of ['return width * heig', 'return width * heigh', 'return width * height']) {
      trigger(`${line1}${typed}█`);
      await clock.advanceBy(120);
    }
    await clock.advanceBy(1000);
    expect(fake.calls).toHaveLength(1);
  });

  it('a position whose answer had nothing to show is not asked again automatically; a manual trigger asks', async () => {
    const { clock, fake, trigger } = setup();
    const end = 'def area(width, height):\n    return width * height\n    # done█';
    trigger(end);
    await clock.advanceBy(1000);
    expect(fake.calls).toHaveLength(1); // the model has nothing after the end
    const again = trigger(end);
    await clock.advanceBy(1000);
    expect(fake.calls).toHaveLength(1);
    expect(again.result.value?.outcome).toMatchObject({ kind: 'rejection', reason: 'nothing-here' });
    trigger(end, true);
    await clock.advanceBy(1000);
    expect(fake.calls).toHaveLength(2);
  });

  it('after an answer with nothing usable, the same line waits for a real pause', async () => {
    const { clock, fake, trigger } = setup();
    trigger('def area(width, height):\n    return width * height\n    # done█'); // the model has nothing after the end
    await clock.advanceBy(1000);
    expect(fake.calls).toHaveLength(1);
    // Typing on at 150 ms per key: no request while keys keep coming.
    for (const m of ['  # a', '  # ab', '  # abc']) {
      trigger(`def area(width, height):\n    return width * height\n    # done${m}█`);
      await clock.advanceBy(150);
    }
    expect(fake.calls).toHaveLength(1);
    await clock.advanceBy(1000);
    expect(fake.calls).toHaveLength(2);
  });

  it('a keystroke that contradicts the suggestion on screen (a typo) waits for a real pause; Backspace gets it back', async () => {
    const { clock, fake, trigger } = setup();
    trigger('def area(█');
    await clock.advanceBy(1000);
    expect(fake.calls).toHaveLength(1);
    trigger('def area(q█'); // typo
    await clock.advanceBy(200);
    const back = trigger('def area(█'); // Backspace
    await clock.advanceBy(0);
    expect(back.result.value?.servedBy).toBe('cache');
    expect(fake.calls).toHaveLength(1);
  });

  it('typing steadily against the answers does not turn each cancelled request into a new one for the next key', async () => {
    // The model's answers disagree with what the user types (FINAL knows another line): each answer is cancelled
    // at its first chunk. The trigger of the next keystroke, already past its short debounce and waiting for the
    // only slot, must not inherit that slot at once: the line has gone quiet, a request waits for a real pause.
    const { clock, fake, trigger } = setup({ latency: 300 });
    const line = 'def volume(depth, width, height, unit):';
    for (let i = 1; i <= line.length; i++) {
      trigger(`${line.slice(0, i)}█`);
      await clock.advanceBy(i % 2 ? 150 : 200);
    }
    await clock.advanceBy(2000);
    expect(fake.calls.filter((c) => c.abortedAt !== undefined).length).toBeLessThanOrEqual(2);
    expect(fake.calls.length).toBeLessThanOrEqual(3); // the first answer, one contradicted, the pause at the end
  });

  it('a request in flight stays joinable when typing `(` made the editor auto-insert `)`', async () => {
    const { clock, fake, mgr, trigger } = setup({ latency: 400 });
    trigger('def area█');
    await clock.advanceBy(150); // in flight, nothing streamed yet
    const b = trigger('def area(█)'); // typed `(`, the editor added `)`
    await clock.advanceBy(2000);
    expect(fake.calls).toHaveLength(1);
    expect(mgr.stats.cancelled).toBe(0);
    expect(b.result.value?.servedBy).toBe('in-flight');
    expect(b.result.value?.outcome).toMatchObject({ kind: 'suggestion', text: 'width, height):', replaceSuffix: 1 });
  });

  it('an answer streamed to its token cap is served unit by unit as the user types through it, without a request', async () => {
    const clock = new VirtualClock();
    const FULL = 'def f(a):\n    x = 1\n    y = 2\n    return x + y';
    let calls = 0;
    // A model that knows FULL; the pipeline shows the first unit (post-filtered), the raw text keeps the rest.
    const run: PipelineRunner = async (snapshot, shape, onChunk, signal) => {
      calls++;
      expect(shape).toMatchObject({ multiline: true, toTokenCap: true });
      const prefix = snapshot.text.slice(0, snapshot.offset);
      const raw = FULL.slice(prefix.length);
      await sleep(clock, 100, signal);
      onChunk(raw);
      const r = await filterPartial('python', prefix, '', raw);
      return { kind: 'suggestion', text: r!.text, replaceSuffix: 0, raw, appliedRules: [], timings: {} };
    };
    const mgr = new RequestManager({
      clock,
      run,
      profile,
      local: true,
      debounceMs: 75,
      postfilter: filterPartial,
      speculate: false,
    });
    const at = async (marked: string) => {
      const p = mgr.complete(doc(marked), { signal: new AbortController().signal });
      await clock.advanceBy(500);
      for (let i = 0; i < 100 && mgr.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 50)); // the continuations are post-filtered after the answer
      return p;
    };
    const first = await at('def f(a):\n    x = 1█');
    expect(text(first)).toBe('\n    y = 2');
    const second = await at('def f(a):\n    x = 1\n    y = 2█'); // typed through the first unit
    expect(second.servedBy).toBe('cache');
    expect(text(second)).toBe('\n    return x + y');
    const third = await at('def f(a):\n    x = 1\n    y = 2\n    ret█');
    expect(third.servedBy).toBe('typed-ahead');
    expect(text(third)).toBe('urn x + y');
    expect(calls).toBe(1);
  });
});

describe('RequestManager and the editor’s auto-indent', () => {
  // After `        return x`, the editor's Enter keeps the indentation (8); the code goes on dedented (4).
  const FINAL_DEDENT = 'def f(x):\n    if x:\n        return x\n    return 0\n';
  const answer = (prefix: string, shape: { multiline: boolean }) => {
    if (!FINAL_DEDENT.startsWith(prefix)) return '';
    const rest = FINAL_DEDENT.slice(prefix.length);
    if (!shape.multiline) return rest.slice(0, Math.max(0, rest.indexOf('\n')));
    return rest.replace(/\n$/, '');
  };

  it('an answer that disagrees only with the auto-indent of the new line is kept, and served once the user dedents', async () => {
    const clock = new VirtualClock();
    const fake = fakeRunner(clock, answer, { latency: 300, perChunk: 40 });
    const mgr = new RequestManager({ clock, run: fake.run, profile, local: true, debounceMs: 75, speculate: false });
    let prev: AbortController | undefined;
    const trigger = (marked: string) => {
      prev?.abort();
      prev = new AbortController();
      const result: { value?: ScheduledOutcome } = {};
      void mgr.complete(doc(marked), { signal: prev.signal }).then((r) => (result.value = r));
      return result;
    };
    // Typing the end of the line slowly: a request at its end streams this line's end and the next lines.
    for (const m of ['def f(x):\n    if x:\n        return█', 'def f(x):\n    if x:\n        return █']) {
      trigger(m);
      await clock.advanceBy(250);
    }
    expect(fake.calls).toHaveLength(1);
    await clock.advanceBy(300); // streaming
    // Enter with the editor's auto-indent (8), then Backspace to 4, at typing speed.
    trigger('def f(x):\n    if x:\n        return x\n        █');
    await clock.advanceBy(180);
    expect(fake.calls[0].signal.aborted).toBe(false);
    const dedented = trigger('def f(x):\n    if x:\n        return x\n    █');
    await clock.advanceBy(2000);
    expect(fake.calls).toHaveLength(1);
    expect(text(dedented.value)).toBe('return 0');
  });

  it('the user who stays at the auto-indented position gets a request there at a real pause', async () => {
    const clock = new VirtualClock();
    const fake = fakeRunner(clock, answer, { latency: 100, perChunk: 10 });
    const mgr = new RequestManager({ clock, run: fake.run, profile, local: true, debounceMs: 75, speculate: false });
    void mgr.complete(doc('def f(x):\n    if x:\n        return x█'), { signal: new AbortController().signal });
    await clock.advanceBy(1000);
    expect(fake.calls).toHaveLength(1);
    const stay = mgr.complete(doc('def f(x):\n    if x:\n        return x\n        █'), {
      signal: new AbortController().signal,
    });
    await clock.advanceBy(100);
    expect(fake.calls).toHaveLength(1); // not at once: the indentation is likely to change
    await clock.advanceBy(1000);
    expect(fake.calls).toHaveLength(2);
    await stay;
  });
});
