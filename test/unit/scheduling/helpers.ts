import { VirtualClock } from '../../../src/core/scheduling/clock';
import type { PipelineRunner } from '../../../src/core/scheduling/flights';
import type { RequestShape } from '../../../src/core/scheduling/shape';
import type { DocumentSnapshot, Outcome } from '../../../src/core/types';
import { reject } from '../../../src/core/types';
import { parseProfile } from '../../../src/core/config';

export const profile = parseProfile({ name: 'local', kind: 'openai', baseUrl: 'http://127.0.0.1:8012/v1', model: 'm' });

/** A document with a █ cursor marker. */
export function doc(marked: string, uri = 'file:///a.py', languageId = 'python'): DocumentSnapshot {
  const offset = marked.indexOf('█');
  if (offset < 0) throw new Error('no █ in document');
  return { uri, languageId, text: marked.replace('█', ''), offset };
}

export interface FakeCall {
  snapshot: DocumentSnapshot;
  shape: RequestShape;
  startedAt: number;
  signal: AbortSignal;
  abortedAt?: number;
  finishedAt?: number;
}

/**
 * A runner below the manager: answers with `answer(prefix)` streamed in `chunk`-char pieces, first after
 * `latency` ms, then one piece every `perChunk` ms, on the virtual clock. Records calls and concurrency.
 */
export function fakeRunner(
  clock: VirtualClock,
  answer: (prefix: string, shape: RequestShape) => string,
  opts: { latency?: number; perChunk?: number; chunk?: number } = {},
) {
  const calls: FakeCall[] = [];
  let running = 0;
  let maxRunning = 0;
  const wait = (ms: number, signal: AbortSignal) =>
    new Promise<boolean>((resolve) => {
      if (signal.aborted) return resolve(false);
      const onAbort = () => {
        clock.clearTimeout(h);
        resolve(false);
      };
      const h = clock.setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  const run: PipelineRunner = async (snapshot, shape, onChunk, signal): Promise<Outcome> => {
    const call: FakeCall = { snapshot, shape, startedAt: clock.now(), signal };
    calls.push(call);
    running++;
    maxRunning = Math.max(maxRunning, running);
    signal.addEventListener('abort', () => (call.abortedAt = clock.now()));
    try {
      const text = answer(snapshot.text.slice(0, snapshot.offset), shape);
      if (!(await wait(opts.latency ?? 100, signal))) return { ...reject('schedule', 'cancelled', 'x'), timings: {} };
      const size = opts.chunk ?? 2;
      let raw = '';
      for (let i = 0; i < text.length; i += size) {
        if (i > 0 && !(await wait(opts.perChunk ?? 10, signal)))
          return { ...reject('schedule', 'cancelled', 'x'), timings: {} };
        raw += text.slice(i, i + size);
        onChunk(raw);
        if (signal.aborted) return { ...reject('schedule', 'cancelled', 'x'), timings: {} };
      }
      call.finishedAt = clock.now();
      if (raw.trim() === '') return { ...reject('backend', 'empty', 'no text'), timings: {} };
      return { kind: 'suggestion', text: raw, replaceSuffix: 0, raw, appliedRules: [], timings: {} };
    } finally {
      running--;
    }
  };
  return { run, calls, maxRunning: () => maxRunning };
}
