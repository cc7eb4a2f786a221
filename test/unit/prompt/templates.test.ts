import { describe, expect, it } from 'vitest';
import { FIM_TEMPLATES } from '../../../src/core/config';
import { clientStops, FIM_FAMILIES, renderFim, stopsFor, TEMPLATES } from '../../../src/core/prompt/templates';

const prefix = 'def add(a, b):\n    ';
const suffix = '\n\nprint(add(1, 2))\n';

describe('FIM templates render exactly what each family was trained on', () => {
  const golden: Record<string, string> = {
    starcoder: '<fim_prefix>def add(a, b):\n    <fim_suffix>\n\nprint(add(1, 2))\n<fim_middle>',
    granite: '<fim_prefix>def add(a, b):\n    <fim_suffix>\n\nprint(add(1, 2))\n<fim_middle>',
    stablecode: '<fim_prefix>def add(a, b):\n    <fim_suffix>\n\nprint(add(1, 2))\n<fim_middle>',
    codellama: '<PRE> def add(a, b):\n     <SUF>\n\nprint(add(1, 2))\n <MID>',
    deepseek: '<｜fim▁begin｜>def add(a, b):\n    <｜fim▁hole｜>\n\nprint(add(1, 2))\n<｜fim▁end｜>',
    qwen: '<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n\nprint(add(1, 2))\n<|fim_middle|>',
    codestral: '[SUFFIX]\n\nprint(add(1, 2))\n[PREFIX]def add(a, b):\n    ',
    codegemma: '<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n\nprint(add(1, 2))\n<|fim_middle|>',
  };

  for (const family of FIM_FAMILIES) {
    it(`${family}`, () => {
      expect(renderFim(family, { prefix, suffix })).toBe(golden[family]);
    });
  }

  it('DeepSeek uses the full-width bar and the lower-one-eighth block, not ASCII look-alikes', () => {
    const s = renderFim('deepseek', { prefix: 'a', suffix: 'b' });
    expect(s.codePointAt(1)).toBe(0xff5c);
    expect(s).toContain('\u2581');
    expect(s).not.toContain('<|fim');
  });

  it('Qwen repository form carries other files with <|file_sep|> before the current file', () => {
    const s = renderFim('qwen', {
      prefix: 'from util import sq\nprint(',
      suffix: ')\n',
      filename: 'src/main.py',
      repoName: 'demo',
      extra: [{ filename: 'src/util.py', text: 'def sq(x):\n    return x * x' }],
    });
    expect(s).toBe(
      '<|repo_name|>demo\n' +
        '<|file_sep|>src/util.py\ndef sq(x):\n    return x * x\n' +
        '<|file_sep|>src/main.py\n<|fim_prefix|>from util import sq\nprint(<|fim_suffix|>)\n<|fim_middle|>',
    );
  });

  it('every family is a fimTemplate value, and each template stops at its own FIM markers', () => {
    for (const f of FIM_FAMILIES) {
      expect(FIM_TEMPLATES).toContain(f);
      for (const m of TEMPLATES[f].markers.filter((x) => /fim|PRE|SUF|MID|SUFFIX|PREFIX/.test(x)))
        expect(TEMPLATES[f].stop).toContain(m);
    }
    expect(TEMPLATES.qwen.stop).toContain('<|endoftext|>');
    expect(TEMPLATES.qwen.stop).toContain('<|file_sep|>');
    expect(TEMPLATES.codellama.stop).toContain('<EOT>');
    expect(TEMPLATES.deepseek.stop).toContain('<｜end▁of▁sentence｜>');
    expect(TEMPLATES.codegemma.stop).toContain('<|file_separator|>');
    expect(TEMPLATES.starcoder.stop).toContain('<file_sep>');
  });

  it('request stops come first (a server that caps the list keeps them), without duplicates', () => {
    expect(stopsFor('qwen', ['\n', '<|endoftext|>']).slice(0, 3)).toEqual(['\n', '<|endoftext|>', '<|fim_prefix|>']);
    expect(stopsFor(undefined, ['\n\n'])).toEqual(['\n\n']);
  });

  it('client stops add universal special tokens but not family tokens that occur in real code', () => {
    const generic = clientStops(undefined, []);
    expect(generic).toContain('<|endoftext|>');
    expect(generic).toContain('<｜fim▁hole｜>');
    expect(generic).not.toContain('<PRE>'); // an HTML <PRE> tag
    expect(generic).not.toContain('[PREFIX]'); // a Python list literal
    expect(generic).not.toContain('</s>'); // an HTML strike-through
    expect(clientStops('codellama', [])).toContain('<PRE>');
  });
});
