/** The demo model of `npm start -- --fake-model`: it answers the sample files' gaps, also once typing has begun. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

let sampleAnswer: (prompt: string) => string;
beforeAll(async () => {
  ({ sampleAnswer } = await import('../../../scripts/fake-model.mjs'));
});

const shapes = readFileSync(path.join(__dirname, '../../../samples/workspace/shapes.py'), 'utf8');
const gap =
  shapes.slice(0, shapes.lastIndexOf('def area(self) -> float:\n') + 'def area(self) -> float:\n'.length) + '        ';

describe('fake model', () => {
  it("answers the gap in the sample's shapes.py", () => {
    expect(sampleAnswer(gap)).toBe('return self.width * self.height');
  });

  it('continues the answer the user started typing', () => {
    expect(sampleAnswer(`${gap}r`)).toBe('eturn self.width * self.height');
    expect(sampleAnswer(`${gap}ret`)).toBe('urn self.width * self.height');
    expect(sampleAnswer(`${gap}return self.width * `)).toBe('self.height');
  });

  it('has nothing for text that leaves the answer, or away from a gap', () => {
    expect(sampleAnswer(`${gap}rex`)).toBe('');
    expect(sampleAnswer('x = 1\n')).toBe('');
  });
});
