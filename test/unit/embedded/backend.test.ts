/**
 * The embedded backend end to end below the editor: real node-llama-cpp in a real forked child, tiny GGUF
 * models built to behave in known ways (always "x", always end-of-text, random printable text).
 */
import { closeSync, copyFileSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedBackend } from '../../../src/core/backends/embedded';
import { readGgufInfo } from '../../../src/core/backends/embedded/gguf';
import { BackendError, type CompletionRequest } from '../../../src/core/backends/types';
import type { TinyGgufInfo } from '../../fixtures/gguf/tiny-gguf.cjs';
import { embeddedProfile, makeFixtures, type Fixtures } from './setup';
import { collectWithFinish } from '../../helpers/loopback';

let fx: Fixtures;
let xModel: TinyGgufInfo;
let x: EmbeddedBackend; // always emits "x"
let eot: EmbeddedBackend; // always emits <|endoftext|>
let big: EmbeddedBackend; // random printable text, slow enough to measure cancellation
let bigModel: TinyGgufInfo;
const backends: EmbeddedBackend[] = [];

function req(prefix: string, suffix = '', extra: Partial<CompletionRequest> = {}): CompletionRequest {
  return { prefix, suffix, language: 'python', maxTokens: 8, temperature: 0, stop: [], multiline: true, ...extra };
}

async function run(b: EmbeddedBackend, r: CompletionRequest, signal = new AbortController().signal): Promise<string> {
  let s = '';
  for await (const c of b.complete(r, signal)) s += c;
  return s;
}

function make(
  modelPath: string,
  extra: Record<string, unknown> = {},
  opts: ConstructorParameters<typeof EmbeddedBackend>[1] = {},
) {
  const b = new EmbeddedBackend(embeddedProfile(modelPath, extra), { workerPath: fx.workerPath, ...opts });
  backends.push(b);
  return b;
}

// ~4000 prompt tokens: 'def foo(a, b):\n    return a + b\n' is 13 tokens in the tiny vocabulary.
const LONG = 'def foo(a, b):\n    return a + b\n'.repeat(300);

beforeAll(async () => {
  fx = await makeFixtures();
  xModel = fx.model('always-x', { always: 'x' });
  fx.model('always-eot', { always: '<|endoftext|>' });
  bigModel = fx.model('big', { embd: 256, layers: 4, ff: 768, ctx: 8192 });
  x = make(xModel.path);
  eot = make(path.join(fx.dir, 'always-eot.gguf'));
  big = make(bigModel.path, { contextSize: 8192 });
  // Load the three models in parallel (three children).
  const probes = await Promise.all([x.probe(), eot.probe(), big.probe()]);
  for (const p of probes) expect(p.error).toBeUndefined();
}, 60_000);

afterAll(async () => {
  await Promise.all(backends.map((b) => b.dispose()));
  fx?.cleanup();
});

