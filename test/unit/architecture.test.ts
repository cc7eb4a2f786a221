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

  it('the extension never imports the simulation (src/sim is for the replay CLI and the benchmarks)', () => {
    const src = join(__dirname, '../../src');
    const files = [...walk(join(src, 'core')), ...walk(join(src, 'vscode')), join(src, 'extension.ts')];
    const importsSim = /from\s+['"][./]+sim(?:\/|['"])/;
    expect(importsSim.test("import { replay } from '../../sim/replay';")).toBe(true);
    expect(importsSim.test("import { x } from './simple';")).toBe(false);
    const offenders = files.filter((f) => importsSim.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the scheduler does not import the pipeline (the pipeline runs below it, handed in as a function)', () => {
    const offenders = walk(join(__dirname, '../../src/core/scheduling')).filter((f) => /from\s+['"]\.\.\/pipeline['"]/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the check itself catches an import of vscode', () => {
    const re = /(from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/;
    expect(re.test("import * as vscode from 'vscode';")).toBe(true);
    expect(re.test("const v = require('vscode')")).toBe(true);
    expect(re.test("import { x } from './vscode-like'")).toBe(false);
  });
});
