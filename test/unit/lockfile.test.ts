import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('package-lock.json', () => {
  it('records every optional dependency, so `npm ci` accepts it on a fresh machine', () => {
    // npm drops optional packages the registry lacks from the lock; `npm ci` then refuses the lock.
    // Fix: node scripts/lock-optional-platforms.mjs
    const lock = JSON.parse(readFileSync(join(__dirname, '../../package-lock.json'), 'utf8'));
    const missing: string[] = [];
    for (const [path, pkg] of Object.entries<{ optionalDependencies?: Record<string, string> }>(lock.packages)) {
      for (const dep of Object.keys(pkg.optionalDependencies ?? {})) {
        if (!lock.packages[`node_modules/${dep}`] && !lock.packages[`${path}/node_modules/${dep}`])
          missing.push(`${path} → ${dep}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
