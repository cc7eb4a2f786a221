/**
 * `fimTemplate: "auto"`: which FIM format does this model speak? Evidence is weighed in order of trust:
 * what the server reports (Ollama's model template, llama.cpp's /props, the tokenizer's special tokens), then the
 * model name. When nothing is conclusive the choice says so (`confident: false`) and the caller logs it.
 */
import type { FimTemplateName } from '../config';
import { FIM_FAMILIES, type FimFamily } from './templates';

export interface FamilyGuess {
  family: FimFamily;
  /** What the guess rests on, for the log. */
  evidence: string;
  confident: boolean;
}

const has = (text: string, ...needles: string[]) => needles.every((n) => text.includes(n));

/**
 * Finds a family from special tokens in any text the server hands out: an Ollama template, a chat template,
 * a joined token list. `modelName` breaks ties between families that share tokens.
 */
export function detectFromTokens(text: string | undefined, modelName = ''): FamilyGuess | undefined {
  if (!text) return undefined;
  if (has(text, '<｜fim▁begin｜>') || has(text, '<｜fim▁hole｜>'))
    return { family: 'deepseek', evidence: 'DeepSeek FIM tokens <｜fim▁begin｜>', confident: true };
  if (has(text, '[SUFFIX]', '[PREFIX]'))
    return { family: 'codestral', evidence: 'Mistral FIM tokens [SUFFIX]/[PREFIX]', confident: true };
  if (has(text, '<PRE>', '<SUF>') || has(text, '▁<PRE>'))
    return { family: 'codellama', evidence: 'CodeLlama FIM tokens <PRE>/<SUF>/<MID>', confident: true };
  if (has(text, '<|fim_prefix|>')) {
    // Qwen2.5-Coder and CodeGemma share the FIM tokens; their other special tokens differ.
    if (has(text, '<|file_separator|>') || has(text, '<start_of_turn>') || has(text, '<end_of_turn>')) {
      return {
        family: 'codegemma',
        evidence: '<|fim_prefix|> with Gemma tokens (<|file_separator|>/<start_of_turn>)',
        confident: true,
      };
    }
    if (
      has(text, '<|file_sep|>') ||
      has(text, '<|im_start|>') ||
      has(text, '<|endoftext|>') ||
      has(text, '<|repo_name|>')
    ) {
      return {
        family: 'qwen',
        evidence: '<|fim_prefix|> with Qwen tokens (<|im_start|>/<|file_sep|>/<|endoftext|>)',
        confident: true,
      };
    }
    const byName = detectFromModelName(modelName);
    if (byName && (byName.family === 'qwen' || byName.family === 'codegemma')) {
      return { family: byName.family, evidence: `<|fim_prefix|> tokens; ${byName.evidence}`, confident: true };
    }
    return { family: 'qwen', evidence: '<|fim_prefix|> tokens (Qwen or CodeGemma: assuming Qwen)', confident: false };
  }
  if (has(text, '<fim_prefix>')) {
    // StarCoder, Granite Code and Stable Code share the format; the name picks the stop list.
    const byName = detectFromModelName(modelName);
    const family =
      byName && (byName.family === 'granite' || byName.family === 'stablecode') ? byName.family : 'starcoder';
    return {
      family,
      evidence: `StarCoder-style FIM tokens <fim_prefix>${byName ? `; ${byName.evidence}` : ''}`,
      confident: true,
    };
  }
  return undefined;
}

/** Name patterns, most specific first (CodeQwen 1.5 speaks StarCoder's format, Qwen2.5-Coder its own). */
const NAME_PATTERNS: [RegExp, FimFamily][] = [
  [/codeqwen/i, 'starcoder'],
  [/qwen[\d.]*[-_ ]?coder|qwen.*coder/i, 'qwen'],
  [/code[-_ ]?llama/i, 'codellama'],
  [/deepseek/i, 'deepseek'],
  [/codestral|mistral[-_ ]?code/i, 'codestral'],
  [/code[-_ ]?gemma/i, 'codegemma'],
  [/granite.*code|granite[-_ ]?\d+b[-_ ]?code/i, 'granite'],
  [/stable[-_ ]?code/i, 'stablecode'],
  [/star[-_ ]?coder|starchat|refact/i, 'starcoder'],
];

