/**
 * A failing server is not hammered: the shell gates requests with BackendHealth (as the controller does) over
 * real backend failures, honours 429 Retry-After, and recovers on the first request once the server is back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BackendError, createBackend, type CompletionRequest } from '../../src/core/backends';
import { parseProfile } from '../../src/core/config';
import { BackendHealth } from '../../src/core/scheduling/backoff';
import { collect } from '../helpers/loopback';
import { startFake, type Fake } from './fakes';

const request: CompletionRequest = {
  prefix: 'x = ',
  suffix: '',
  language: 'python',
  maxTokens: 16,
  temperature: 0,
  stop: [],
  multiline: false,
};

let fake: Fake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** One keystroke as the controller handles it: gate on health, request, record the outcome. */
async function keystroke(health: BackendHealth, backend: ReturnType<typeof createBackend>, now: number) {
  if (health.pausedFor(now) > 0) return 'skipped';
  try {
    await collect(backend.complete(request, new AbortController().signal));
    return health.recordSuccess() ? 'recovered' : 'ok';
  } catch (e) {
    const err = e as BackendError;
    const rec = health.recordFailure(err.errorKind, err.message, now, err.retryAfterMs);
    return rec.newEpisode ? 'notify' : 'failed';
  }
}

describe('backoff over real failures', () => {
  it('100 keystrokes over 10 s against a 500ing server reach it only a handful of times; one notification', async () => {
    fake = await startFake('ollama');
    fake.fault = '500';
    const backend = createBackend(parseProfile(fake.profile({ fimTemplate: 'native' })));
    const health = new BackendHealth();
    const results: string[] = [];
    for (let i = 0; i < 100; i++) results.push(await keystroke(health, backend, 1_000_000 + i * 100));
    expect(results.filter((r) => r === 'notify')).toHaveLength(1);
    // 1 s, 2 s, 4 s, 8 s pauses: requests at t=0, 1, 3, 7 s.
    expect(fake.completions().length).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r === 'skipped').length).toBeGreaterThan(90);

    fake.fault = 'none';
    let t = 1_000_000 + 100 * 100;
    let r = await keystroke(health, backend, t);
    while (r === 'skipped') r = await keystroke(health, backend, (t += 500));
    expect(r).toBe('recovered');
    expect(await keystroke(health, backend, t + 1)).toBe('ok');
  });

  it('429 Retry-After: 7 pauses requests for 7 s even though the first backoff step is 1 s', async () => {
    fake = await startFake('llamacpp');
    fake.fault = '429';
    const backend = createBackend(parseProfile(fake.profile()));
    const health = new BackendHealth();
    expect(await keystroke(health, backend, 0)).toBe('notify');
    expect(health.pausedFor(0)).toBe(7000);
    expect(await keystroke(health, backend, 6_900)).toBe('skipped');
    fake.fault = 'none';
    expect(await keystroke(health, backend, 7_000)).toBe('recovered');
    expect(fake.completions()).toHaveLength(2);
  });
});
