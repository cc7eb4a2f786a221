/**
 * The completion cache: an LRU keyed on the prompt window around the cursor, with typed-ahead hits.
 *
 * A key is the language, the backend, the last PREFIX_KEY_CHARS characters before the cursor and the first
 * SUFFIX_KEY_CHARS after it: the part of the prompt that decides the answer. A lookup first tries the current
 * position, then earlier positions whose suggestion starts with what the user has typed since ("typed-ahead"):
 * typing `ret` through a shown `return x` serves `urn x` without a request.
 */
import { LRUCache } from 'lru-cache';

export const PREFIX_KEY_CHARS = 2000;
export const SUFFIX_KEY_CHARS = 500;
/** Fingerprint sizes: a cheap pre-check before building a full key for a typed-ahead candidate. */
const FP_PREFIX = 24;
const FP_SUFFIX = 24;

export interface CachedCompletion {
  /** The post-filtered suggestion, relative to the position it was asked at. */
  text: string;
  replaceSuffix: number;
  /** Raw model text (for the log). */
  raw: string;
  appliedRules: string[];
  /** The backend request the text came from (for the log and the replay's accounting). */
  requestId?: number;
}

export interface CacheHit {
  entry: CachedCompletion;
  /** Characters typed since the entry's position (0 = exact hit). */
  typed: number;
  /** What is left to show: `entry.text` without the typed characters (may be empty: fully typed through). */
  rest: string;
  /**
   * Characters after the cursor the rest replaces: the entry's own, plus closing brackets/quotes the editor
   * auto-inserted while the user typed ahead (`foo(` became `foo(█)`; the rest `a, b)` replaces that `)`).
   */
  replaceSuffix: number;
}

/** Closing characters an editor auto-inserts after the cursor. */
const AUTO_CLOSED = /^[)\]}"'`>]{1,3}/;

export function cacheKey(scope: string, prefix: string, suffix: string): string {
  return `${scope}\u0001${prefix.slice(-PREFIX_KEY_CHARS)}\u0000${suffix.slice(0, SUFFIX_KEY_CHARS)}`;
}

function fingerprint(scope: string, prefix: string, suffix: string): string {
  return `${scope}\u0001${prefix.slice(-FP_PREFIX)}\u0000${suffix.slice(0, FP_SUFFIX)}`;
}

export class CompletionCache {
  private readonly lru: LRUCache<string, CachedCompletion & { fp: string }>;
  /** fingerprint → number of live entries with it. */
  private readonly fps = new Map<string, number>();
  /** Longest suggestion stored: typed-ahead never looks further back than this. */
  private maxText = 0;

  constructor(max = 500) {
    this.lru = new LRUCache({
      max,
      dispose: (value) => {
        const n = (this.fps.get(value.fp) ?? 1) - 1;
        if (n <= 0) this.fps.delete(value.fp);
        else this.fps.set(value.fp, n);
      },
    });
  }

  get size(): number {
    return this.lru.size;
  }

  set(scope: string, prefix: string, suffix: string, entry: CachedCompletion): void {
    const key = cacheKey(scope, prefix, suffix);
    const fp = fingerprint(scope, prefix, suffix);
    if (this.lru.has(key)) this.lru.delete(key);
    this.lru.set(key, { ...entry, fp });
    this.fps.set(fp, (this.fps.get(fp) ?? 0) + 1);
    this.maxText = Math.max(this.maxText, entry.text.length);
  }

  /**
   * The entry for this position, or for an earlier position on whose suggestion the user typed ahead. Among
   * typed-ahead candidates, the nearest one (fewest typed characters) wins.
   */
  lookup(scope: string, prefix: string, suffix: string, opts: { typedAhead?: boolean } = {}): CacheHit | undefined {
    const exact = this.lru.get(cacheKey(scope, prefix, suffix));
    if (exact) return { entry: exact, typed: 0, rest: exact.text, replaceSuffix: exact.replaceSuffix };
    if (opts.typedAhead === false) return undefined;
    const hit = this.typedAheadLookup(scope, prefix, suffix);
    if (hit) return hit;
    // Typing `(` may have auto-inserted `)` after the cursor: look for the suggestion under the suffix without it.
    const closers = AUTO_CLOSED.exec(suffix)?.[0] ?? '';
    for (let j = closers.length; j > 0; j--) {
      const inserted = closers.slice(0, j);
      const h = this.typedAheadLookup(scope, prefix, suffix.slice(j));
      if (h && h.rest.includes(inserted)) return { ...h, replaceSuffix: h.replaceSuffix + j };
    }
    return undefined;
  }

  private typedAheadLookup(scope: string, prefix: string, suffix: string): CacheHit | undefined {
    const maxBack = Math.min(this.maxText, prefix.length);
    const suffixFp = suffix.slice(0, FP_SUFFIX);
    for (let k = 1; k <= maxBack; k++) {
      const end = prefix.length - k;
      const fp = `${scope}\u0001${prefix.slice(Math.max(0, end - FP_PREFIX), end)}\u0000${suffixFp}`;
      if (!this.fps.has(fp)) continue;
      const entry = this.lru.get(cacheKey(scope, prefix.slice(0, end), suffix));
      if (!entry) continue;
      const typed = prefix.slice(end);
      if (!entry.text.startsWith(typed)) continue;
      return { entry, typed: k, rest: entry.text.slice(k), replaceSuffix: entry.replaceSuffix };
    }
    return undefined;
  }

  clear(): void {
    this.lru.clear();
    this.fps.clear();
    this.maxText = 0;
  }
}
