/**
 * FIM prompt templates, one per model family, exactly as each family was trained, with its stop tokens.
 *
 * Sources (the model cards / reference tokenizers):
 *  - StarCoder / StarCoder2 / Granite-code / Stable Code: `<fim_prefix>P<fim_suffix>S<fim_middle>` (PSM).
 *  - CodeLlama: `<PRE> P <SUF>S <MID>` (the spaces are part of the trained format), ends with `<EOT>`.
 *  - DeepSeek-Coder: `<｜fim▁begin｜>P<｜fim▁hole｜>S<｜fim▁end｜>` (full-width bars U+FF5C, U+2581).
 *  - Qwen2.5-Coder: `<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>`; repository form
 *    `<|repo_name|>R\n<|file_sep|>path\ncontent\n…<|file_sep|>path\n<|fim_prefix|>…`.
 *  - Codestral: suffix first, `[SUFFIX]S[PREFIX]P` (Mistral's SPM order).
 *  - CodeGemma: `<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>`, ends with `<|file_separator|>`.
 *
 * Order and prefix caching: a server with prefix caching processes again everything after the first token that differs
 * from the previous prompt, and typing changes the prompt at the cursor. Prefix first (PSM), the whole suffix would be
 * processed again with every request, so the middle starts a few lines above the cursor (./middle.ts); suffix first
 * (SPM), only what was typed. Either way a change at the head of the suffix (an auto-closed `)` inserted, then stepped
 * over) would send the suffix again, so the suffix section leaves such closers out (./suffixSection.ts). Only
 * Codestral's published format is suffix first. StarCoder/SantaCoder (bigcode's FIM training mixed PSM and SPM) and
 * CodeLlama (its paper trains both formats; its reference code has `suffix_first`) also saw SPM in training, but their
 * model cards document only the prefix-first prompt (CodeLlama's SPM is defined on tokens, with a SentencePiece space a
 * text prompt cannot pin down; StarCoder2, Granite and Stable Code, which share the StarCoder template, do not state an
 * SPM share): their formats stay as documented.
 */

import { FIM_FAMILIES, type FimFamily } from '../config';
import { splitMiddle } from './middle';

export { FIM_FAMILIES, type FimFamily };

/** Another file of the project, for templates (and servers) that take repository context. */
export interface ExtraFile {
  filename: string;
  text: string;
}

export interface FimInput {
  prefix: string;
  suffix: string;
  /** Path of the current file relative to the workspace (multi-file templates). */
  filename?: string;
  /** Repository name (Qwen's `<|repo_name|>`). */
  repoName?: string;
  /** Other files, most relevant last (closest to the cursor). */
  extra?: ExtraFile[];
  /** How many characters at the end of `prefix` go after the middle marker, as the start of the middle (./middle). */
  middleChars?: number;
}

export interface FimTemplate {
  family: FimFamily;
  /** Human name for the log. */
  label: string;
  render(input: FimInput): string;
  /** Stop sequences: the end-of-text token and every FIM marker (a model that emits one has left the hole). */
  stop: string[];
  /** Special tokens that identify this family in a template, token list or chat template. */
  markers: string[];
}

const STARCODER_MARKERS = ['<fim_prefix>', '<fim_suffix>', '<fim_middle>'];

/** Qwen2.5-Coder's repository form: its first line (the repository's name). */
export function repoHeader(repoName = 'workspace'): string {
  return `<|repo_name|>${repoName}\n`;
}

/** Qwen2.5-Coder's repository form: one file (`<|file_sep|>path` and its text; llama.cpp formats `input_extra` alike). */
export function repoFile(f: ExtraFile): string {
  return `<|file_sep|>${f.filename}\n${f.text.endsWith('\n') || f.text === '' ? f.text : `${f.text}\n`}`;
}

function psm(pre: string, suf: string, mid: string) {
  return ({ prefix, suffix }: FimInput) => `${pre}${prefix}${suf}${suffix}${mid}`;
}

const DS_BEGIN = '<｜fim▁begin｜>';
const DS_HOLE = '<｜fim▁hole｜>';
const DS_END = '<｜fim▁end｜>';

