// The ghost-text life cycle of the Python scenario, in a TypeScript file.
import { ghostTextLifeCycle } from '../flows.mjs';

export const name = 'typescript: ghost text from the model, Esc dismisses, Tab accepts, saved to disk';

export async function run(ctx) {
  await ghostTextLifeCycle(ctx, {
    file: 'src/math.ts',
    before: 'export ',
    after: '\n}\n\nconsole.log(add(1, 2));\n',
    typed: 'function add(a: number, b: number): number {\n    ',
    completion: 'return a + b;',
    screenshot: 'typescript-ghost-text',
  });
}