export function detectFromModelName(name: string | undefined): FamilyGuess | undefined {
  if (!name) return undefined;
  for (const [re, family] of NAME_PATTERNS) {
    if (re.test(name)) return { family, evidence: `model name "${name}"`, confident: false };
  }
  return undefined;
}

export interface FimEvidence {
  /** The model name in use. */
  modelName?: string;
  /** A template the server reports (Ollama `/api/show` `template`). */
  serverTemplate?: string;
  /** Other text carrying special tokens: llama.cpp `/props` chat template, tokenizer tokens, … */
  tokens?: string;
  /** The server said it does FIM itself with this model (Ollama "insert" capability, a `.Suffix` template). */
  serverDoesFim?: boolean;
}

/** How the prompt is formed for one backend. */
export interface FimChoice {
  /** `native`: prefix/suffix go to the server's FIM fields; `template`: Tessera renders the prompt. */
  mode: 'native' | 'template';
  /** The family whose stop tokens apply (and whose template renders, in template mode). */
  family?: FimFamily;
  /** Whether the decision rests on solid evidence; when false the caller logs a warning. */
  confident: boolean;
  /** One sentence for the log. */
  note: string;
}

/** A prompt the caller rendered in full (edit prediction): no FIM form, no family stops. */
export const CALLER_PROMPT: FimChoice = { mode: 'template', confident: true, note: 'a prompt rendered by the caller' };

/**
 * Decides native vs template and the family. `nativeAvailable` says whether the protocol has a FIM field at all
 * (OpenAI `suffix`, Ollama `suffix`, llama.cpp `/infill`); `defaultFamily` is the family a FIM-only service
 * implies (Codestral, DeepSeek).
 */
export function chooseFim(configured: FimTemplateName, evidence: FimEvidence, nativeAvailable: boolean): FimChoice {
  const guess =
    detectFromTokens(evidence.serverTemplate, evidence.modelName) ??
    detectFromTokens(evidence.tokens, evidence.modelName);
  const byName = detectFromModelName(evidence.modelName);
  const family = guess?.family ?? byName?.family;

  if (configured === 'native') {
    return {
      mode: 'native',
      family,
      confident: true,
      note: `native FIM (fimTemplate "native")${family ? `; ${family} stop tokens` : ''}`,
    };
  }
  if ((FIM_FAMILIES as readonly string[]).includes(configured)) {
    return {
      mode: 'template',
      family: configured as FimFamily,
      confident: true,
      note: `${configured} template (fimTemplate "${configured}")`,
    };
  }
  // auto
  if (evidence.serverDoesFim && nativeAvailable) {
    return {
      mode: 'native',
      family,
      confident: true,
      note: `native FIM: the server reports FIM support for this model${family ? ` (${guess?.evidence ?? byName?.evidence})` : ''}`,
    };
  }
  if (guess) {
    return {
      mode: 'template',
      family: guess.family,
      confident: guess.confident,
      note: `${guess.family} template, detected from the server: ${guess.evidence}`,
    };
  }
  if (byName) {
    return {
      mode: 'template',
      family: byName.family,
      confident: true,
      note: `${byName.family} template, from the ${byName.evidence} (the server reported no FIM tokens)`,
    };
  }
  if (nativeAvailable) {
    return {
      mode: 'native',
      confident: false,
      note: `unsure of the FIM format of model "${evidence.modelName ?? '?'}": nothing identifies its family, so the server's native FIM field is used; set fimTemplate to one of ${FIM_FAMILIES.join(', ')} if completions look wrong`,
    };
  }
  return {
    mode: 'template',
    family: 'starcoder',
    confident: false,
    note: `unsure of the FIM format of model "${evidence.modelName ?? '?'}": falling back to the StarCoder template; set fimTemplate explicitly`,
  };
}
