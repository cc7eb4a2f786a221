/**
 * Other open files on the wire: the whole pipeline (complete) against loopback fakes of the real services.
 * llama.cpp `/infill` receives them as `input_extra` [{filename, text}]; an OpenAI-compatible server with the Qwen
 * template receives the repository form; native FIM servers receive them commented out at the start of `prompt`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/core/backends';
import { parseProfile } from '../../src/core/config';
import type { OtherFiles } from '../../src/core/context/related';
import { complete, type PipelineDeps } from '../../src/core/pipeline';
import type { DocumentSnapshot } from '../../src/core/types';
import { API_KEY, startFake, type Fake, type Kind } from './fakes';

let fake: Fake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const SHAPES = 'export interface Rect {\n  width: number;\n  height: number;\n}\n';
const PREFIX = 'export function area(r: Rect): number {\n  ';
const SUFFIX = '\n}\n';
const snapshot: DocumentSnapshot = {
  uri: 'file:///w/src/main.ts',
  languageId: 'typescript',
  text: PREFIX + SUFFIX,
  offset: PREFIX.length,
};
const others: OtherFiles = {
  path: 'src/main.ts',
  candidates: [{ path: 'src/shapes.ts', languageId: 'typescript', text: SHAPES }],
};
const snippet = { filename: 'src/shapes.ts', text: 'export interface Rect {\n  width: number;\n  height: number;\n}' };

async function run(kind: Kind, profile: Record<string, unknown>) {
  fake = await startFake(kind, ['return r.width ', '* r.height;']);
  const p = parseProfile(fake.profile(profile));
  const deps: PipelineDeps = {
    backend: createBackend(p, async () => API_KEY),
    profile: p,
    settings: { context: { maxPromptTokens: 1536, suffixShare: 0.25, otherFiles: true } },
    otherFiles: () => others,
  };
  const outcome = await complete(snapshot, deps, new AbortController().signal);
  expect(outcome.kind, JSON.stringify(outcome)).toBe('suggestion');
  if (outcome.kind === 'suggestion') expect(outcome.text).toBe('return r.width * r.height;');
  const reqs = fake.completions();
  expect(reqs).toHaveLength(1);
  return reqs[0];
}

describe('other files on the wire', () => {
  it("llama.cpp /infill: input_extra carries the declaring file's snippet; input_prefix and prompt are the document's own", async () => {
    const req = await run('llamacpp', { fimTemplate: 'auto' });
    expect(req.path).toBe('/infill');
    const body = req.body as Record<string, unknown>;
    expect(body.input_extra).toEqual([snippet]);
    // The cursor line goes after the middle token (the file's first lines keep a prefix section: src/core/prompt/middle.ts).
    expect(body.input_prefix).toBe('export function area(r: Rect): number {\n');
    expect(body.prompt).toBe('  ');
    expect(body.input_suffix).toBe(SUFFIX);
  });

  it('OpenAI-compatible with the Qwen template: the repository form in prompt', async () => {
    const req = await run('openai', { fimTemplate: 'qwen' });
    expect((req.body as { prompt: string }).prompt).toBe(
      `<|repo_name|>workspace\n<|file_sep|>src/shapes.ts\n${snippet.text}\n<|file_sep|>src/main.ts\n<|fim_prefix|>export function area(r: Rect): number {\n<|fim_suffix|>${SUFFIX}<|fim_middle|>  `,
    );
  });

  it('native FIM (OpenAI suffix, Ollama suffix, Codestral): the snippet commented out at the start of prompt', async () => {
    const commented =
      '// Path: src/shapes.ts\n// export interface Rect {\n//   width: number;\n//   height: number;\n// }\n// Path: src/main.ts\n';
    for (const [kind, profile] of [
      ['openai', { fimTemplate: 'native' }],
      ['ollama', { fimTemplate: 'native' }],
      ['codestral', {}],
    ] as [Kind, Record<string, unknown>][]) {
      const req = await run(kind, profile);
      const body = req.body as { prompt: string; suffix: string };
      expect(body.prompt, kind).toBe(commented + PREFIX);
      expect(body.suffix, kind).toBe(SUFFIX);
      await fake?.close();
      fake = undefined;
    }
  });
});
