import { describe, expect, it } from 'vitest';
import { chooseFim, detectFromModelName, detectFromTokens } from '../../../src/core/prompt/detect';

/** Model templates as Ollama's library ships them (`/api/show` → `template`), abridged to their FIM parts. */
const OLLAMA = {
  qwen25coder:
    '{{- if .Suffix }}<|fim_prefix|>{{ .Prompt }}<|fim_suffix|>{{ .Suffix }}<|fim_middle|>\n{{- else if .Messages }}\n{{- if or .System .Tools }}<|im_start|>system\n{{ .System }}<|im_end|>\n{{ end }}',
  codellamaCode: '{{- if .Suffix }}<PRE> {{ .Prompt }} <SUF>{{ .Suffix }} <MID>\n{{- else }}{{ .Prompt }}\n{{- end }}',
  codegemmaCode:
    '{{- if .Suffix }}<|fim_prefix|>{{ .Prompt }}<|fim_suffix|>{{ .Suffix }}<|fim_middle|>\n{{- else }}<start_of_turn>user\n{{ .Prompt }}<end_of_turn>\n<start_of_turn>model\n{{ end }}',
  codestral:
    '{{- if .Suffix }}[SUFFIX]{{ .Suffix }}[PREFIX] {{ .Prompt }}\n{{- else if .Messages }}[INST] {{ .Content }}[/INST]{{ end }}',
  deepseekCoder: '{{ .System }}\n### Instruction:\n{{ .Prompt }}\n### Response:\n',
  starcoder2: '{{ .Prompt }}',
  llama3:
    '{{ if .System }}<|start_header_id|>system<|end_header_id|>\n\n{{ .System }}<|eot_id|>{{ end }}<|start_header_id|>user<|end_header_id|>\n\n{{ .Prompt }}<|eot_id|>',
};

describe('family detection from what the server reports', () => {
  it.each([
    ['qwen25coder', 'qwen'],
    ['codellamaCode', 'codellama'],
    ['codegemmaCode', 'codegemma'],
    ['codestral', 'codestral'],
  ] as const)('Ollama template %s → %s', (name, family) => {
    const g = detectFromTokens(OLLAMA[name]);
    expect(g?.family).toBe(family);
    expect(g?.confident).toBe(true);
  });

  it('templates without FIM tokens say nothing (no guessing from chat markup)', () => {
    expect(detectFromTokens(OLLAMA.deepseekCoder)).toBeUndefined();
    expect(detectFromTokens(OLLAMA.starcoder2)).toBeUndefined();
    expect(detectFromTokens(OLLAMA.llama3)).toBeUndefined();
  });

  it('tokenizer token lists: DeepSeek, StarCoder-style with the name picking Granite', () => {
    expect(detectFromTokens(['<｜begin▁of▁sentence｜>', '<｜fim▁hole｜>', '<｜fim▁begin｜>'].join(' '))?.family).toBe(
      'deepseek',
    );
    expect(detectFromTokens('<fim_prefix> <fim_middle> <fim_suffix>', 'granite-8b-code-base')?.family).toBe('granite');
    expect(detectFromTokens('<fim_prefix> <fim_middle> <fim_suffix>', 'stable-code-3b')?.family).toBe('stablecode');
    expect(detectFromTokens('<fim_prefix> <fim_middle> <fim_suffix>', 'whatever')?.family).toBe('starcoder');
  });

  it('bare <|fim_prefix|> tokens are ambiguous (Qwen or CodeGemma): the name decides, else it is marked unsure', () => {
    const bare = '<|fim_prefix|><|fim_suffix|><|fim_middle|>';
    expect(detectFromTokens(bare, 'codegemma:2b')).toMatchObject({ family: 'codegemma', confident: true });
    expect(detectFromTokens(bare, 'mystery')).toMatchObject({ family: 'qwen', confident: false });
  });
});

describe('family detection from the model name', () => {
  it.each([
    ['qwen2.5-coder:1.5b-base', 'qwen'],
    ['Qwen/Qwen2.5-Coder-7B', 'qwen'],
    ['codeqwen:7b', 'starcoder'],
    ['codellama:7b-code', 'codellama'],
    ['deepseek-coder-v2:16b', 'deepseek'],
    ['deepseek-chat', 'deepseek'],
    ['codestral-latest', 'codestral'],
    ['codegemma:2b-code', 'codegemma'],
    ['granite-code:3b', 'granite'],
    ['stable-code:3b-code', 'stablecode'],
    ['starcoder2:3b', 'starcoder'],
    ['bigcode/starcoder', 'starcoder'],
  ])('%s → %s', (name, family) => {
    expect(detectFromModelName(name)?.family).toBe(family);
  });

  it('unknown names → undefined', () => {
    expect(detectFromModelName('llama3.1:8b')).toBeUndefined();
    expect(detectFromModelName('gpt-3.5-turbo-instruct')).toBeUndefined();
  });
});

describe('chooseFim', () => {
  it('explicit settings win: native, or a family template', () => {
    expect(chooseFim('native', { modelName: 'qwen2.5-coder' }, true)).toMatchObject({
      mode: 'native',
      family: 'qwen',
      confident: true,
    });
    expect(chooseFim('codellama', { modelName: 'qwen2.5-coder' }, true)).toMatchObject({
      mode: 'template',
      family: 'codellama',
    });
  });

  it('auto: a server that does FIM for the model → native, with the family for stop tokens', () => {
    expect(
      chooseFim(
        'auto',
        { modelName: 'qwen2.5-coder:1.5b', serverTemplate: OLLAMA.qwen25coder, serverDoesFim: true },
        true,
      ),
    ).toMatchObject({
      mode: 'native',
      family: 'qwen',
      confident: true,
    });
  });

  it('auto: server evidence beats the name', () => {
    expect(chooseFim('auto', { modelName: 'my-finetune', tokens: '<PRE> <SUF> <MID>' }, true)).toMatchObject({
      mode: 'template',
      family: 'codellama',
    });
    expect(
      chooseFim('auto', { modelName: 'qwen-coder-renamed', serverTemplate: OLLAMA.codellamaCode }, true),
    ).toMatchObject({ family: 'codellama' });
  });

  it('auto: no FIM in the server template → the name picks the template (Ollama deepseek-coder)', () => {
    const c = chooseFim(
      'auto',
      { modelName: 'deepseek-coder:1.3b-base', serverTemplate: OLLAMA.deepseekCoder, serverDoesFim: false },
      true,
    );
    expect(c).toMatchObject({ mode: 'template', family: 'deepseek' });
    expect(c.note).toMatch(/model name/);
  });

  it('auto: nothing known → native FIM field, marked unsure, and the note says what to set', () => {
    const c = chooseFim('auto', { modelName: 'llama3.1:8b' }, true);
    expect(c).toMatchObject({ mode: 'native', confident: false });
    expect(c.family).toBeUndefined();
    expect(c.note).toMatch(/unsure/);
    expect(c.note).toMatch(/fimTemplate/);
  });
});
