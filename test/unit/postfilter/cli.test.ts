/**
 * The `postfilter` CLI command as a real process: the CLI bundled as it ships (grammars found next to it), JSON
 * Lines in, one line out per input line with "ms", malformed lines answered with {"error"} and the run going on;
 * "finish" says whether the model ended its text ("stop", the default) or ran on to the token cap ("length").
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
// A private bundle (not dist/, which other tests rebuild) inside the repo so the grammar lookup finds grammars/.
const OUT = path.join(ROOT, 'node_modules/.cache/tessera-postfilter-cli/cli.js');

beforeAll(async () => {
  mkdirSync(path.dirname(OUT), { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'src/cli/main.ts')],
    outfile: OUT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode', 'node-llama-cpp', '@node-llama-cpp/*'],
    logLevel: 'warning',
  });
}, 60_000);

function run(lines: string[]): Record<string, unknown>[] {
  const r = spawnSync(process.execPath, [OUT, 'postfilter'], {
    input: lines.join('\n') + '\n',
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(r.status).toBe(0);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe('tessera postfilter (CLI)', () => {
  it('answers every line in order, with ms; cut, replaceSuffix, rejection and malformed input', () => {
    const out = run([
      JSON.stringify({
        language: 'python',
        prefix: 'def area(r):\n    ',
        suffix: '\n\ndef main():\n    pass\n',
        completion: 'return 3.14 * r * r\n\ndef perimeter(r):\n    return 2 * r\n',
        finish: 'length',
      }),
      JSON.stringify({
        language: 'typescript',
        prefix: 'const t = Math.round(',
        suffix: ')\n',
        completion: 'price * 100) / 100;',
      }),
      'this is not json',
      JSON.stringify({ language: 'typescript', prefix: 'const x = ', suffix: ';\n', completion: '   ' }),
      JSON.stringify({
        language: 'kotlin',
        prefix: 'fun f() {\n    ',
        suffix: '\n}\n',
        completion: 'println(1)\n}\n\nfun g() {}',
      }),
      JSON.stringify({ prefix: 'x' }),
      JSON.stringify({
        language: 'python',
        prefix: 'def area(r):\n    ',
        suffix: '\n\ndef main():\n    pass\n',
        completion: 'return 3.14 * r * r\n\ndef perimeter(r):\n    return 2 * r\n',
      }),
      JSON.stringify({ language: 'python', prefix: 'x = 1\n', suffix: '', completion: 'y = 2', finish: 'eos' }),
    ]);
    expect(out).toHaveLength(8);
    for (const o of out) expect(typeof o.ms).toBe('number');
    expect(out[0].completion).toBe('return 3.14 * r * r');
    expect(out[1]).toMatchObject({ completion: 'price * 100) / 100;', replaceSuffix: 1 });
    expect(out[2].error).toMatch(/JSON|Unexpected/);
    expect(out[3].completion).toBeNull();
    expect(out[3].reason).toMatch(/^empty/);
    expect(out[4].completion).toBe('println(1)');
    expect(out[5].error).toMatch(/completion/);
    // The model ended its text itself (the default): the whole text fits, so all of it is shown.
    expect(out[6].completion).toBe('return 3.14 * r * r\n\ndef perimeter(r):\n    return 2 * r');
    expect(out[7].error).toMatch(/"finish" must be "stop" or "length"/);
  });
});
