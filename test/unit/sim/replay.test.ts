/**
 * The replay: the scheduler and pipeline on a virtual clock against a perfect model, in-process and through
 * `node dist/cli.js replay`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { perfectAnswer, suffixShownFrom } from '../../../src/sim/perfectModel';
import { POLICIES } from '../../../src/sim/policies';
import { replay } from '../../../src/sim/replay';
import { parseTrace, type TraceEvent } from '../../../src/sim/trace';
import { generateTrace } from '../../../src/sim/tracegen';
import { functionRegions, generateTypeThroughTrace } from '../../../src/sim/typeThrough';

const ROOT = path.resolve(__dirname, '../../..');
const SUMMARY_KEYS = [
  'keystrokes',
  'requests',
  'cancelled',
  'cacheHits',
  'typedAheadHits',
  'pauses',
  'pausesWithGhost',
  'pauseToGhostP50',
  'pauseToGhostP95',
  'generatedTokens',
  'prefillTokens',
];
const CLI = process.env.TESSERA_CLI ?? path.join(ROOT, 'dist/cli.js');

const FINAL = [
  'function area(width, height) {',
  '  const product = width * height;',
  '  return product;',
  '}',
  '',
  'const total = area(3, 4) + area(5, 6);',
  'console.log(total);',
  '',
].join('\n');

/** Types `line` at `gap` ms per key after the document `before`, from time `t0`. */
function typeLine(before: string, line: string, t0: number, gap: number): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (let i = 1; i <= line.length; i++)
    out.push({ t: t0 + i * gap, text: before + line.slice(0, i), offset: before.length + i });
  return out;
}

describe('perfectAnswer', () => {
  it('answers the rest of the line, or the block, of the final document', () => {
    const p = 'function area(width, height) {\n  const prod';
    expect(perfectAnswer(FINAL, p, '', false, 500)).toBe('uct = width * height;');
    const q = 'function area(width, height) {\n  ';
    expect(perfectAnswer(FINAL, q, '', true, 500)).toBe('const product = width * height;\n  return product;');
  });
});

describe('suffixShownFrom', () => {
  it("finds where the prompt's suffix starts in the document: at the cursor, or after the closers it left out", () => {
    expect(suffixShownFrom(')\nnext()\n', ')\nnext()\n')).toBe(0);
    expect(suffixShownFrom('")\nnext()\n', '\nnext()\n')).toBe(2);
    expect(suffixShownFrom('))', '')).toBe(2);
    expect(suffixShownFrom('', '')).toBe(0);
  });

  it('the perfect model then answers through the closers, as a model that does not see them writes them', () => {
    const final = 'print("hello")\nx = 1\n';
    const suffix = '")\nx = 1\n';
    const shown = suffix.slice(suffixShownFrom(suffix, '\nx = 1\n'));
    expect(perfectAnswer(final, 'print("he', shown, false, 100)).toBe('llo")');
    expect(perfectAnswer(final, 'print("he', suffix, false, 100)).toBe('llo');
  });
});