describe('embedded backend: wiring with tiny models', () => {
  it('uses the FIM token ids from the GGUF metadata and lays the prompt out as <PRE> prefix <SUF> suffix <MID>', async () => {
    const ids = xModel.specialIds;
    expect(x.info?.fim).toEqual({
      prefix: ids['<|fim_prefix|>'],
      suffix: ids['<|fim_suffix|>'],
      middle: ids['<|fim_middle|>'],
    });
    const meta = await readGgufInfo(xModel.path);
    expect(meta.fim?.prefix).toEqual({ id: ids['<|fim_prefix|>'], text: '<|fim_prefix|>' });
    expect(meta.fim?.source).toBe('metadata');

    await run(x, req('ab', 'cd', { maxTokens: 1 }));
    const t = x.lastStats!.promptTokenIds!;
    const byte = (ch: string) => xModel.tokens.indexOf(ch);
    expect(t).toEqual([
      ids['<|fim_prefix|>'],
      byte('a'),
      byte('b'),
      ids['<|fim_suffix|>'],
      byte('c'),
      byte('d'),
      ids['<|fim_middle|>'],
    ]);
  });

  it('never turns FIM marker text inside the code into control tokens', async () => {
    await run(x, req('s = "<|fim_middle|>"', '', { maxTokens: 1 }));
    const t = x.lastStats!.promptTokenIds!;
    const mid = xModel.specialIds['<|fim_middle|>'];
    expect(t.filter((id) => id === mid)).toHaveLength(1);
    expect(t.at(-1)).toBe(mid);
  });

  it('streams the known token up to maxTokens', async () => {
    expect(await run(x, req('def f():\n    return ', '\n', { maxTokens: 5 }))).toBe('xxxxx');
    expect(x.lastStats).toMatchObject({ generatedTokens: 5, stoppedBy: 'max-tokens' });
  });

  it('says how the answer ended: the token cap ("length"), the model\'s end of generation or a stop sequence ("stop")', async () => {
    expect(
      await collectWithFinish(
        x.complete(req('def f():\n    return ', '\n', { maxTokens: 3 }), new AbortController().signal),
      ),
    ).toEqual({ text: 'xxx', finish: 'length' });
    expect(
      await collectWithFinish(
        eot.complete(req('def f():\n    return ', '\n', { maxTokens: 3 }), new AbortController().signal),
      ),
    ).toEqual({ text: '', finish: 'stop' });
    expect(
      await collectWithFinish(
        x.complete(req('a = ', '', { maxTokens: 10, stop: ['xxx'] }), new AbortController().signal),
      ),
    ).toEqual({ text: '', finish: 'stop' });
  });

  it('returns nothing from a model that always ends', async () => {
    expect(await run(eot, req('def f():\n    return ', '\n', { maxTokens: 16 }))).toBe('');
    expect(eot.lastStats).toMatchObject({ generatedTokens: 0, stoppedBy: 'eog' });
  });

  it('cuts at a stop sequence and does not show it; releases held-back text that was not a stop', async () => {
    expect(await run(x, req('a = ', '', { maxTokens: 10, stop: ['xxxx'] }))).toBe('');
    expect(x.lastStats?.stoppedBy).toBe('stop');
    expect(x.lastStats?.generatedTokens).toBe(4);
    expect(await run(x, req('a = ', '', { maxTokens: 6, stop: ['xxy', '\n'] }))).toBe('xxxxxx');

    // A model emitting varied text: stop at a piece of what it says unstopped (greedy, so it says it again).
    const free = await run(big, req('def add(a, b):\n    ', '\n', { maxTokens: 24 }));
    expect(free.length).toBeGreaterThan(6);
    const stop = free.slice(4, 7);
    const cut = free.indexOf(stop);
    expect(await run(big, req('def add(a, b):\n    ', '\n', { maxTokens: 24, stop: [stop] }))).toBe(free.slice(0, cut));
  });

  it('reuses the evaluated prompt (KV cache) after a one-character edit', async () => {
    const prefix = LONG.slice(0, 3000);
    const suffix = '\n\nprint(foo(1, 2))\n';
    await run(big, req(prefix, suffix, { maxTokens: 2 }));
    const first = big.lastStats!;
    expect(first.evaluatedTokens).toBe(first.promptTokens - first.reusedTokens);
    await run(big, req(prefix + 'x', suffix, { maxTokens: 2 }));
    const second = big.lastStats!;
    expect(second.promptTokens).toBeGreaterThan(500);
    // Only the edited tail (the new char, the suffix marker, the suffix and <MID>) is evaluated again.
    expect(second.evaluatedTokens).toBeLessThan(30);
    expect(second.reusedTokens).toBe(second.promptTokens - second.evaluatedTokens);
    expect(second.reusedTokens).toBeGreaterThan(first.promptTokens - 30);
    expect(second.prefillMs).toBeLessThan(first.prefillMs);
  });

  it('with the start of the middle after <MID>, typing there evaluates only the typed text, not the suffix again', async () => {
    await run(x, req('ab', 'cd', { maxTokens: 1, middleChars: 1 }));
    const ids = xModel.specialIds;
    const byte = (ch: string) => xModel.tokens.indexOf(ch);
    expect(x.lastStats!.promptTokenIds).toEqual([
      ids['<|fim_prefix|>'],
      byte('a'),
      ids['<|fim_suffix|>'],
      byte('c'),
      byte('d'),
      ids['<|fim_middle|>'],
      byte('b'),
    ]);

    const prefix = LONG.slice(0, 1500);
    const suffix = LONG.slice(1500, 3000);
    const typed = (extra: string) => req(prefix + extra, suffix, { maxTokens: 2, middleChars: 40 + extra.length });
    await run(big, typed(''));
    await run(big, typed('x = 1'));
    const middleFirst = big.lastStats!;
    await run(big, req(prefix, suffix, { maxTokens: 2 }));
    await run(big, req(prefix + 'x = 1', suffix, { maxTokens: 2 }));
    const suffixLast = big.lastStats!;
    // Prefix-suffix-middle: the suffix (hundreds of tokens) is evaluated again after every keystroke.
    expect(suffixLast.evaluatedTokens).toBeGreaterThan(200);
    expect(middleFirst.evaluatedTokens).toBeLessThan(12);
  });

  it('honours a cancel during prefill within ~one chunk', async () => {
    await run(big, req('# unrelated\n', '', { maxTokens: 1 })); // a different prompt: nothing to reuse
    const ctrl = new AbortController();
    const it = big.complete(req(LONG, '', { maxTokens: 4 }), ctrl.signal)[Symbol.asyncIterator]();
    const next = it.next();
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    ctrl.abort();
    await expect(next).rejects.toMatchObject({ errorKind: 'cancelled' });
    const rejectMs = performance.now() - t0;
    await big.idle();
    const ackMs = performance.now() - t0;
    const s = big.lastStats!;
    expect(s.stoppedBy).toBe('abort');
    expect(s.evaluatedTokens).toBeLessThan(s.promptTokens - 500); // prefill really was interrupted
    console.log(
      `prefill cancel: consumer released in ${rejectMs.toFixed(1)} ms, child stopped in ${ackMs.toFixed(1)} ms after ${s.evaluatedTokens}/${s.promptTokens} tokens`,
    );
  });

  it('honours a cancel during generation within a few tokens', async () => {
    const ctrl = new AbortController();
    let got = '';
    let t0 = 0;
    const t = (async () => {
      for await (const c of big.complete(req('def f():\n', '', { maxTokens: 3000 }), ctrl.signal)) {
        got += c;
        if (got.length > 20 && t0 === 0) {
          t0 = -1;
          setTimeout(() => {
            t0 = performance.now();
            ctrl.abort();
          }, 100);
        }
      }
    })();
    await expect(t).rejects.toMatchObject({ errorKind: 'cancelled' });
    await big.idle();
    const ackMs = performance.now() - t0;
    expect(big.lastStats?.stoppedBy).toBe('abort');
    expect(big.lastStats!.generatedTokens).toBeLessThan(1000);
    console.log(
      `generation cancel: child stopped ${ackMs.toFixed(1)} ms after the abort, ${big.lastStats!.generatedTokens} tokens`,
    );
  });

  it('stops generating when the consumer stops reading early (single-line break)', async () => {
    const spawns = x.spawns;
    for await (const c of x.complete(req('a = ', '', { maxTokens: 2000 }), new AbortController().signal)) {
      expect(c).toMatch(/^x+$/);
      break;
    }
    await x.idle();
    expect(x.lastStats?.stoppedBy).toBe('abort');
    expect(await run(x, req('b = ', '', { maxTokens: 3 }))).toBe('xxx');
    expect(x.spawns).toBe(spawns); // no kill needed
  });

  it('survives a crash of the model process: the request fails clearly, the next one respawns', async () => {
    const ctrl = new AbortController();
    const spawns = big.spawns;
    const pid = big.pid!;
    const t = run(big, req('def g():\n', '', { maxTokens: 3000 }), ctrl.signal);
    await new Promise((r) => setTimeout(r, 150));
    process.kill(pid, 'SIGSEGV');
    const err = await t.then(
      () => undefined,
      (e) => e,
    );
    expect(err).toBeInstanceOf(BackendError);
    expect(err.errorKind).toBe('server-error');
    expect(err.message).toMatch(/crashed \(SIGSEGV\)/);
    expect((await run(big, req('def h():\n    ', '', { maxTokens: 3 }))).length).toBeGreaterThan(0);
    expect(big.spawns).toBe(spawns + 1);
    expect(big.pid).not.toBe(pid);
  });
});

