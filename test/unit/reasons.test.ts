import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainReason, reasonFix, reasonsMarkdownTable, reasonSays, REJECTION_REASONS } from '../../src/core/reasons';

const README = path.resolve(__dirname, '../../README.md');
const BLOCK = /(<!-- reasons:start[^\n]*-->\n)([\s\S]*?)(<!-- reasons:end -->)/;

describe('rejection reasons', () => {
  it('each says in plain words what happened: no codes, no slashes, no markdown', () => {
    for (const [reason, r] of Object.entries(REJECTION_REASONS)) {
      expect(r.says, reason).not.toMatch(/[`*/]|\b[a-z]+-[a-z]+\b/);
    }
  });

  it('the status bar explanation adds the detail only when it says more', () => {
    expect(explainReason('line-complete', 'the line is complete: nothing to add to it')).toBe(
      'the line is already complete',
    );
    expect(explainReason('empty', 'the model returned no text')).toBe('the model returned nothing');
    expect(explainReason('suffix-duplicate', 'the completion only repeats text that follows the cursor')).toBe(
      'the suggestion only repeated the code after the cursor (the completion only repeats text that follows the cursor)',
    );
    expect(explainReason('unreachable', 'connect ECONNREFUSED 127.0.0.1:1')).toBe(
      'the backend is not reachable (connect ECONNREFUSED 127.0.0.1:1)',
    );
    expect(explainReason('empty', 'The model returned nothing.')).toBe('the model returned nothing');
    expect(reasonSays('some-future-reason')).toBe('some-future-reason');
    expect(reasonFix('auth')).toBe(
      'missing or wrong API key: Tessera: Set API Key… (a key saved for another server is not sent there until you agree)',
    );
  });

  it("the README's troubleshooting table is the one generated from them", () => {
    const readme = fs.readFileSync(README, 'utf8');
    const m = BLOCK.exec(readme);
    expect(m, 'README has no <!-- reasons:start --> … <!-- reasons:end --> block').toBeTruthy();
    const want = `${reasonsMarkdownTable()}\n`;
    if (process.env.TESSERA_UPDATE_DOCS && m![2] !== want)
      fs.writeFileSync(README, readme.replace(BLOCK, `$1${want}$3`));
    else
      expect(
        m![2],
        'README troubleshooting table is out of date: run TESSERA_UPDATE_DOCS=1 npx vitest run test/unit/reasons.test.ts',
      ).toBe(want);
  });
});
