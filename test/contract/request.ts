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
