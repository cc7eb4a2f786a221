/** Degenerate repeats are dropped. */
import { describe, expect, it } from 'vitest';
import { postfilter } from '../../../src/core/postfilter';
import { findRepetition, repeatsPrefix } from '../../../src/core/postfilter/rules/repetition';

describe('repetition rule', () => {
  it('finds a line repeated three times and a block repeated twice', () => {
    const line = 'total = f(x)\ntotal = f(x)\ntotal = f(x)';
    expect(line.slice(0, findRepetition(line))).toBe('total = f(x)');
    const block = 'x = load(a)\ny = parse(x)\nx = load(a)\ny = parse(x)';
    expect(block.slice(0, findRepetition(block))).toBe('x = load(a)\ny = parse(x)');
  });
  it('leaves legitimate repeats alone (closers, two identical short lines)', () => {
    expect(findRepetition('}\n}\n}')).toBe(-1);
    expect(findRepetition('i++;\ni++;')).toBe(-1);
    expect(findRepetition('print("a")\nprint("b")\nprint("c")')).toBe(-1);
  });
  it('rejects a completion that repeats the lines just before the cursor', async () => {
    expect(repeatsPrefix('total += x\nreturn total', 'def f(xs):\n    total = 0\n    for x in xs:\n        ')).toBe(
      false,
    );
    expect(repeatsPrefix('total = 0\nfor x in xs:\n', 'def f(xs):\n    total = 0\n    for x in xs:\n        ')).toBe(
      true,
    );
    const prefix = 'def f(xs):\n    total = compute(xs)\n    print(total)\n    ';
    const r = await postfilter({
      language: 'python',
      prefix,
      suffix: '\n',
      completion: 'total = compute(xs)\n    print(total)\n    return total',
    });
    expect(r).toMatchObject({ kind: 'rejection', reason: 'repetition' });
  });
  it('end to end: a looping model shows one copy', async () => {
    const r = await postfilter({
      language: 'python',
      prefix: 'def f(xs):\n    ',
      suffix: '\n    return out\n',
      completion: 'out.append(xs.pop())\n    out.append(xs.pop())\n    out.append(xs.pop())\n    out.append(xs.pop())',
    });
    expect(r).toMatchObject({ kind: 'ok', completion: 'out.append(xs.pop())' });
  });
});
