/**
 * How snippets of the user's other files travel in a prompt, and what they cost there:
 *   files     Qwen2.5-Coder's repository form (`<|repo_name|>`, `<|file_sep|>path`; ./templates), which llama.cpp
 *             `/infill` also applies to `input_extra` server-side;
 *   comments  for every other template and native FIM API: each file as `// Path: src/shapes.ts` and its snippet
 *             commented out before the prefix (Copilot's form), then `// Path: <current file>`.
 */
import type { BackendProfile } from '../config';
import { estimateTokens, type TokenizerFamily } from '../tokens';
import { lineCommentOf } from '../languages';
import { detectFromModelName } from './detect';
import { repoFile, repoHeader, type ExtraFile } from './templates';

/** One piece of another file for the prompt (a file of the repository form). */
export type RelatedSnippet = ExtraFile;

/** How the snippets travel: as files (Qwen repository form, llama.cpp `input_extra`) or as comments before the prefix. */
export type RelatedForm = 'files' | 'comments';

/** Where snippets go: their form, and the current document (its language for comments, its path). */
export interface SnippetTarget {
  form: RelatedForm;
  language: string;
  path: string;
  family?: TokenizerFamily;
}

/**
 * `files` when the request's `extra` reaches the model as files: llama.cpp `/infill` (`input_extra`, the server
 * applies the model's own repository tokens) and the Qwen template, whether set or certain from the model name;
 * `comments` for every other template and native FIM API. When in doubt `comments`: it works whatever the server
 * does with the prompt.
 */
export function otherFilesForm(profile: Pick<BackendProfile, 'kind' | 'fimTemplate' | 'model'>): RelatedForm {
  const t = profile.fimTemplate;
  if (profile.kind === 'llamacpp' && (t === 'native' || t === 'auto')) return 'files';
  if (t === 'qwen' && (profile.kind === 'openai' || profile.kind === 'ollama' || profile.kind === 'llamacpp'))
    return 'files';
  // OpenAI-compatible `auto` renders the template the model name names (see chooseFim); Ollama's auto may go native.
  if (t === 'auto' && profile.kind === 'openai' && detectFromModelName(profile.model)?.family === 'qwen')
    return 'files';
  return 'comments';
}

/** Whether a target can take snippets at all (the comment form needs a line comment usable at the top of a file). */
export function takesSnippets(target: Pick<SnippetTarget, 'form' | 'language'>): boolean {
  return target.form === 'files' || lineCommentOf(target.language) !== undefined;
}

function commentLines(text: string, marker: string): string {
  return text
    .split('\n')
    .map((l) => (l.trim() === '' ? marker : `${marker} ${l}`))
    .join('\n');
}

/** The comment form of snippets (empty when there are none, or the language has no usable line comment). */
export function renderRelatedComments(
  snippets: readonly RelatedSnippet[],
  language: string,
  currentPath: string,
): string {
  const marker = lineCommentOf(language);
  if (!marker || snippets.length === 0) return '';
  let out = '';
  for (const s of snippets)
    out += `${marker} Path: ${s.filename}\n${commentLines(s.text.replace(/\n+$/, ''), marker)}\n`;
  return `${out}${marker} Path: ${currentPath}\n`;
}

/** Estimated tokens of snippets in their target's form (what the cursor context's budget loses to them). */
export function relatedTokens(snippets: readonly RelatedSnippet[], target: SnippetTarget): number {
  const family = target.family ?? 'bpe-code';
  if (snippets.length === 0) return 0;
  if (target.form === 'comments')
    return estimateTokens(renderRelatedComments(snippets, target.language, target.path), family);
  let t = estimateTokens(repoHeader(), family) + estimateTokens(repoFile({ filename: target.path, text: '' }), family);
  for (const s of snippets) t += estimateTokens(repoFile(s), family);
  return t;
}

/**
 * Costs of the parts of snippets in a form, for a selection that adds pieces one by one: a fixed part (the form's
 * frame), one header per file, each piece's text. Their sum is an estimate of the whole; the selection checks the whole
 * with `relatedTokens` at the end.
 */
export function snippetCosts(target: SnippetTarget): {
  fixed: number;
  file: (filename: string) => number;
  piece: (text: string) => number;
} {
  const family = target.family ?? 'bpe-code';
  if (target.form === 'comments') {
    const marker = lineCommentOf(target.language) ?? '//';
    return {
      fixed: estimateTokens(`${marker} Path: ${target.path}\n`, family),
      file: (filename) => estimateTokens(`${marker} Path: ${filename}\n`, family),
      piece: (text) => estimateTokens(commentLines(text, marker), family) + 2,
    };
  }
  return {
    fixed: estimateTokens(repoHeader() + repoFile({ filename: target.path, text: '' }), family),
    file: (filename) => estimateTokens(repoFile({ filename, text: '' }), family) + 1,
    piece: (text) => estimateTokens(text, family) + 2,
  };
}

/** Snippets ready for a request: their form, the current document's path and language. */
export interface PlacedSnippets {
  form: RelatedForm;
  snippets: RelatedSnippet[];
  path: string;
  language: string;
}

/** The request with the snippets in their form: `extra` + `filename` (files), or comments before the prefix. */
export function withOtherFiles<R extends { prefix: string; extra?: RelatedSnippet[]; filename?: string }>(
  request: R,
  placed: PlacedSnippets | undefined,
): R {
  if (!placed || placed.snippets.length === 0) return request;
  if (placed.form === 'files') return { ...request, extra: placed.snippets, filename: placed.path };
  return { ...request, prefix: renderRelatedComments(placed.snippets, placed.language, placed.path) + request.prefix };
}
