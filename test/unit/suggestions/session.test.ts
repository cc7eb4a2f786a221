/**
 * A replayed editing session through the real scheduler (cache, typed-ahead, continuations of an answer served
 * from the cache), the real post-filter and the statistics' bookkeeping, with an editor that behaves as VS Code
 * does: it asks again after every change, shows what it gets, and runs an item's command on Tab.
 */
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../../../src/core/config';
import { sleep, VirtualClock } from '../../../src/core/scheduling/clock';
import type { PipelineRunner } from '../../../src/core/scheduling/flights';
import { RequestManager } from '../../../src/core/scheduling/manager';
import { filterPartial } from '../../../src/core/scheduling/partial';
import { UsageStats } from '../../../src/core/suggestions/stats';
import { SuggestionTracker } from '../../../src/core/suggestions/tracker';
import type { ShownItem } from '../../../src/core/suggestions/acceptance';
import { reject } from '../../../src/core/types';

/** A model that knows the whole file: it answers with what follows the prefix, post-filtered to one unit. */
function knowing(clock: VirtualClock, full: string, language: string): PipelineRunner {
  return async (snapshot, shape, onChunk, signal) => {
    const prefix = snapshot.text.slice(0, snapshot.offset);
    if (!full.startsWith(prefix)) return { ...reject('backend', 'empty', 'nothing'), timings: {} };
    let raw = full.slice(prefix.length);
    if (!shape.multiline) raw = raw.slice(0, Math.max(raw.indexOf('\n'), 0) || raw.length);
    await sleep(clock, 100, signal);
    if (signal.aborted) return { ...reject('schedule', 'cancelled', 'x'), timings: {} };
    onChunk(raw);
    const r = await filterPartial(language, prefix, snapshot.text.slice(snapshot.offset), raw);
    if (!r) return { ...reject('postfilter', 'parse-error', 'x'), timings: {} };
    return {
      kind: 'suggestion',
      text: r.text,
      replaceSuffix: 0,
      raw,
      appliedRules: r.appliedRules,
      timings: { backend: 100 },
    };
  };
}

/** One editor on one document, with one backend. */
function editor(opts: { backend: string; language: string; full: string; start: string; tracker: SuggestionTracker }) {
  const clock = new VirtualClock();
  const profile = parseProfile({ name: opts.backend, kind: 'openai', baseUrl: 'http://127.0.0.1:8012/v1', model: 'm' });
  const mgr = new RequestManager({
    clock,
    run: knowing(clock, opts.full, opts.language),
    profile,
    local: true,
    debounceMs: 75,
    postfilter: filterPartial,
    speculate: false,
    prefetch: true,
  });
  const uri = `file:///session.${opts.language}`;
  let text = opts.start;
  let ghost: ShownItem[] = [];
  const ed = {
    get ghost() {
      return ghost[0]?.text ?? '';
    },
    /** VS Code asks for a suggestion at the cursor (the end of the text) and shows the items it gets. */
    async ask(manual = false) {
      const p = mgr.complete(
        { uri, languageId: opts.language, text, offset: text.length },
        { signal: new AbortController().signal, manual },
      );
      await clock.advanceBy(1000);
      for (let i = 0; i < 100 && mgr.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 30)); // continuations are post-filtered after the answer
      const s = await p;
      opts.tracker.scheduled(opts.backend, opts.language, s);
      ghost =
        s.outcome.kind === 'suggestion'
          ? opts.tracker.show(uri, text.length, opts.language, opts.backend, s.outcome, { manual, scheduled: s })
          : [];
    },
    async insert(inserted: string) {
      const offset = text.length;
      text += inserted;
      opts.tracker.changed(uri, [{ offset, removed: 0, text: inserted }]);
      ghost = [];
      await ed.ask();
    },
    /** Typing, key by key. */
    async type(keys: string) {
      for (const k of keys) await ed.insert(k);
    },
    /** Accept next word (VS Code inserts up to the end of the next word). */
    async acceptWord() {
      const word = /^\s*[^\s]+/.exec(ghost[0].text)![0];
      await ed.insert(word);
    },
    /** Tab: VS Code inserts the item, then runs its command. */
    async tab() {
      const item = ghost[0];
      const offset = text.length;
      text += item.text;
      opts.tracker.changed(uri, [{ offset, removed: 0, text: item.text }]);
      opts.tracker.accepted(item.id);
      ghost = [];
      await ed.ask();
    },
    get text() {
      return text;
    },
  };
  return ed;
}

describe('statistics of a replayed session', () => {
  it('count each shown suggestion once: acceptance never exceeds 100% per backend and per language', async () => {
    const stats = new UsageStats();
    const tracker = new SuggestionTracker(stats);

    // Python on "local": a suggestion taken a word then the rest after typing into it, re-asked with Alt+\ on the
    // way, then the next line served from the same answer (a continuation from the cache), accepted with Tab.
    const PY = 'def area(w, h):\n    x = w * h\n    y = x + 1\n    return x + y';
    const py = editor({
      backend: 'local',
      language: 'python',
      full: PY,
      start: 'def area(w, h):\n    x = w * h',
      tracker,
    });
    await py.ask();
    expect(py.ghost).toBe('\n    y = x + 1');
    await py.ask(true); // Alt+\ on the same spot: the same suggestion, asked again
    await py.type('\n    y');
    expect(py.ghost).toBe(' = x + 1');
    await py.acceptWord();
    expect(py.ghost).toBe(' x + 1');
    await py.tab();
    expect(py.text).toBe('def area(w, h):\n    x = w * h\n    y = x + 1');
    expect(py.ghost).toBe('\n    return x + y'); // the continuation, without a request
    await py.tab();
    expect(py.text).toBe(PY);

    // JavaScript on "remote": a suggestion typed through (not an accept; after Enter it shows more lines of the
    // same answer: still the same suggestion), its last lines partly accepted, then the user types something else.
    const JS = 'function area(w, h) {\n  const x = w * h;\n  const y = x + 1;\n  return x + y;\n}';
    const js = editor({
      backend: 'remote',
      language: 'javascript',
      full: JS,
      start: 'function area(w, h) {\n  const x = w * h;',
      tracker,
    });
    await js.ask();
    expect(js.ghost).toBe('\n  const y = x + 1;');
    await js.type('\n');
    expect(js.ghost).toBe('  const y = x + 1;\n  return x + y;\n}');
    await js.type('  const y = x + 1;');
    expect(js.ghost).toBe('\n  return x + y;\n}');
    await js.acceptWord();
    expect(js.ghost).toBe(' x + y;\n}');
    await js.type('(');

    const d = stats.toJSON();
    for (const c of [...Object.values(d.byBackend), ...Object.values(d.byLanguage)]) {
      expect(c.acceptedFull + c.acceptedPartial).toBeLessThanOrEqual(c.shown);
    }
    expect(d.byBackend.local).toMatchObject({ shown: 2, acceptedFull: 2, acceptedPartial: 0 });
    expect(d.byLanguage.python).toMatchObject({ shown: 2, acceptedFull: 2, acceptedPartial: 0 });
    expect(d.byBackend.remote).toMatchObject({ shown: 1, acceptedFull: 0, acceptedPartial: 1 });
    expect(d.byLanguage.javascript).toMatchObject({ shown: 1, acceptedFull: 0, acceptedPartial: 1 });
    const md = stats.toMarkdown();
    expect(md).toMatch(/\*\*3\*\* suggestions shown · \*\*2\*\* accepted · \*\*1\*\* partly accepted/);
    expect(md).toMatch(/acceptance \*\*100%\*\*/);
  });
});