describe('replay', () => {
  it('typing through a suggestion costs one request; a pause after it shows the ghost at once', async () => {
    const before = 'function area(width, height) {\n  ';
    // Slow typing of a whole line, then a pause in the middle of the next statement.
    const events: TraceEvent[] = [
      { t: 0, text: before, offset: before.length },
      ...typeLine(before, 'const pro', 1000, 180),
    ];
    const { summary, detail } = await replay({ language: 'javascript', final: FINAL }, events, {
      latencyMs: 200,
      tokensPerS: 50,
    });
    expect(Object.keys(summary)).toEqual(SUMMARY_KEYS);
    expect(summary.keystrokes).toBe(10);
    expect(summary.requests).toBeLessThanOrEqual(2);
    expect(summary.typedAheadHits + detail.inflightHits).toBeGreaterThanOrEqual(6);
    expect(summary.pauses).toBe(1); // 0 → 1000 ms
    expect(summary.pausesWithGhost).toBe(1);
    // The pause starts at the first event: VS Code's 50 ms + debounce + 200 ms to the first token + streaming.
    expect(summary.pauseToGhostP50).toBeGreaterThanOrEqual(250);
    expect(summary.pauseToGhostP50).toBeLessThan(800);
  });

  it('the reference policies send many more requests on the same fast typing', async () => {
    const before = 'function area(width, height) {\n  ';
    const events = [
      { t: 0, text: before, offset: before.length },
      ...typeLine(before, 'const product = width * height;', 500, 160),
    ];
    const run = (policy = POLICIES.tessera) =>
      replay({ language: 'javascript', final: FINAL }, events, { latencyMs: 300, tokensPerS: 50, policy });
    const [tessera, cancel75] = [await run(), await run(POLICIES.cancel75)];
    expect(tessera.summary.requests).toBeLessThanOrEqual(2);
    expect(cancel75.summary.requests).toBeGreaterThan(20);
    expect(cancel75.summary.cancelled).toBeGreaterThan(20);
  });

  it('meters what requests cost: generated tokens, and prefill against the previous prompt (prefix cache)', async () => {
    const before = 'function area(width, height) {\n  ';
    const events: TraceEvent[] = [
      { t: 0, text: before, offset: before.length },
      ...typeLine(before, 'const pro', 1000, 180),
    ];
    const { summary, detail } = await replay({ language: 'javascript', final: FINAL }, events, {
      latencyMs: 200,
      tokensPerS: 50,
    });
    // Every request paid its answer's tokens; the first prompt is processed whole, later ones only after what they share.
    expect(summary.generatedTokens).toBe(detail.requestLog.reduce((n, r) => n + r.tokens, 0));
    expect(summary.prefillTokens).toBe(detail.requestLog.reduce((n, r) => n + r.prefill, 0));
    expect(summary.prefillTokens).toBeLessThanOrEqual(detail.promptTokens);
    if (summary.requests > 1) expect(summary.prefillTokens).toBeLessThan(detail.promptTokens);
  });

  it('the reference policy "cancel on trigger" cancels each superseded request and reuses nothing', async () => {
    const before = 'function area(width, height) {\n  ';
    // 150 ms per key: past the 75 ms debounce (+50 ms editor delay), so every key sends a request.
    const events = [{ t: 0, text: before, offset: before.length }, ...typeLine(before, 'const pro', 500, 150)];
    const { summary } = await replay({ language: 'javascript', final: FINAL }, events, {
      latencyMs: 400,
      tokensPerS: 50,
      policy: POLICIES.cancel75,
    });
    expect(summary.requests).toBe(10);
    expect(summary.cancelled).toBe(9);
    expect(summary.cacheHits + summary.typedAheadHits).toBe(0);
  });

  it('a replay does not depend on the replays run before it (a benchmark of many traces counts what the CLI counts)', async () => {
    // Two functions of one real file typed one after the other: the pipeline keeps a prompt plan per document, which
    // must not carry from one replay's document to the next.
    const text = readFileSync(path.join(ROOT, 'node_modules/zod/src/v4/core/errors.ts'), 'utf8');
    const [a, b] = functionRegions(text, 'typescript', 5, 25)
      .slice(2, 4)
      .map((r, i) => generateTypeThroughTrace(text, 'typescript', { seed: 102 + i, ...r }));
    const run = async (t: typeof a) => (await replay(t.header, t.events, { latencyMs: 250, tokensPerS: 40 })).summary;
    const alone = [await run(a), await run(b)];
    expect(await run(a)).toEqual(alone[0]); // after b
    expect(await run(b)).toEqual(alone[1]); // after a
  });

  it('is deterministic: the same trace gives the same summary', async () => {
    const file = FINAL.repeat(3);
    const { header, events } = generateTrace(file, 'javascript', { seed: 42, startLine: 2, lines: 12 });
    const a = await replay(header, events, { latencyMs: 250, tokensPerS: 40 });
    const b = await replay(header, events, { latencyMs: 250, tokensPerS: 40 });
    expect(a.summary).toEqual(b.summary);
    expect(a.summary.keystrokes).toBeGreaterThan(100);
  });

  it('rejects malformed traces with the line number', () => {
    expect(() => parseTrace([{ language: 'python' }])).toThrow(/line 1/);
    expect(() =>
      parseTrace([
        { language: 'python', final: '' },
        { t: 5, text: 'a', offset: 1 },
        { t: 1, text: 'ab', offset: 2 },
      ]),
    ).toThrow(/line 3.*back in time/);
    expect(() =>
      parseTrace([
        { language: 'python', final: '' },
        { t: 5, text: 'a', offset: 7 },
      ]),
    ).toThrow(/line 2.*offset/);
  });
});

describe('tessera replay (CLI)', () => {
  it('prints one summary line with exactly the documented keys, fast, the same every time', () => {
    const { header, events } = generateTrace(FINAL.repeat(4), 'javascript', { seed: 9, startLine: 8, lines: 10 });
    const input = [header, ...events].map((l) => JSON.stringify(l)).join('\n') + '\n';
    const runCli = () => {
      const started = Date.now();
      const r = spawnSync(process.execPath, [CLI, 'replay', '--latency-ms', '250', '--tokens-per-s', '40'], {
        input,
        encoding: 'utf8',
      });
      return { ...r, ms: Date.now() - started };
    };
    const a = runCli();
    expect(a.status, a.stderr).toBe(0);
    const lines = a.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]);
    expect(Object.keys(summary)).toEqual(SUMMARY_KEYS);
    expect(Number.isInteger(summary.generatedTokens) && summary.generatedTokens > 0).toBe(true);
    expect(Number.isInteger(summary.prefillTokens) && summary.prefillTokens > 0).toBe(true);
    const traceMs = events[events.length - 1].t;
    expect(a.ms).toBeLessThan(traceMs); // virtual time: faster than the typing it replays
    expect(runCli().stdout).toBe(a.stdout);
  });

  it('--prompt plain counts the prefill of a plain nearest-lines window on the same requests (the baseline)', () => {
    const { header, events } = generateTrace(FINAL.repeat(6), 'javascript', { seed: 4, startLine: 16, lines: 12 });
    const input = [header, ...events].map((l) => JSON.stringify(l)).join('\n') + '\n';
    const run = (...extra: string[]) => {
      const r = spawnSync(process.execPath, [CLI, 'replay', '--latency-ms', '250', '--tokens-per-s', '40', ...extra], {
        input,
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout.trim());
    };
    const tessera = run();
    const plain = run('--prompt', 'plain');
    expect(plain.requests).toBe(tessera.requests); // the same requests, only their prompts differ
    expect(plain.prefillTokens).toBeGreaterThan(2 * tessera.prefillTokens);
    const bad = spawnSync(
      process.execPath,
      [CLI, 'replay', '--latency-ms', '1', '--tokens-per-s', '1', '--prompt', 'x'],
      {
        input,
        encoding: 'utf8',
      },
    );
    expect(bad.stderr + bad.stdout).toMatch(/--prompt must be tessera or plain/);
  });

  it('a malformed trace yields an error line and a non-zero exit', () => {
    const r = spawnSync(process.execPath, [CLI, 'replay', '--latency-ms', '100', '--tokens-per-s', '40'], {
      input: '{"language":"go"}\n',
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout.trim())).toEqual({ error: expect.stringMatching(/line 1/) });
    const missing = spawnSync(process.execPath, [CLI, 'replay'], { input: '', encoding: 'utf8' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--latency-ms/);
  });
});
