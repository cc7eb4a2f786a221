/**
 * Other files in the prompt, through the pipeline's request building: the Qwen repository form, the comment form
 * before the prefix for every other template and native FIM API, the budget they share with the cursor's context.
 */
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../src/core/backends';
import { parseProfile, type BackendProfile } from '../../../src/core/config';
import { estimateTokens, tokenizerFamilyOf } from '../../../src/core/tokens';
import type { OtherFiles } from '../../../src/core/context/related';
import { prepareRequest, StageRecorder, type PipelineDeps } from '../../../src/core/pipeline';
import { renderFim } from '../../../src/core/prompt/templates';
import type { DocumentSnapshot } from '../../../src/core/types';

const SHAPES =
  'export interface Rect {\n  width: number;\n  height: number;\n}\n\nexport function area(r: Rect): number {\n  return r.width * r.height;\n}\n';
const MAIN = "import { area } from './shapes';\n\nconst r: Rect = ";
const AFTER = '\nconsole.log(area(r));\n';

function snapshot(
  text = MAIN + AFTER,
  offset = MAIN.length,
  languageId = 'typescript',
  uri = 'file:///w/src/main.ts',
): DocumentSnapshot {
  return { uri, languageId, text, offset };
}

const tsOthers: OtherFiles = {
  path: 'src/main.ts',
  candidates: [{ path: 'src/shapes.ts', languageId: 'typescript', text: SHAPES, key: 'file:///w/src/shapes.ts' }],
};

async function requestFor(
  profileRaw: Record<string, unknown>,
  snap = snapshot(),
  others: OtherFiles | undefined = tsOthers,
  context: Partial<PipelineDeps['settings']['context']> = {},
) {
  const profile: BackendProfile = parseProfile({ name: 'p', baseUrl: 'http://127.0.0.1:9', model: 'm', ...profileRaw });
  const deps: PipelineDeps = {
    backend: createBackend(profile),
    profile,
    settings: { context: { maxPromptTokens: 1536, suffixShare: 0.25, ...context } },
    otherFiles: () => others,
  };
  const { request } = await prepareRequest(snap, deps, new StageRecorder());
  return { request, profile };
}

