import type { CompletionRequest } from '../../src/core/backends/types';

/** The request the contract tests send to every backend kind: a Python function body, multi-line. */
export const pythonRequest: CompletionRequest = {
  prefix: 'def add(a, b):\n    ',
  suffix: '\n\nprint(add(1, 2))\n',
  language: 'python',
  maxTokens: 64,
  temperature: 0.2,
  stop: ['\n\n'],
  multiline: true,
};

/** The exact JSON body an OpenAI-style native-FIM endpoint must receive for `pythonRequest` (prompt + suffix fields). */
export function nativeFimBody(model: string): Record<string, unknown> {
  return {
    model,
    prompt: pythonRequest.prefix,
    suffix: pythonRequest.suffix,
    max_tokens: 64,
    temperature: 0.2,
    stream: true,
    stop: ['\n\n'],
  };
}
