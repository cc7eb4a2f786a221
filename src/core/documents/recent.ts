/**
 * The documents the user worked in, most recently active first: the order in which other open files are offered
 * to the prompt (the file the user just left is the likeliest to matter).
 */
export class RecentDocuments {
  private readonly keys: string[] = [];

  constructor(private readonly limit = 100) {}

  /** The document became the active one. */
  touch(key: string): void {
    this.forget(key);
    this.keys.unshift(key);
    if (this.keys.length > this.limit) this.keys.length = this.limit;
  }

  /** The document was closed. */
  forget(key: string): void {
    const i = this.keys.indexOf(key);
    if (i >= 0) this.keys.splice(i, 1);
  }

  /** 0 for the most recently active document, Infinity for one never active (or forgotten). */
  rank(key: string): number {
    const i = this.keys.indexOf(key);
    return i < 0 ? Infinity : i;
  }

  /** `items` most recently active first; ones never active keep their order, after the others. */
  order<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
    return items
      .map((item, i) => ({ item, i, r: this.rank(keyOf(item)) }))
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map(({ item }) => item);
  }
}
