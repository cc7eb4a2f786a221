import { afterEach, describe, expect, it, vi } from 'vitest';
import { nonce } from '../../../src/vscode/panel/nonce';

describe('settings panel CSP nonce', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is 144 random bits in base64url (a valid CSP nonce), different each time', () => {
    const seen = new Set(Array.from({ length: 1000 }, nonce));
    expect(seen.size).toBe(1000);
    for (const n of seen) expect(n).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });

  it('does not come from Math.random, whose sequence can be predicted', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(nonce()).not.toBe(nonce());
  });
});
