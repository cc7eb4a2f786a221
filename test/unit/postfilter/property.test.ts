/**
 * Property test: random documents × random completions in every grammar (see ./fuzz). The benchmark runs the
 * same generator over ≥100k cases; here a few hundred per run keep it to seconds.
 */
import { describe, expect, it } from 'vitest';
import { FUZZ_LANGUAGES, checkCase, randomCase, rngFrom } from './fuzz';

const PER_LANGUAGE = 40;

describe('post-filter properties (fuzz)', () => {
  for (const language of FUZZ_LANGUAGES) {
    it(`${language}: never throws, returns a prefix or nothing, never adds parse errors`, async () => {
      const rng = rngFrom(0x7e55 + language.length * 7919 + language.charCodeAt(0));
      const failures: string[] = [];
      for (let i = 0; i < PER_LANGUAGE; i++) {
        const input = randomCase(rng, language);
        const out = await checkCase(input);
        if (out.failure) failures.push(`${out.failure}\n  input: ${JSON.stringify(input)}`);
      }
      expect(failures.slice(0, 3).join('\n\n')).toBe('');
    });
  }
});
