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

  it('regressions from the 100k run: stray carriage returns at line ends', async () => {
    const cases = [
      {
        language: 'go',
        prefix: 'var xs = []int{1, 2, 3}\n  ',
        suffix: '\ntype S struct {\n\tA int\n}\n',
        completion: '/*. x3.1442 \r\r\nif!.endx 42 fn*/',
      },
      {
        language: 'shellscript',
        prefix: '[\n ',
        suffix: '    \n',
        completion: '\r\n \r\r\n- * \r\n    letdef\t else!def// ::$x >  { [ > 3.14   😀 ',
      },
      {
        language: 'lua',
        prefix: "return// + ]](//   '\n    ",
        suffix: '\nfor i = 1, 3 do\n  print(i)\nend\n',
        completion: "*/for  : ': !\r\n for\t \r\r\n; \r\r\n /' fn function\r\n) \r\n    : 3.14 def",
      },
    ];
    for (const c of cases) expect((await checkCase(c)).failure).toBeUndefined();
  });

  it('regressions: a whole text on a broken document that leaves errors around the hole is not shown', async () => {
    const cases = [
      {
        language: 'javascript',
        prefix: 'const o = { a: 1, b: [2, 3] };\n    ',
        suffix: '\n# \n    [\r\n  < ]}?( \\ \nconst g = (a) => `t${a}`;\n',
        completion: 't${a}`;\n',
      },
      {
        language: 'java',
        prefix: 'class B {\n    void g() {\n        try {\n            h();\n    ',
        suffix: "\n        } catch (Exception e) {\n            e.printStackTrace();\n        }\n    }\n}\n' ./ \n",
        completion: '$x const&&"\\ return=> const\n     end\n "@ ; /;for ',
      },
    ];
    for (const c of cases) expect((await checkCase(c)).failure).toBeUndefined();
  });
});
