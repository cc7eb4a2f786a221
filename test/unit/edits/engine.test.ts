import { describe, expect, it } from 'vitest';
import { BackendError, joinPrompt, type Backend, type CompletionRequest } from '../../../src/core/backends/types';
import { parseProfile } from '../../../src/core/config';
import { applyEdits } from '../../../src/core/edits/diff';
import { predictNextEdit } from '../../../src/core/edits/engine';
import { EditHistory } from '../../../src/core/edits/history';
import type { DocumentSnapshot } from '../../../src/core/types';

/** A backend that answers with a fixed text and records what it was asked (the unit under test is the engine). */
function scripted(answer: string | Error) {
  const requests: CompletionRequest[] = [];
  const backend: Backend = {
    profile: parseProfile({ name: 'zeta', kind: 'llamacpp', baseUrl: 'http://127.0.0.1:9', editFormat: 'zeta' }),
    async *complete(req) {
      requests.push(req);
      if (answer instanceof Error) throw answer;
      yield answer.slice(0, 7);
      yield answer.slice(7);
      return 'stop' as const;
    },
    async probe() {
      return { reachable: true, models: [], latencyMs: 0 };
    },
  };
  return { backend, requests };
}

const URI = 'file:///w/shop.py';
const BEFORE = [
  'def price(items):',
  '    count = 0',
  '    for i in items:',
  '        count += i.price',
  '    return count',
  '',
].join('\n');
/** The user renamed `count` on line 2. */
const AFTER = BEFORE.replace('count = 0', 'total = 0');
const RENAMED = BEFORE.replaceAll('count', 'total');

function setup(answerFor: (region: string) => string | Error) {
  const history = new EditHistory();
  history.open(URI, 'src/shop.py', BEFORE);
  const at = BEFORE.indexOf('count');
  history.record(URI, [{ offset: at, length: 5, text: 'total' }], 0);
  const snapshot: DocumentSnapshot = {
    uri: URI,
    languageId: 'python',
    text: AFTER,
    offset: AFTER.indexOf('total') + 5,
  };
  // The editable region is the whole (short) file here.
  const { backend, requests } = scripted(answerFor(AFTER));
  const deps = { backend, profile: backend.profile, history, path: 'src/shop.py' };
  return { snapshot, deps, requests, history };
}

describe('next-edit engine', () => {
  it('turns the rewritten region into the rest of a rename, asking with the Zeta prompt and its stops', async () => {
    const { snapshot, deps, requests } = setup(() => RENAMED);
    const out = await predictNextEdit(snapshot, deps, new AbortController().signal);
    expect(out.kind).toBe('next-edit');
    if (out.kind !== 'next-edit') return;
    expect(out.edits.map((e) => [AFTER.slice(e.start, e.end), e.text])).toEqual([
      ['count', 'total'],
      ['count', 'total'],
    ]);
    expect(applyEdits(AFTER, out.edits)).toBe(RENAMED);
    expect(out.atCursor).toBeUndefined();
    const prompt = joinPrompt(requests[0].prompt!);
    expect(prompt).toContain('<|file_sep|>edit history\n--- a/src/shop.py\n+++ b/src/shop.py\n');
    expect(prompt).toContain('-    count = 0\n+    total = 0\n');
    expect(prompt).toContain('    total<|user_cursor|> = 0\n');
    expect(prompt.endsWith('<|fim_middle|>updated\n')).toBe(true);
    expect(requests[0].stop).toContain('<|file_sep|>');
  });

  it('an answer that only undoes the last edit is dropped', async () => {
    const { snapshot, deps } = setup(() => BEFORE);
    const out = await predictNextEdit(snapshot, deps, new AbortController().signal);
    expect(out.kind === 'rejection' && out.reason).toBe('undoes-last-edit');
  });

  it('an answer that adds a parse error is dropped (tree-sitter judge)', async () => {
    const { snapshot, deps } = setup(() => RENAMED.replace('total += i.price', 'total += (i.price'));
    const out = await predictNextEdit(snapshot, deps, new AbortController().signal);
    expect(out.kind === 'rejection' && out.reason).toBe('parse-error');
  });

  it('an unchanged region is "no change"; an empty answer "empty"; a backend failure keeps its kind', async () => {
    for (const [answer, reason] of [
      [AFTER, 'no-change'],
      ['', 'empty'],
      [new BackendError('unreachable', 'connection refused'), 'unreachable'],
    ] as const) {
      const { snapshot, deps } = setup(() => answer);
      const out = await predictNextEdit(snapshot, deps, new AbortController().signal);
      expect(out.kind === 'rejection' && out.reason).toBe(reason);
    }
  });

  it('text added at the cursor only is marked for ghost text', async () => {
    const { snapshot, deps } = setup(() => AFTER.replace('total = 0', 'total = 0.0'));
    const out = await predictNextEdit(snapshot, deps, new AbortController().signal);
    expect(out.kind === 'next-edit' && out.atCursor).toBe(undefined); // not at the cursor: after " = 0"
    const atCursor = setup(() => AFTER.replace('total = 0', 'total_price = 0'));
    const out2 = await predictNextEdit(atCursor.snapshot, atCursor.deps, new AbortController().signal);
    expect(out2.kind === 'next-edit' && out2.atCursor).toBe('_price');
  });

  it('edits of files that may not be sent stay out of the prompt', async () => {
    const { snapshot, deps, requests, history } = setup(() => RENAMED);
    history.open('file:///w/.env', '.env', 'KEY=1\n');
    history.record('file:///w/.env', [{ offset: 4, length: 1, text: 'secret-value' }], 10);
    await predictNextEdit(snapshot, { ...deps, allowed: (p) => p !== '.env' }, new AbortController().signal);
    expect(joinPrompt(requests[0].prompt!)).not.toContain('secret-value');
    expect(joinPrompt(requests[0].prompt!)).not.toContain('.env');
  });
});

describe('related files in the prompt', () => {
  it('another file the user just edited comes first, as an excerpt around that edit ("..." when it stops before the end)', async () => {
    const { snapshot, deps, requests, history } = setup(() => RENAMED);
    const other = Array.from({ length: 40 }, (_, i) => `line_${i} = ${i}`).join('\n') + '\n';
    history.open('file:///w/cart.py', 'src/cart.py', other);
    history.record('file:///w/cart.py', [{ offset: other.indexOf('line_20'), length: 7, text: 'basket' }], 5);
    await predictNextEdit(snapshot, deps, new AbortController().signal);
    const prompt = joinPrompt(requests[0].prompt!);
    const excerpt = Array.from({ length: 17 }, (_, i) =>
      i + 12 === 20 ? 'basket = 20' : `line_${i + 12} = ${i + 12}`,
    ).join('\n');
    expect(prompt.startsWith(`<|file_sep|>src/cart.py\n${excerpt}\n...\n<|file_sep|>edit history\n`)).toBe(true);
    // Its edit is in the history too, after the rename (oldest first).
    expect(prompt.indexOf('--- a/src/shop.py')).toBeLessThan(prompt.indexOf('--- a/src/cart.py'));
  });
});
