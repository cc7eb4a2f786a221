/**
 * How other files travel in a prompt: which form each backend takes, the comment form's exact text, and the files
 * form's cost, counted on the same text the Qwen template renders.
 */
import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../../../src/core/tokens';
import {
  otherFilesForm,
  relatedTokens,
  renderRelatedComments,
  takesSnippets,
  withOtherFiles,
} from '../../../src/core/prompt/otherFiles';
import { renderFim } from '../../../src/core/prompt/templates';

const snippets = [
  { filename: 'src/vec.ts', text: 'export interface Vec {\n  x: number;\n\n  y: number;\n}' },
  { filename: 'src/shapes.ts', text: 'export function area(r: Rect): number { ... }\n' },
];

describe('otherFilesForm: how each backend receives other files', () => {
  it('files for llama.cpp /infill and the Qwen template; comments for every other template and native FIM API', () => {
    expect(otherFilesForm({ kind: 'llamacpp', fimTemplate: 'auto', model: undefined })).toBe('files');
    expect(otherFilesForm({ kind: 'llamacpp', fimTemplate: 'native', model: undefined })).toBe('files');
    expect(otherFilesForm({ kind: 'llamacpp', fimTemplate: 'starcoder', model: undefined })).toBe('comments');
    expect(otherFilesForm({ kind: 'openai', fimTemplate: 'qwen', model: 'x' })).toBe('files');
    expect(otherFilesForm({ kind: 'openai', fimTemplate: 'auto', model: 'Qwen2.5-Coder-7B' })).toBe('files');
    expect(otherFilesForm({ kind: 'openai', fimTemplate: 'native', model: 'Qwen2.5-Coder-7B' })).toBe('comments');
    expect(otherFilesForm({ kind: 'ollama', fimTemplate: 'auto', model: 'qwen2.5-coder:1.5b' })).toBe('comments');
    expect(otherFilesForm({ kind: 'codestral', fimTemplate: 'auto', model: 'codestral-latest' })).toBe('comments');
    expect(otherFilesForm({ kind: 'deepseek', fimTemplate: 'auto', model: 'deepseek-chat' })).toBe('comments');
    expect(otherFilesForm({ kind: 'embedded', fimTemplate: 'auto', model: undefined })).toBe('comments');
  });
});

describe('rendering other files', () => {
  it("comments: each file's path, its snippet commented line by line, then the current file's path", () => {
    expect(renderRelatedComments(snippets, 'typescript', 'src/main.ts')).toBe(
      '// Path: src/vec.ts\n// export interface Vec {\n//   x: number;\n//\n//   y: number;\n// }\n' +
        '// Path: src/shapes.ts\n// export function area(r: Rect): number { ... }\n' +
        '// Path: src/main.ts\n',
    );
    expect(renderRelatedComments(snippets, 'python', 'main.py').startsWith('# Path: src/vec.ts\n# export')).toBe(true);
    // PHP files start in HTML: nothing can be commented in before the code.
    expect(renderRelatedComments(snippets, 'php', 'index.php')).toBe('');
    expect(takesSnippets({ form: 'comments', language: 'php' })).toBe(false);
    expect(takesSnippets({ form: 'files', language: 'php' })).toBe(true);
  });

  it("files: the cost is the Qwen template's own repository text, counted once", () => {
    const rendered = renderFim('qwen', {
      prefix: 'const a = ',
      suffix: ';\n',
      extra: snippets,
      filename: 'src/main.ts',
    });
    const repo = rendered.slice(0, rendered.indexOf('<|fim_prefix|>'));
    expect(repo).toBe(
      '<|repo_name|>workspace\n<|file_sep|>src/vec.ts\n' +
        snippets[0].text +
        '\n<|file_sep|>src/shapes.ts\n' +
        snippets[1].text +
        '<|file_sep|>src/main.ts\n',
    );
    expect(relatedTokens(snippets, { form: 'files', language: 'typescript', path: 'src/main.ts' })).toBe(
      estimateTokens(repo),
    );
  });

  it('a request gets the snippets as extra files or as comments before its prefix', () => {
    const request = { prefix: 'const a = ', suffix: '' };
    expect(withOtherFiles(request, { form: 'files', snippets, path: 'src/main.ts', language: 'typescript' })).toEqual({
      ...request,
      extra: snippets,
      filename: 'src/main.ts',
    });
    const commented = withOtherFiles(request, {
      form: 'comments',
      snippets,
      path: 'src/main.ts',
      language: 'typescript',
    });
    expect(commented.prefix).toBe(renderRelatedComments(snippets, 'typescript', 'src/main.ts') + 'const a = ');
    expect(withOtherFiles(request, undefined)).toBe(request);
  });
});
