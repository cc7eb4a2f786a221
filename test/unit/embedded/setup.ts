/**
 * Shared setup for embedded-model tests: tiny GGUF models in a temp dir and the child worker bundled the way
 * esbuild.config.mjs bundles it (ESM, node-llama-cpp external), placed under node_modules/.cache so that its
 * `import('node-llama-cpp')` resolves like the shipped dist/embedded-worker.mjs does.
 */
import * as esbuild from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeTinyGguf, type TinyGgufInfo, type TinyGgufOptions } from '../../fixtures/gguf/tiny-gguf.cjs';
import { parseProfile, type BackendProfile } from '../../../src/core/config';

export const REPO = path.resolve(__dirname, '../../..');

export interface Fixtures {
  dir: string;
  workerPath: string;
  model(name: string, opts?: TinyGgufOptions): TinyGgufInfo;
  cleanup(): void;
}

export async function makeFixtures(): Promise<Fixtures> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tessera-embedded-'));
  const workerDir = path.join(REPO, 'node_modules', '.cache', 'tessera-test');
  mkdirSync(workerDir, { recursive: true });
  const workerPath = path.join(workerDir, `embedded-worker-${process.pid}.mjs`);
  await esbuild.build({
    entryPoints: [path.join(REPO, 'src/embedded/worker.ts')],
    outfile: workerPath,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: ['node-llama-cpp', '@node-llama-cpp/*'],
    logLevel: 'warning',
  });
  return {
    dir,
    workerPath,
    model: (name, opts) => writeTinyGguf(path.join(dir, `${name}.gguf`), opts),
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
      rmSync(workerPath, { force: true });
    },
  };
}

export function embeddedProfile(modelPath: string, extra: Record<string, unknown> = {}): BackendProfile {
  return parseProfile({
    name: 'tiny',
    kind: 'embedded',
    modelPath,
    threads: 1,
    timeoutMs: 30_000,
    temperature: 0,
    ...extra,
  });
}
