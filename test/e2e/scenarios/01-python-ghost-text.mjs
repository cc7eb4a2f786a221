// Ghost text in a Python file from the loopback OpenAI-compatible server; Esc, Alt+\, Tab, save.
import { ghostTextLifeCycle } from '../flows.mjs';

export const name = 'python: ghost text from the model, Esc dismisses, Tab accepts, saved to disk';

export async function run(ctx) {
  await ghostTextLifeCycle(ctx, {
    file: 'calc.py',
    before: '',
    after: '\n\nprint(add(1, 2))\n',
    typed: 'def add(a, b):\n    ',
    completion: 'return a + b',
    screenshot: 'python-ghost-text',
  });
}