describe('embedded backend: a child that ignores cancels', () => {
  it('is killed after hardKillMs, and the next request starts a fresh one', async () => {
    // A stand-in worker below the unit under test: loads instantly, streams forever, never honours an abort.
    const worker = path.join(path.dirname(fx.workerPath), `stubborn-${process.pid}.mjs`);
    writeFileSync(
      worker,
      `process.on('message', (m) => {
        if (m.type === 'load') process.send({ type: 'loaded', info: { modelName: 'stubborn', fim: { prefix: 0, suffix: 1, middle: 2 }, contextSize: 512, threads: 1, timings: { importMs: 0, llamaMs: 0, modelMs: 0, contextMs: 0 } } });
        if (m.type === 'complete') setInterval(() => process.send({ type: 'chunk', id: m.id, text: 'y' }), 5);
      });
      process.on('disconnect', () => process.exit(0));`,
    );
    const b = new EmbeddedBackend(embeddedProfile(xModel.path), { workerPath: worker, hardKillMs: 200 });
    backends.push(b);
    try {
      const ctrl = new AbortController();
      const pid1 = await b.probe().then(() => b.pid);
      const first = run(b, req('a'), ctrl.signal);
      await new Promise((r) => setTimeout(r, 50));
      const t0 = performance.now();
      ctrl.abort();
      await expect(first).rejects.toMatchObject({ errorKind: 'cancelled' });
      await b.idle();
      const killedMs = performance.now() - t0;
      expect(killedMs).toBeGreaterThanOrEqual(190);
      expect(b.pid).toBeUndefined();
      const ctrl2 = new AbortController();
      const it2 = b.complete(req('b'), ctrl2.signal)[Symbol.asyncIterator]();
      expect((await it2.next()).value).toBe('y');
      expect(b.spawns).toBe(2);
      expect(b.pid).not.toBe(pid1);
      ctrl2.abort();
      await it2.next().catch(() => undefined);
    } finally {
      await b.dispose();
      rmSync(worker, { force: true });
    }
  });
});

