/** The GGUF header reader: FIM tokens from metadata or token text, and clear errors for broken files. */
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GgufError, readGgufInfo } from '../../../src/core/backends/embedded/gguf';
import { writeTinyGguf, type TinyGgufInfo } from '../../fixtures/gguf/tiny-gguf.cjs';

let dir: string;
let base: TinyGgufInfo;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tessera-gguf-'));
  base = writeTinyGguf(path.join(dir, 'base.gguf'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const err = (p: Promise<unknown>) =>
  p.then(
    () => undefined as unknown as GgufError,
    (e: GgufError) => e,
  );

describe('GGUF header reader', () => {
  it('reads architecture, context length, vocabulary and the expected size', async () => {
    const info = await readGgufInfo(base.path);
    expect(info).toMatchObject({
      version: 3,
      architecture: 'llama',
      name: 'tessera-tiny-fim',
      contextLength: 4096,
      vocabSize: 320,
      eosId: 282,
    });
    expect(info.expectedBytes).toBe(base.bytes);
    expect(info.fim).toEqual({
      prefix: { id: 283, text: '<|fim_prefix|>' },
      suffix: { id: 285, text: '<|fim_suffix|>' },
      middle: { id: 284, text: '<|fim_middle|>' },
      source: 'metadata',
    });
  });

  it('finds FIM tokens by their text when the explicit keys are missing', async () => {
    const p = path.join(dir, 'nokeys.gguf');
    writeTinyGguf(p, { fimKeys: false });
    expect((await readGgufInfo(p)).fim).toMatchObject({
      prefix: { id: 283 },
      middle: { id: 284 },
      source: 'token-text',
    });
    const q = path.join(dir, 'nofim.gguf');
    writeTinyGguf(q, { fim: false });
    expect((await readGgufInfo(q)).fim).toBeUndefined();
  });

  it('explains truncation in the tensor data and in the header', async () => {
    const p = path.join(dir, 'cut.gguf');
    writeFileSync(p, readFileSync(base.path));
    truncateSync(p, base.bytes - 1000);
    const e = await err(readGgufInfo(p));
    expect(e.reason).toBe('truncated');
    expect(e.message).toContain(`${base.bytes - 1000} bytes on disk, the model needs ${base.bytes}`);
    truncateSync(p, 3000); // inside the token list
    expect((await err(readGgufInfo(p))).reason).toBe('truncated');
    truncateSync(p, 10);
    expect((await err(readGgufInfo(p))).message).toMatch(/too short to be a GGUF model \(10 bytes\)/);
  });

  it('refuses other files and absurd counts', async () => {
    const p = path.join(dir, 'x.bin');
    writeFileSync(p, Buffer.alloc(64, 0x41));
    expect((await err(readGgufInfo(p))).reason).toBe('not-gguf');
    const q = path.join(dir, 'v9.gguf');
    const b = readFileSync(base.path);
    b.writeUInt32LE(9, 4);
    writeFileSync(q, b);
    expect((await err(readGgufInfo(q))).message).toMatch(/GGUF version 9 is not supported/);
    const r = path.join(dir, 'count.gguf');
    const c = readFileSync(base.path);
    c.writeBigUInt64LE(1n << 60n, 16); // metadata count
    writeFileSync(r, c);
    expect((await err(readGgufInfo(r))).reason).toBe('corrupt');
  });
});
