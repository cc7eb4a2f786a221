/**
 * `node dist/cli.js complete --backend '<profile>'` against loopback fakes of each kind: a healthy answer, and
 * every fault as exactly one JSON line `{"completion": null, "reason": …}` within timeoutMs + 1 s, exit 0,
 * no stack trace, no API key in the output.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, deadUrl, KINDS, startFake, type Fake, type Fault, type Kind } from './fakes';

const ROOT = path.resolve(__dirname, '../..');
/** TESSERA_CLI points at a prebuilt CLI (e.g. a build of a clean checkout); otherwise test/globalSetup.ts built dist/. */
const CLI = process.env.TESSERA_CLI ?? path.join(ROOT, 'dist/cli.js');
const TIMEOUT_MS = 1000;

let fake: Fake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

interface CliRun {
  code: number | null;
  lines: Record<string, unknown>[];
  stdout: string;
  stderr: string;
  elapsed: number;
}

/**
 * Spawns the CLI with one input line. `delayInputMs` writes the line only after the process had time to load,
 * so `elapsed` (input written → output line) measures the request, not node's start-up on a busy machine.
 */
function runCli(profile: Record<string, unknown>, input: Record<string, unknown>, delayInputMs = 0): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    let started = Date.now();
    const child = spawn(process.execPath, [CLI, 'complete', '--backend', JSON.stringify(profile)], {
      cwd: ROOT,
      env: { ...process.env, TESSERA_API_KEY: API_KEY, TESSERA_LOG: '' },
    });
    let stdout = '';
    let stderr = '';
    let elapsed = 0;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (!elapsed && stdout.includes('\n')) elapsed = Date.now() - started;
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = stdout
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ code, lines, stdout, stderr, elapsed: elapsed || Date.now() - started });
    });
    const write = () => {
      started = Date.now();
      child.stdin.end(JSON.stringify(input) + '\n');
    };
    if (delayInputMs) setTimeout(write, delayInputMs);
    else write();
  });
}

const input = { language: 'python', prefix: 'def add(a, b):\n    ', suffix: '\n' };

function expectCleanFailure(r: CliRun, reason: RegExp) {
  expect(r.code).toBe(0);
  expect(r.lines).toHaveLength(1);
  expect(r.lines[0].completion).toBeNull();
  expect(String(r.lines[0].reason)).toMatch(reason);
  // The reason says which deadline ended a timeout; how long a run takes on a busy machine is not asserted here.
  expect(typeof r.lines[0].ms).toBe('number');
  expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
  expect(r.stdout + r.stderr).not.toContain(API_KEY);
}

const FAULTS: [Fault, RegExp][] = [
  ['401', /^backend\/auth: HTTP 401/],
  ['429', /^backend\/rate-limited: HTTP 429: rate limited, retry after 7 s/],
  ['500', /^backend\/server-error: HTTP 500/],
  ['never-starts', /^backend\/timeout: no complete answer within 1000 ms/],
  ['stall', /^backend\/timeout: no complete answer within 1000 ms/],
  ['malformed', /^backend\/bad-response: malformed JSON/],
  ['huge', /^backend\/bad-response: .*exceeded/],
];

describe.each(KINDS)('tessera complete --backend {kind: %s}', (kind: Kind) => {
  it('answers with the completion', async () => {
    fake = await startFake(kind);
    const r = await runCli(fake.profile({ timeoutMs: TIMEOUT_MS }), input);
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0].completion).toBe('return a + b');
    expect(fake.completions()).toHaveLength(1);
  });

  it('a chat-style answer (prose + fence) still yields just the code', async () => {
    fake = await startFake(kind);
    fake.fault = 'chat-prose';
    const r = await runCli(fake.profile({ timeoutMs: TIMEOUT_MS }), input);
    expect(r.lines[0].completion).toBe('return a + b');
  });

  it('connection refused → one line, reason unreachable', async () => {
    const url = await deadUrl();
    const base = kind === 'openai' || kind === 'codestral' ? `${url}/v1` : kind === 'deepseek' ? `${url}/beta` : url;
    const r = await runCli({ name: 'dead', kind, baseUrl: base, model: 'm', timeoutMs: TIMEOUT_MS }, input);
    expectCleanFailure(r, /^backend\/unreachable: cannot reach .*ECONNREFUSED/);
  });

  it.each(FAULTS)('fault %s → one line with the reason', async (fault, reason) => {
    fake = await startFake(kind);
    fake.fault = fault;
    // Timeouts take the whole budget: give node time to start before the clock starts.
    const slow = fault === 'never-starts' || fault === 'stall';
    const r = await runCli(fake.profile({ timeoutMs: TIMEOUT_MS }), input, slow ? 1500 : 0);
    expectCleanFailure(r, reason);
    if (slow) expect(r.elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
  });
});

describe('tessera complete: keys', () => {
  it('a remote FIM service without TESSERA_API_KEY → auth reason naming the variable', async () => {
    fake = await startFake('codestral');
    const r = await new Promise<CliRun>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'complete', '--backend', JSON.stringify(fake!.profile())], {
        cwd: ROOT,
        env: { ...process.env, TESSERA_API_KEY: '' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) =>
        resolve({
          code,
          lines: stdout
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l)),
          stdout,
          stderr,
          elapsed: 0,
        }),
      );
      child.stdin.end(JSON.stringify(input) + '\n');
    });
    expect(r.code).toBe(0);
    expect(r.lines[0].completion).toBeNull();
    expect(String(r.lines[0].reason)).toMatch(/^backend\/auth: no API key .*TESSERA_API_KEY/);
    expect(fake.completions()).toHaveLength(0);
  });
});
