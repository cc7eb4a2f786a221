/**
 * Embedded backend timings with node-llama-cpp in its forked child: load, first token (cold and after a
 * one-character edit, i.e. with the KV cache reused), prefill and generation speed, cancel latency during
 * prefill and generation, crash respawn. Models: GGUF fixtures of growing size written here (random weights),
 * plus a real model when TESSERA_BENCH_MODEL=/path/to/model.gguf is set. Numbers only, no pass/fail.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { EmbeddedBackend } from '../src/core/backends/embedded';
import type { CompletionRequest } from '../src/core/backends/types';
import { parseProfile } from '../src/core/config';
const { writeTinyGguf } =
  require('../test/fixtures/gguf/tiny-gguf.cjs') as typeof import('../test/fixtures/gguf/tiny-gguf.cjs');

const WORKER = path.resolve('dist/embedded-worker.mjs');
const CODE =
  'def area(width, height):\n    return width * height\n\n\nclass Shape:\n    def __init__(self, name):\n        self.name = name\n';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const f1 = (x: number) => x.toFixed(1);

function req(prefix: string, suffix: string, maxTokens: number): CompletionRequest {
  return { prefix, suffix, language: 'python', maxTokens, temperature: 0, stop: [], multiline: true };
}

async function drain(
  b: EmbeddedBackend,
  r: CompletionRequest,
  signal = new AbortController().signal,
): Promise<{ text: string; firstMs: number; ms: number }> {
  const t0 = performance.now();
  let first = -1;
  let text = '';
  for await (const c of b.complete(r, signal)) {
    if (first < 0) first = performance.now() - t0;
    text += c;
  }
  return { text, firstMs: first < 0 ? performance.now() - t0 : first, ms: performance.now() - t0 };
}

async function benchModel(label: string, modelPath: string, bytes: number): Promise<void> {
  const threads = Math.max(1, availableParallelism() - 1);
  const b = new EmbeddedBackend(
    parseProfile({
      name: label,
      kind: 'embedded',
      modelPath,
      threads,
      contextSize: 8192,
      timeoutMs: 120_000,
      temperature: 0,
    }),
    {
      workerPath: WORKER,
    },
  );
  try {
    const t0 = performance.now();
    const probe = await b.probe();
    if (probe.error) throw new Error(probe.error.message);
    const loadMs = performance.now() - t0;
    const t = b.info!.timings;
    console.log(`\n[${label}] ${(bytes / 1e6).toFixed(1)} MB, ${threads} thread(s)`);
    console.log(
      `  load: ${f1(loadMs)} ms total (import ${t.importMs}, getLlama ${t.llamaMs}, model ${t.modelMs}, context ${t.contextMs}; rest = fork + GGUF check)`,
    );

    const prefix = CODE.repeat(40); // ~4k tokens of prompt
    const cold: number[] = [];
    const warm: number[] = [];
    const prefill: number[] = [];
    const gen: number[] = [];
    for (let i = 0; i < 3; i++) {
      const p = `# variant ${i}\n${prefix}`; // a different first line: nothing to reuse
      const c = await drain(b, req(p, '\n', 1));
      cold.push(c.firstMs);
      const s = b.lastStats!;
      prefill.push((s.evaluatedTokens / s.prefillMs) * 1000);
      const w = await drain(b, req(`${p}x`, '\n', 1)); // one more character typed
      warm.push(w.firstMs);
      await drain(b, req(`${p}xy`, '\n', 128));
      const gs = b.lastStats!;
      if (gs.generatedTokens > 1) gen.push((gs.generatedTokens / gs.generationMs) * 1000);
    }
    const promptTokens = b.lastStats!.promptTokens;
    console.log(`  prompt ${promptTokens} tokens`);
    console.log(`  first token, cold prompt:          median ${f1(median(cold))} ms, p95 ${f1(p95(cold))} ms`);
    console.log(
      `  first token, after a 1-char edit:  median ${f1(median(warm))} ms, p95 ${f1(p95(warm))} ms (${f1(median(cold) / median(warm))}× faster: KV cache reused)`,
    );
    console.log(
      `  prefill: median ${Math.round(median(prefill))} tokens/s; generation: median ${gen.length ? Math.round(median(gen)) : 'n/a'} tokens/s`,
    );

    // Cancel during prefill: start a cold long prompt, abort after 150 ms, time until the child stopped.
    const prefillCancel: number[] = [];
    const genCancel: number[] = [];
    for (let i = 0; i < 3; i++) {
      const ctrl = new AbortController();
      const run = drain(b, req(`# cancel ${i}\n${CODE.repeat(100)}`, '', 4), ctrl.signal).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 150));
      const ta = performance.now();
      ctrl.abort();
      await run;
      await b.idle();
      if (b.lastStats?.stoppedBy === 'abort') prefillCancel.push(performance.now() - ta);

      const ctrl2 = new AbortController();
      const run2 = drain(b, req(`# gen ${i}\n`, '', 4000), ctrl2.signal).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
      const tb = performance.now();
      ctrl2.abort();
      await run2;
      await b.idle();
      if (b.lastStats?.stoppedBy === 'abort') genCancel.push(performance.now() - tb);
    }
    if (prefillCancel.length)
      console.log(
        `  cancel during prefill: child stopped in median ${f1(median(prefillCancel))} ms, p95 ${f1(p95(prefillCancel))} ms (n=${prefillCancel.length})`,
      );
    else console.log('  cancel during prefill: prefill finished before 150 ms (model too fast to measure)');
    if (genCancel.length)
      console.log(
        `  cancel during generation: child stopped in median ${f1(median(genCancel))} ms, p95 ${f1(p95(genCancel))} ms (n=${genCancel.length})`,
      );

    // Crash and respawn: kill the child, time the next request (fork + load + prompt).
    process.kill(b.pid!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 50));
    const tr = performance.now();
    await drain(b, req('def f():\n    ', '', 1));
    console.log(`  respawn after a crash: next answer in ${f1(performance.now() - tr)} ms`);
  } finally {
    await b.dispose();
  }
}

/** One model's numbers; a model too slow for this machine (a request past its timeout) is reported, and the next one measured. */
async function benchModelOrSay(label: string, modelPath: string, bytes: number): Promise<void> {
  try {
    await benchModel(label, modelPath, bytes);
  } catch (err) {
    console.log(`  [${label}] stopped: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tessera-bench-embedded-'));
  try {
    const fixtures: [string, Parameters<typeof writeTinyGguf>[1]][] = [
      ['fixture 64×2 (0.5 MB)', {}],
      ['fixture 256×4', { embd: 256, layers: 4, ff: 768, ctx: 8192 }],
      ['fixture 512×8', { embd: 512, layers: 8, ff: 1536, ctx: 8192 }],
    ];
    for (const [label, opts] of fixtures) {
      const info = writeTinyGguf(path.join(dir, `${label.replace(/\W+/g, '_')}.gguf`), opts);
      await benchModelOrSay(label, info.path, info.bytes);
    }
    const real = process.env.TESSERA_BENCH_MODEL;
    if (real) {
      const { statSync } = await import('node:fs');
      await benchModelOrSay(path.basename(real), real, statSync(real).size);
    } else {
      console.log('\n(set TESSERA_BENCH_MODEL=/path/to/model.gguf to time a real model too)');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
