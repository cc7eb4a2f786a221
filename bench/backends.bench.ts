/**
 * Client-side cost of each backend adapter over loopback (the fakes of test/contract): time to first chunk and
 * to the end of a 64-chunk stream, per kind; plus the stop-cutter's throughput. Numbers only.
 */
import { createBackend, type CompletionRequest } from '../src/core/backends';
import { parseProfile } from '../src/core/config';
import { StopCutter } from '../src/core/prompt/stops';
import { clientStops } from '../src/core/prompt/templates';
import { API_KEY, KINDS, startFake } from '../test/contract/fakes';
import { pct } from './stats';

const N = Number(process.env.BENCH_N ?? 150);
const request: CompletionRequest = {
  prefix: 'def add(a, b):\n    '.repeat(50),
  suffix: '\n\nprint(add(1, 2))\n'.repeat(20),
  language: 'python',
  maxTokens: 64,
  temperature: 0.2,
  stop: ['\n\n'],
  multiline: true,
};

const f = (x: number) => x.toFixed(2);

async function main() {
  console.log(`backend adapters over loopback, ${N} requests each, 64 streamed chunks per answer (ms)`);
  console.log('kind       first-chunk p50  p95    total p50  p95');
  for (const kind of KINDS) {
    const fake = await startFake(
      kind,
      Array.from({ length: 64 }, (_, i) => `t${i} `),
    );
    const backend = createBackend(
      parseProfile(fake.profile({ fimTemplate: kind === 'ollama' ? 'native' : 'auto' })),
      async () => API_KEY,
    );
    const first: number[] = [];
    const total: number[] = [];
    for (let i = 0; i < N + 10; i++) {
      const t0 = performance.now();
      let t1 = 0;
      for await (const _ of backend.complete(request, new AbortController().signal)) if (!t1) t1 = performance.now();
      const t2 = performance.now();
      if (i >= 10) {
        first.push(t1 - t0);
        total.push(t2 - t0);
      }
    }
    console.log(
      `${kind.padEnd(10)} ${f(pct(first, 50)).padStart(15)} ${f(pct(first, 95)).padStart(6)} ${f(pct(total, 50)).padStart(10)} ${f(pct(total, 95)).padStart(6)}`,
    );
    await fake.close();
  }

  // Stop cutting: 1 MB of code-like text in 4-character chunks against the full client stop list.
  const stops = clientStops('qwen', ['\n\n\n']);
  const text = 'const value = compute(a, b) + other < limit;\n'.repeat(24_000);
  const runs: number[] = [];
  for (let r = 0; r < 7; r++) {
    const c = new StopCutter(stops);
    const t0 = performance.now();
    for (let i = 0; i < text.length; i += 4) c.push(text.slice(i, i + 4));
    c.flush();
    runs.push(performance.now() - t0);
  }
  const mb = text.length / 1024 / 1024;
  console.log(
    `\nStopCutter: ${stops.length} stops, ${mb.toFixed(2)} MB in 4-char chunks: median ${f(pct(runs, 50))} ms (${f(mb / (pct(runs, 50) / 1000))} MB/s)`,
  );
}

void main();