describe('other files in the request', () => {
  it('Qwen template: the repository form with the declaring file, then the current file holding the hole (golden)', async () => {
    const { request } = await requestFor({ kind: 'openai', fimTemplate: 'qwen' });
    expect(request.filename).toBe('src/main.ts');
    expect(request.extra).toEqual([
      {
        filename: 'src/shapes.ts',
        text: 'export interface Rect {\n  width: number;\n  height: number;\n}\n\nexport function area(r: Rect): number {\n  return r.width * r.height;\n}',
      },
    ]);
    expect(request.prefix).toBe(MAIN);
    expect(renderFim('qwen', request)).toBe(
      '<|repo_name|>workspace\n' +
        '<|file_sep|>src/shapes.ts\n' +
        'export interface Rect {\n  width: number;\n  height: number;\n}\n\nexport function area(r: Rect): number {\n  return r.width * r.height;\n}\n' +
        '<|file_sep|>src/main.ts\n' +
        "<|fim_prefix|>import { area } from './shapes';\n\n<|fim_suffix|>\nconsole.log(area(r));\n<|fim_middle|>const r: Rect = ",
    );
  });

  it('native FIM (OpenAI suffix field): the snippets commented out before the prefix, Copilot style (exact prompt)', async () => {
    const { request } = await requestFor({ kind: 'openai', fimTemplate: 'native' });
    expect(request.extra).toBeUndefined();
    expect(request.prefix).toBe(
      '// Path: src/shapes.ts\n' +
        '// export interface Rect {\n//   width: number;\n//   height: number;\n// }\n//\n' +
        '// export function area(r: Rect): number {\n//   return r.width * r.height;\n// }\n' +
        '// Path: src/main.ts\n' +
        MAIN,
    );
    expect(request.suffix).toBe(AFTER);
  });

  it('other templates (StarCoder) get the comment form inside their own markers', async () => {
    const { request } = await requestFor({ kind: 'openai', fimTemplate: 'starcoder' });
    expect(renderFim('starcoder', request)).toMatch(
      /^<fim_prefix>\/\/ Path: src\/shapes\.ts\n\/\/ export interface Rect \{\n[\s\S]*\/\/ Path: src\/main\.ts\nimport \{ area \}[\s\S]*<fim_suffix>\nconsole\.log\(area\(r\)\);\n<fim_middle>const r: Rect = $/,
    );
  });

  it('Python gets `# ` comments', async () => {
    const text = 'from .geo import Point\n\np = Point(';
    const others: OtherFiles = {
      path: 'pkg/main.py',
      candidates: [{ path: 'pkg/geo.py', languageId: 'python', text: 'class Point:\n    x: float\n    y: float\n' }],
    };
    const { request } = await requestFor(
      { kind: 'ollama', fimTemplate: 'native' },
      snapshot(text + ')\n', text.length, 'python', 'file:///w/pkg/main.py'),
      others,
    );
    expect(request.prefix).toBe(
      '# Path: pkg/geo.py\n# class Point:\n#     x: float\n#     y: float\n# Path: pkg/main.py\n' + text,
    );
  });

  it("llama.cpp /infill: the snippets travel as input_extra files, the prefix stays the document's", async () => {
    const { request } = await requestFor({ kind: 'llamacpp', fimTemplate: 'auto', model: undefined });
    expect(request.prefix).toBe(MAIN);
    expect(request.extra?.[0].filename).toBe('src/shapes.ts');
  });

  it('tessera.context.otherFiles: false sends the document alone', async () => {
    const { request } = await requestFor({ kind: 'openai', fimTemplate: 'native' }, snapshot(), tsOthers, {
      otherFiles: false,
    });
    expect(request.prefix).toBe(MAIN);
    expect(request.extra).toBeUndefined();
  });

  it('a language without a safe line comment (PHP) gets no comment block', async () => {
    const text = '<?php\n$r = new Rect(';
    const others: OtherFiles = {
      path: 'main.php',
      candidates: [{ path: 'rect.php', languageId: 'php', text: '<?php\nclass Rect {\n  public $w;\n}\n' }],
    };
    const { request } = await requestFor(
      { kind: 'openai', fimTemplate: 'native' },
      snapshot(text, text.length, 'php', 'file:///w/main.php'),
      others,
    );
    expect(request.prefix).toBe(text);
  });

  it('one budget: other files + the cursor context never exceed maxPromptTokens, and the cursor line stays whole', async () => {
    // A long current file (the context must be trimmed) and a large related class.
    const body = Array.from(
      { length: 400 },
      (_, i) => `export function helper${i}(value: number): number {\n  return value * ${i} + offset;\n}\n`,
    ).join('\n');
    const cursorLine = 'const total: Rect = helper3(compute(width, height), ';
    const text = `${body}\n${cursorLine}`;
    const big = `export interface Rect {\n${Array.from({ length: 200 }, (_, i) => `  field${i}: number;`).join('\n')}\n}\n`;
    const others: OtherFiles = {
      path: 'src/main.ts',
      candidates: [{ path: 'src/rect.ts', languageId: 'typescript', text: big }],
    };
    for (const max of [256, 512, 1536]) {
      for (const kind of [
        { kind: 'openai', fimTemplate: 'native' },
        { kind: 'openai', fimTemplate: 'qwen' },
      ]) {
        const { request, profile } = await requestFor(kind, snapshot(text + '\n}\n', text.length), others, {
          maxPromptTokens: max,
        });
        const family = tokenizerFamilyOf(profile.fimTemplate);
        const extra = (request.extra ?? []).reduce(
          (t, f) => t + estimateTokens(`<|file_sep|>${f.filename}\n`, family) + estimateTokens(f.text, family) + 1,
          0,
        );
        const overhead = request.extra
          ? estimateTokens('<|repo_name|>workspace\n<|file_sep|>src/main.ts\n', family)
          : 0;
        const total =
          estimateTokens(request.prefix, family) + estimateTokens(request.suffix, family) + extra + overhead;
        expect(total, `${max} ${kind.fimTemplate}`).toBeLessThanOrEqual(max);
        expect(request.prefix.endsWith(cursorLine)).toBe(true);
        // Something of Rect made it in (its header at least), within a quarter of the budget.
        const related =
          kind.fimTemplate === 'qwen'
            ? (request.extra?.[0].text ?? '')
            : request.prefix.slice(0, request.prefix.indexOf('// Path: src/main.ts'));
        expect(related).toContain('export interface Rect {');
        expect(estimateTokens(related, family)).toBeLessThanOrEqual(max / 4);
      }
    }
  });
});
