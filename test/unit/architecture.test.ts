import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : /\.(ts|mts|cts|js|mjs)$/.test(name) ? [p] : [];
  });
}

describe('functional core, imperative shell', () => {
  it('nothing under src/core imports vscode', () => {
    const offenders = walk(join(__dirname, '../../src/core')).filter((f) =>
      /(from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('the check itself catches an import of vscode', () => {
    const re = /(from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/;
    expect(re.test("import * as vscode from 'vscode';")).toBe(true);
    expect(re.test("const v = require('vscode')")).toBe(true);
    expect(re.test("import { x } from './vscode-like'")).toBe(false);
  });
});
