/**
 * Streaming: the pipeline stops the backend stream as soon as the post-filter knows the suggestion — against a
 * real loopback HTTP server speaking OpenAI's SSE completion stream, which counts what it managed to send.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend } from '../../../src/core/backends';
import { parseProfile } from '../../../src/core/config';
import { complete } from '../../../src/core/pipeline';
import { completeUnitReceived } from '../../../src/core/postfilter';
import { loadLanguage } from '../../../src/core/syntax';
import { openAIChunks, sleep, startServer, type LoopbackServer } from '../../helpers/loopback';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server that streams `pieces` one every `delayMs`, recording how many it wrote before the client left. */
async function overGeneratingServer(pieces: string[], delayMs: number, finish: 'stop' | 'length' = 'stop') {
  const stats = { written: 0, closedEarly: false, closed: false };
  server = await startServer(async (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.on('close', () => {
      stats.closed = true;
      if (stats.written < pieces.length) stats.closedEarly = true;
    });
    for (const chunk of openAIChunks(pieces, 'm', finish)) {
      if (res.destroyed) return;
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      stats.written++;
      await sleep(delayMs);
    }
    if (!res.destroyed) res.end('data: [DONE]\n\n');
  });
  return stats;
}

function deps() {
  const profile = parseProfile({
    name: 't',
    kind: 'openai',
    baseUrl: `${server!.url}/v1`,
    model: 'm',
    fimTemplate: 'native',
    maxTokens: 512,
  });
  return {
    backend: createBackend(profile),
    profile,
    settings: { context: { maxPromptTokens: 1536, suffixShare: 0.25 } },
  };
}

describe('streaming stop', () => {
  it('cancels the stream once the function body is complete and the model wanders into the next function', async () => {
    const body = ['return math.pi', ' * r * r\n', '\n', '\n', 'def perimeter(r):\n'];
    const ramble = Array.from({ length: 60 }, (_, i) => `    x${i} = ${i}\n`);
    await loadLanguage('python'); // grammar loading is not what this measures
    const stats = await overGeneratingServer([...body, ...ramble], 40);
    const text = 'import math\n\ndef area(r):\n    \n\ndef main():\n    print(area(2))\n';
    const offset = text.indexOf('    \n') + 4;
    const out = await complete(
      { uri: 'file:///a.py', languageId: 'python', text, offset },
      deps(),
      new AbortController().signal,
    );
    expect(out.kind).toBe('suggestion');
    if (out.kind !== 'suggestion') return;
    expect(out.text).toBe('return math.pi * r * r');
    // Stopped right after the line that leaves the block (piece 5 of 65), well before the ≈2.6 s stream ends
    // (the margin is for a loaded machine).
    for (let i = 0; i < 40 && !stats.closed; i++) await sleep(50);
    expect(stats.closedEarly).toBe(true);
    expect(stats.written).toBeLessThan(45);
    expect(server!.activeResponses()).toBe(0);
  });

  it('waits for an else branch before calling an if statement complete', async () => {
    const probe = {
      language: 'typescript',
      prefix: 'function f(n: number) {\n  let s = 0;\n  ',
      suffix: '\n  return s;\n}\n',
    };
    expect(await completeUnitReceived(probe, 'if (n > 0) {\n    s = 1;\n  }\n')).toBe(false);
    expect(await completeUnitReceived(probe, 'if (n > 0) {\n    s = 1;\n  } else {\n    s = 2;\n  }\n')).toBe(false);
    expect(
      await completeUnitReceived(probe, 'if (n > 0) {\n    s = 1;\n  } else {\n    s = 2;\n  }\n  console.log(s);\n'),
    ).toBe(true);
  });

  it('mid-line: the first newline settles it', async () => {
    const probe = { language: 'python', prefix: 'x = foo(', suffix: ', 2)\n' };
    expect(await completeUnitReceived(probe, 'a, b')).toBe(false);
    expect(await completeUnitReceived(probe, 'a, b\n')).toBe(true);
  });

  it('does not stop inside a unit (deeper lines cannot end it)', async () => {
    const probe = { language: 'python', prefix: 'def f(xs):\n    ', suffix: '\n\nprint(1)\n' };
    expect(await completeUnitReceived(probe, 'for x in xs:\n        print(x)\n')).toBe(false);
    expect(await completeUnitReceived(probe, 'for x in xs:\n        print(x)\n    return 1\n')).toBe(false);
    expect(await completeUnitReceived(probe, 'for x in xs:\n        print(x)\n    return 1\n\ndef g():\n')).toBe(true);
  });
});

describe('the finish reason reaches the post-filter', () => {
  const text = 'def f(x):\n    \n    return y\n';
  const snapshot = { uri: 'file:///f.py', languageId: 'python', text, offset: text.indexOf('    \n') + 4 };
  // The scheduler's end-of-line shape: streamed to the token cap, no early stop.
  const shape = { multiline: true, maxTokens: 48, stop: [], toTokenCap: true };

  it('the model ended its answer ("stop"): both statements are shown', async () => {
    await overGeneratingServer(['y = x + 1\n', '    y += 2'], 1, 'stop');
    const out = await complete(snapshot, { ...deps(), shape }, new AbortController().signal);
    expect(out).toMatchObject({ kind: 'suggestion', text: 'y = x + 1\n    y += 2' });
  });

  it('it hit the token cap ("length"): cut to one complete statement', async () => {
    await overGeneratingServer(['y = x + 1\n', '    y += 2'], 1, 'length');
    const out = await complete(snapshot, { ...deps(), shape }, new AbortController().signal);
    expect(out).toMatchObject({ kind: 'suggestion', text: 'y = x + 1' });
  });
});