describe('embedded backend: memory when idle', () => {
  it('stops the model process after idleUnloadMs without requests and reloads on the next one', async () => {
    const b = make(xModel.path, {}, { idleUnloadMs: 300 });
    expect(await run(b, req('a', '', { maxTokens: 2 }))).toBe('xx');
    expect(b.pid).toBeDefined();
    await new Promise((r) => setTimeout(r, 600));
    expect(b.pid).toBeUndefined();
    expect(await run(b, req('a', '', { maxTokens: 2 }))).toBe('xx');
    expect(b.spawns).toBe(2);
  });
});

describe('embedded backend: bad model files', () => {
  it('rejects a truncated file with a clear message before starting a process', async () => {
    const p = path.join(fx.dir, 'truncated.gguf');
    copyFileSync(xModel.path, p);
    truncateSync(p, Math.floor(xModel.bytes * 0.6));
    const b = make(p);
    const err = await run(b, req('a')).then(
      () => undefined,
      (e) => e,
    );
    expect(err).toMatchObject({ errorKind: 'config' });
    expect(err.message).toMatch(/truncated: \d+ bytes on disk, the model needs \d+ \(60% present; download it again\)/);
    expect(b.spawns).toBe(0);
    const probe = await b.probe();
    expect(probe.reachable).toBe(false);
    expect(probe.error?.message).toMatch(/truncated/);
  });

  it('rejects a file that is not GGUF, and a missing file', async () => {
    const p = path.join(fx.dir, 'not.gguf');
    writeFileSync(p, '<!doctype html><html>Sign in to download</html>'.repeat(10));
    const err = await run(make(p), req('a')).then(
      () => undefined,
      (e) => e,
    );
    expect(err.message).toMatch(/is not a GGUF model file \(it starts with "<!do"/);
    const missing = await run(make(path.join(fx.dir, 'nope.gguf')), req('a')).then(
      () => undefined,
      (e) => e,
    );
    expect(missing).toMatchObject({ errorKind: 'config' });
    expect(missing.message).toMatch(/cannot be opened: ENOENT/);
  });

  it('a file llama.cpp refuses gives a clear error, and the next request starts a fresh process', async () => {
    // Valid GGUF framing, but the architecture's embedding length is missing: llama.cpp refuses to load it.
    const p = path.join(fx.dir, 'corrupt.gguf');
    const buf = readFileSync(xModel.path);
    const key = Buffer.from('llama.embedding_length');
    const at = buf.indexOf(key);
    expect(at).toBeGreaterThan(0);
    Buffer.from('llama.embedding_lengtX').copy(buf, at);
    const fd = openSync(p, 'w');
    writeFileSync(fd, buf);
    closeSync(fd);
    const b = make(p);
    const e1 = await run(b, req('a')).then(
      () => undefined,
      (e) => e,
    );
    expect(e1).toMatchObject({ errorKind: 'config' });
    expect(e1.message).toMatch(/^cannot load .*corrupt\.gguf: /);
    expect(b.spawns).toBe(1);
    expect(b.pid).toBeUndefined(); // the process that failed is gone
    const e2 = await run(b, req('a')).then(
      () => undefined,
      (e) => e,
    );
    expect(e2.message).toMatch(/^cannot load/);
    expect(b.spawns).toBe(2);
  });

  it('a model without FIM tokens is refused with the reason', async () => {
    const info = fx.model('no-fim', { fim: false });
    const err = await run(make(info.path), req('a')).then(
      () => undefined,
      (e) => e,
    );
    expect(err).toMatchObject({ errorKind: 'config' });
    expect(err.message).toMatch(/has no fill-in-the-middle tokens/);
  });
});
