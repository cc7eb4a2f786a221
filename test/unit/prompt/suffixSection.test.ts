/**
 * The suffix section starts at the line break when the rest of the cursor's line is only closers: the prompt a
 * prefix-caching server receives stays the same while the editor auto-closes and steps over brackets and quotes, and
 * a model that writes the closers itself still yields the right document (through the real pipeline, against a
 * real loopback OpenAI-compatible server).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend } from '../../../src/core/backends';
import { parseProfile } from '../../../src/core/config';
import { cursorContext } from '../../../src/core/cursor';
import { complete, prepareRequest, StageRecorder } from '../../../src/core/pipeline';
import { promptSuffix } from '../../../src/core/prompt/suffixSection';
import { renderFim } from '../../../src/core/prompt/templates';
import { loadLanguage } from '../../../src/core/syntax';
import type { DocumentSnapshot } from '../../../src/core/types';
import { openAIChunks, startServer, type LoopbackServer } from '../../helpers/loopback';

const section = (prefix: string, suffix: string) => promptSuffix(suffix, cursorContext(prefix, suffix, 'python'));

describe('promptSuffix', () => {
  it('leaves out auto-closed brackets and quotes at the end of the cursor line, keeping the line break', () => {
    expect(section('    print("shl', '")\n    return tok\n')).toBe('\n    return tok\n');
    expect(section('x = f(a, [1', '])\r\ny = 2\r\n')).toBe('\r\ny = 2\r\n');
    expect(section('x = f(', ')')).toBe('');
  });

  it('keeps the rest of the line where it is code (the model needs it), and an empty rest as it is', () => {
    expect(section('x = f(', ', b)\ny = 2\n')).toBe(', b)\ny = 2\n');
    expect(section('x = f(a)', '\ny = 2\n')).toBe('\ny = 2\n');
    expect(section('x = ', '  \ny = 2\n')).toBe('  \ny = 2\n');
  });
});

const TAIL = '\n\ndef main():\n    run(["a", "b"], verbose=True)\n    return 0\n';
const BEFORE = 'import sys\n\n\ndef report(tok):\n    ';
const LINE = 'print("shlex: popping token " + repr(tok))';

/** The documents an editor with auto-close goes through while `LINE` is typed: `(` adds `)`, `"` adds `"`, typing a closer steps over it. */
function typedWithAutoClose(): DocumentSnapshot[] {
  const out: DocumentSnapshot[] = [];
  let pending = '';
  let typed = '';
  for (const ch of LINE) {
    typed += ch;
    if (pending.startsWith(ch)) pending = pending.slice(1);
    else if (ch === '(') pending = ')' + pending;
    else if (ch === '"' && !typed.slice(0, -1).endsWith('shlex: popping token ')) pending = '"' + pending;
    const text = BEFORE + typed + pending + TAIL;
    out.push({ uri: 'file:///w/report.py', languageId: 'python', text, offset: BEFORE.length + typed.length });
  }
  return out;
}

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function depsFor(url = 'http://127.0.0.1:1/v1') {
  const profile = parseProfile({ name: 't', kind: 'openai', baseUrl: url, model: 'm', fimTemplate: 'qwen' });
  return {
    backend: createBackend(profile),
    profile,
    settings: { context: { maxPromptTokens: 1536, suffixShare: 0.25 } },
  };
}

describe('the prompt while a line with auto-closed brackets and quotes is typed', () => {
  it('each prompt starts with the whole previous one: a prefix cache re-processes only the typed characters', async () => {
    await loadLanguage('python');
    const docs = typedWithAutoClose();
    // The editor did insert closers after the cursor on the way (else this would show nothing).
    expect(docs.some((d) => d.text.slice(d.offset).startsWith('")'))).toBe(true);
    let previous: string | undefined;
    let grewOnly = 0;
    for (const d of docs) {
      const { request } = await prepareRequest(d, depsFor(), new StageRecorder());
      const prompt = renderFim('qwen', request);
      if (previous !== undefined && prompt.startsWith(previous)) grewOnly++;
      previous = prompt;
    }
    expect(grewOnly).toBe(docs.length - 1);
  });

  it('a model that writes the closers itself: the suggestion replaces the ones the editor inserted', async () => {
    await loadLanguage('python');
    const d = typedWithAutoClose().find((s) => s.text.slice(0, s.offset).endsWith('popping'))!;
    expect(d.text.slice(d.offset, d.text.indexOf('\n', d.offset))).toBe('")');
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const chunk of openAIChunks([' token " + repr', '(tok))'])) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      res.end('data: [DONE]\n\n');
    });
    const outcome = await complete(d, depsFor(`${server.url}/v1`), new AbortController().signal);
    const prompt: string = server.requests[0].body.prompt;
    expect(prompt.slice(prompt.indexOf('<|fim_suffix|>'))).toMatch(/^<\|fim_suffix\|>\n\ndef main/);
    expect(outcome.kind).toBe('suggestion');
    if (outcome.kind !== 'suggestion') return;
    const after = d.text.slice(0, d.offset) + outcome.text + d.text.slice(d.offset + outcome.replaceSuffix);
    expect(after).toBe(BEFORE + LINE + TAIL);
  });
});
