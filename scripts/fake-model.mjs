// `npm start -- --fake-model`: a loopback stand-in for a model server (OpenAI-compatible /v1/completions) that
// knows the answers to the gaps in the sample workspace's files, and nothing else. For demos without a model.
import { startModelServer } from '../test/e2e/model-server.mjs';

/** The sample files' gaps: what the text before the cursor ends with, and the answer. */
export const SAMPLE_GAPS = [
  [/def area\(self\) -> float:\n\s+$/, 'return self.width * self.height'],
  [/total\(\): number \{\n\s+$/, 'return this.items.reduce((sum, i) => sum + i.price * i.quantity, 0);'],
  [/if \(n < 2\) return n;\n\s+$/, 'return fibonacci(n - 1) + fibonacci(n - 2);'],
  [
    /runes := \[\]rune\(s\)\n\s+$/,
    'for i, j := 0, len(runes)-1; i < j; i, j = i+1, j-1 {\n\t\trunes[i], runes[j] = runes[j], runes[i]\n\t}',
  ],
  [/fn gcd\(a: u64, b: u64\) -> u64 \{\n\s+$/, 'if b == 0 { a } else { gcd(b, a % b) }'],
];

/**
 * The answer for a completion request: at a gap, the whole answer; after the user has typed the start of it
 * ("ret" at the gap), the rest ("urn self.width * …"); elsewhere nothing.
 */
export function sampleAnswer(prompt) {
  for (const [gap, answer] of SAMPLE_GAPS) {
    // Every typed length, longest first: the text before it must be the gap and the typed part must match.
    for (let k = answer.length; k >= 0; k--) {
      if (prompt.endsWith(answer.slice(0, k)) && gap.test(prompt.slice(0, prompt.length - k))) return answer.slice(k);
    }
  }
  return '';
}

export function startFakeModel(port) {
  return startModelServer({ port, respond: (body) => sampleAnswer(String(body?.prompt ?? '')) });
}
