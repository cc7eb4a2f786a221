/**
 * Document texts by version: an open file offered to every prompt is read out of the editor once per edit, not
 * once per request. Texts longer than `maxChars` are not kept (they are never used whole).
 */
export class VersionedTextCache {
  private readonly texts = new Map<string, { version: number; text: string }>();

  constructor(private readonly maxChars: number) {}

  /** The text of `key` at `version`: the kept one, or `read()` (kept when short enough). */
  get(key: string, version: number, read: () => string): string {
    const hit = this.texts.get(key);
    if (hit && hit.version === version) return hit.text;
    const text = read();
    if (text.length <= this.maxChars) this.texts.set(key, { version, text });
    else this.texts.delete(key);
    return text;
  }

  /** The document was closed. */
  forget(key: string): void {
    this.texts.delete(key);
  }
}