export const TEMPLATES: Record<FimFamily, FimTemplate> = {
  starcoder: {
    family: 'starcoder',
    label: 'StarCoder/StarCoder2',
    render: psm('<fim_prefix>', '<fim_suffix>', '<fim_middle>'),
    stop: ['<|endoftext|>', '<fim_prefix>', '<fim_suffix>', '<fim_middle>', '<file_sep>', '<repo_name>'],
    markers: STARCODER_MARKERS,
  },
  granite: {
    family: 'granite',
    label: 'Granite Code',
    render: psm('<fim_prefix>', '<fim_suffix>', '<fim_middle>'),
    stop: ['<|endoftext|>', '<fim_prefix>', '<fim_suffix>', '<fim_middle>', '<fim_pad>'],
    markers: STARCODER_MARKERS,
  },
  stablecode: {
    family: 'stablecode',
    label: 'Stable Code',
    render: psm('<fim_prefix>', '<fim_suffix>', '<fim_middle>'),
    stop: ['<|endoftext|>', '<fim_prefix>', '<fim_suffix>', '<fim_middle>'],
    markers: STARCODER_MARKERS,
  },
  codellama: {
    family: 'codellama',
    label: 'CodeLlama',
    render: ({ prefix, suffix }) => `<PRE> ${prefix} <SUF>${suffix} <MID>`,
    stop: ['<EOT>', '<PRE>', '<SUF>', '<MID>', '</s>'],
    markers: ['<PRE>', '<SUF>', '<MID>'],
  },
  deepseek: {
    family: 'deepseek',
    label: 'DeepSeek-Coder',
    render: psm(DS_BEGIN, DS_HOLE, DS_END),
    stop: ['<｜end▁of▁sentence｜>', DS_BEGIN, DS_HOLE, DS_END, '<|EOT|>'],
    markers: [DS_BEGIN, DS_HOLE, DS_END],
  },
  qwen: {
    family: 'qwen',
    label: 'Qwen2.5-Coder',
    render: (input) => {
      const fim = `<|fim_prefix|>${input.prefix}<|fim_suffix|>${input.suffix}<|fim_middle|>`;
      if (!input.extra?.length && !input.repoName) return fim;
      // Repository-level form: every context file, then the current file holding the hole.
      let out = repoHeader(input.repoName);
      for (const f of input.extra ?? []) out += repoFile(f);
      out += repoFile({ filename: input.filename ?? 'untitled', text: '' }) + fim;
      return out;
    },
    stop: [
      '<|endoftext|>',
      '<|fim_prefix|>',
      '<|fim_suffix|>',
      '<|fim_middle|>',
      '<|fim_pad|>',
      '<|repo_name|>',
      '<|file_sep|>',
      '<|im_start|>',
      '<|im_end|>',
    ],
    markers: ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|file_sep|>', '<|im_start|>', '<|endoftext|>'],
  },
  codestral: {
    family: 'codestral',
    label: 'Codestral',
    render: ({ prefix, suffix }) => `[SUFFIX]${suffix}[PREFIX]${prefix}`,
    stop: ['</s>', '[SUFFIX]', '[PREFIX]', '[MIDDLE]', '[INST]', '[/INST]'],
    markers: ['[SUFFIX]', '[PREFIX]'],
  },
  codegemma: {
    family: 'codegemma',
    label: 'CodeGemma',
    render: psm('<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>'),
    stop: ['<|file_separator|>', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<end_of_turn>', '<eos>'],
    markers: [
      '<|fim_prefix|>',
      '<|fim_suffix|>',
      '<|fim_middle|>',
      '<|file_separator|>',
      '<start_of_turn>',
      '<end_of_turn>',
    ],
  },
};

/**
 * Special tokens that never belong in source code: text is cut at the first one whatever the model, because a
 * server without the right stop list (or a mis-detected template) leaks them. Family-specific tokens that can
 * occur in real code (`<PRE>`, `[PREFIX]`, `</s>`) are only cut when that family is in use.
 */
export const UNIVERSAL_STOPS: readonly string[] = [
  '<|endoftext|>',
  '<|fim_prefix|>',
  '<|fim_suffix|>',
  '<|fim_middle|>',
  '<|fim_pad|>',
  '<|file_sep|>',
  '<|file_separator|>',
  '<|repo_name|>',
  '<|im_start|>',
  '<|im_end|>',
  '<fim_prefix>',
  '<fim_suffix>',
  '<fim_middle>',
  '<fim_pad>',
  '<file_sep>',
  DS_BEGIN,
  DS_HOLE,
  DS_END,
  '<｜end▁of▁sentence｜>',
  '<|EOT|>',
  '<EOT>',
  '<end_of_turn>',
];

/** The stop list for a request: the caller's first (they matter most when a server caps the count), then the family's. */
export function stopsFor(family: FimFamily | undefined, requestStops: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of [...requestStops, ...(family ? TEMPLATES[family].stop : [])]) if (s && !out.includes(s)) out.push(s);
  return out;
}

/** Every sequence the client cuts at, whether or not the server honoured it. */
export function clientStops(family: FimFamily | undefined, requestStops: readonly string[]): string[] {
  const out = stopsFor(family, requestStops);
  for (const s of UNIVERSAL_STOPS) if (!out.includes(s)) out.push(s);
  return out;
}

/** The prompt in the family's template; the last `middleChars` of the prefix follow it, as the start of the middle. */
export function renderFim(family: FimFamily, input: FimInput): string {
  const { head, middle } = splitMiddle(input.prefix, input.middleChars);
  // Every template ends where the middle begins (prefix-first ones with the middle marker, suffix-first with the prefix).
  return TEMPLATES[family].render({ ...input, prefix: head }) + middle;
}
