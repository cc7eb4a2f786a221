/**
 * How likely a name the prompt does not show yet is to be in the code the model writes at the cursor: the value of
 * a piece of far code is the sum of this over the new names it brings.
 *
 * Measured on holes cut in long real files (bench/context-recall.bench.ts; Python standard library, TypeScript
 * from node_modules): of the names in the file that a nearest-lines window lacks, those the answer uses are
 *   - the frequent ones: per name, ~0.5‰ for a name that occurs once in the file, 0.9‰ twice, 1.3‰ 3–5 times,
 *     2.7‰ 6–20 times, 5‰ 21–100 times and more above;
 *   - the ones of the enclosing function (8× the rate of the others; 3× in TypeScript) and of the enclosing type
 *     (class, struct, impl: 1.8×);
 *   - the ones used close to the window (within NEAR_CHARS of it): code near the cursor is about the same things.
 *     Per name, 0.65‰ vs 0.31‰ for all others in Python, 2.4‰ vs 0.55‰ in TypeScript, 1.3‰ vs 0.37‰ in JavaScript
 *     (names used only 40,000 characters or more away: 0.1–0.26‰); about 3×, whatever the scope.
 * Only the ratios matter here (values are compared with each other and with more nearby lines), so the weights
 * below are those rates rounded.
 */

/** Weight of a name by how often it occurs in the document. */
export function frequencyWeight(count: number): number {
  if (count <= 1) return 0.5;
  if (count === 2) return 0.9;
  if (count <= 5) return 1.3;
  if (count <= 20) return 2.7;
  if (count <= 100) return 5;
  return 8;
}

/** Weight of a name by where else it occurs: in the enclosing function, the enclosing type, or elsewhere. */
export const SCOPE_WEIGHT = { function: 8, type: 1.8, elsewhere: 0.8 } as const;

/** Characters on each side of the window where a name counts as used close to it, and its weight there. */
export const NEAR_CHARS = 5_000;
const NEAR_WEIGHT = 3;

export interface NameModel {
  /** Occurrences of each word in the document. */
  counts: ReadonlyMap<string, number>;
  /** Names used in the enclosing function and type (outside the part the prompt already shows, or not). */
  inFunction: ReadonlySet<string>;
  inType: ReadonlySet<string>;
  /** Names used within NEAR_CHARS of the window. */
  near: ReadonlySet<string>;
}

/** The weight of one name the prompt lacks. */
export function nameWeight(model: NameModel, name: string): number {
  const scope = model.inFunction.has(name)
    ? SCOPE_WEIGHT.function
    : model.inType.has(name)
      ? SCOPE_WEIGHT.type
      : SCOPE_WEIGHT.elsewhere;
  return frequencyWeight(model.counts.get(name) ?? 1) * scope * (model.near.has(name) ? NEAR_WEIGHT : 1);
}
