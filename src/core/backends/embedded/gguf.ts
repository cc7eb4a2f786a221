/**
 * A small GGUF (v2/v3) header reader: metadata, tensor table and the byte size the file must have.
 * Used before a model reaches llama.cpp, so a wrong, corrupt or truncated file gets a clear message instead of
 * a native failure, and so the FIM tokens come from the model's own metadata.
 */
import { open } from 'node:fs/promises';

export class GgufError extends Error {
  constructor(
    readonly reason: 'not-found' | 'not-gguf' | 'unsupported-version' | 'corrupt' | 'truncated' | 'no-fim',
    message: string,
  ) {
    super(message);
    this.name = 'GgufError';
  }
}

export interface FimTokens {
  prefix: { id: number; text: string };
  suffix: { id: number; text: string };
  middle: { id: number; text: string };
  /** Where the ids came from: explicit `tokenizer.ggml.fim_*_token_id` keys, or well-known token texts. */
  source: 'metadata' | 'token-text';
}

export interface GgufInfo {
  version: number;
  architecture: string;
  name?: string;
  contextLength?: number;
  fileBytes: number;
  /** Bytes the header says the file must have (end of the last tensor's data). */
  expectedBytes: number;
  tensorCount: number;
  vocabSize: number;
  eosId?: number;
  fim?: FimTokens;
  /** Scalar metadata (arrays are summarised as their length). */
  metadata: Record<string, string | number | boolean | bigint | { array: number }>;
}

// ggml type → [block size (elements), bytes per block]
const GGML_TYPE_SIZE: Record<number, [number, number]> = {
  0: [1, 4],
  1: [1, 2],
  2: [32, 18],
  3: [32, 20],
  6: [32, 22],
  7: [32, 24],
  8: [32, 34],
  9: [32, 36],
  10: [256, 84],
  11: [256, 110],
  12: [256, 144],
  13: [256, 176],
  14: [256, 210],
  15: [256, 292],
  16: [256, 66],
  17: [256, 74],
  18: [256, 98],
  19: [256, 50],
  20: [32, 18],
  21: [256, 110],
  22: [256, 82],
  23: [256, 136],
  24: [1, 1],
  25: [1, 2],
  26: [1, 4],
  27: [1, 8],
  28: [1, 8],
  29: [256, 56],
  30: [1, 2],
  34: [256, 54],
  35: [256, 66],
  39: [32, 17],
};

/** Well-known FIM token texts, by family, for files without explicit fim_* keys. */
const FIM_TEXTS: [string, string, string][] = [
  ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>'], // Qwen2.5-Coder, Granite
  ['<fim_prefix>', '<fim_suffix>', '<fim_middle>'], // StarCoder, SantaCoder
  ['<｜fim▁begin｜>', '<｜fim▁hole｜>', '<｜fim▁end｜>'], // DeepSeek-Coder
  ['▁<PRE>', '▁<SUF>', '▁<MID>'], // CodeLlama
  ['<PRE>', '<SUF>', '<MID>'],
  ['[PREFIX]', '[SUFFIX]', '[MIDDLE]'], // Codestral
  ['<|fim_begin|>', '<|fim_hole|>', '<|fim_end|>'],
];

const MAX_HEADER_BYTES = 256 * 1024 * 1024;

/** Buffered reader over a file handle that grows its window on demand. */
class Reader {
  private buf = Buffer.alloc(0);
  private bufStart = 0;
  pos = 0;
  constructor(
    private readonly fh: import('node:fs/promises').FileHandle,
    readonly size: number,
    private readonly path: string,
  ) {}
  private async ensure(n: number): Promise<void> {
    const need = this.pos + n;
    if (need > this.size) {
      throw new GgufError(
        'truncated',
        `${this.path} is truncated: its header ends after ${this.size} bytes (download it again)`,
      );
    }
    if (need <= this.bufStart + this.buf.length) return;
    if (need > MAX_HEADER_BYTES)
      throw new GgufError('corrupt', `${this.path}: GGUF header larger than ${MAX_HEADER_BYTES} bytes`);
    const start = this.pos;
    const len = Math.min(this.size - start, Math.max(n, 1 << 20));
    const b = Buffer.alloc(len);
    const { bytesRead } = await this.fh.read(b, 0, len, start);
    this.buf = b.subarray(0, bytesRead);
    this.bufStart = start;
    if (this.pos + n > this.bufStart + this.buf.length) throw new GgufError('truncated', `${this.path} is truncated`);
  }
  private at(): number {
    return this.pos - this.bufStart;
  }
  async u8() {
    await this.ensure(1);
    const v = this.buf.readUInt8(this.at());
    this.pos += 1;
    return v;
  }
  async i8() {
    await this.ensure(1);
    const v = this.buf.readInt8(this.at());
    this.pos += 1;
    return v;
  }
  async u16() {
    await this.ensure(2);
    const v = this.buf.readUInt16LE(this.at());
    this.pos += 2;
    return v;
  }
  async i16() {
    await this.ensure(2);
    const v = this.buf.readInt16LE(this.at());
    this.pos += 2;
    return v;
  }
  async u32() {
    await this.ensure(4);
    const v = this.buf.readUInt32LE(this.at());
    this.pos += 4;
    return v;
  }
  async i32() {
    await this.ensure(4);
    const v = this.buf.readInt32LE(this.at());
    this.pos += 4;
    return v;
  }
  async f32() {
    await this.ensure(4);
    const v = this.buf.readFloatLE(this.at());
    this.pos += 4;
    return v;
  }
  async u64() {
    await this.ensure(8);
    const v = this.buf.readBigUInt64LE(this.at());
    this.pos += 8;
    return v;
  }
  async i64() {
    await this.ensure(8);
    const v = this.buf.readBigInt64LE(this.at());
    this.pos += 8;
    return v;
  }
  async f64() {
    await this.ensure(8);
    const v = this.buf.readDoubleLE(this.at());
    this.pos += 8;
    return v;
  }
  async count(what: string): Promise<number> {
    const v = await this.u64();
    if (v > BigInt(this.size))
      throw new GgufError('corrupt', `${this.path} is corrupt: ${what} count ${v} exceeds the file size`);
    return Number(v);
  }
  async str(): Promise<string> {
    const n = await this.count('string length');
    await this.ensure(n);
    const s = this.buf.toString('utf8', this.at(), this.at() + n);
    this.pos += n;
    return s;
  }
}

type Scalar = string | number | boolean | bigint;

async function readValue(r: Reader, type: number): Promise<Scalar> {
  switch (type) {
    case 0:
      return r.u8();
    case 1:
      return r.i8();
    case 2:
      return r.u16();
    case 3:
      return r.i16();
    case 4:
      return r.u32();
    case 5:
      return r.i32();
    case 6:
      return r.f32();
    case 7:
      return (await r.u8()) !== 0;
    case 8:
      return r.str();
    case 10:
      return r.u64();
    case 11:
      return r.i64();
    case 12:
      return r.f64();
    default:
      throw new GgufError('corrupt', `unknown GGUF value type ${type}`);
  }
}

/** Reads and checks a GGUF file's header. Throws GgufError with a sentence a user can act on. */
export async function readGgufInfo(path: string): Promise<GgufInfo> {
  let fh: import('node:fs/promises').FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw new GgufError(
      'not-found',
      `model file ${path} cannot be opened: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  try {
    const size = (await fh.stat()).size;
    const r = new Reader(fh, size, path);
    if (size < 24) throw new GgufError('truncated', `${path} is too short to be a GGUF model (${size} bytes)`);
    const magic = Buffer.from([await r.u8(), await r.u8(), await r.u8(), await r.u8()]).toString('latin1');
    if (magic !== 'GGUF')
      throw new GgufError(
        'not-gguf',
        `${path} is not a GGUF model file (it starts with ${JSON.stringify(magic)}, not "GGUF")`,
      );
    const version = await r.u32();
    if (version < 2 || version > 3)
      throw new GgufError('unsupported-version', `${path}: GGUF version ${version} is not supported (2 or 3 expected)`);
    const tensorCount = await r.count('tensor');
    const kvCount = await r.count('metadata');
    const metadata: GgufInfo['metadata'] = {};
    let tokens: string[] | undefined;
    for (let i = 0; i < kvCount; i++) {
      const key = await r.str();
      const type = await r.u32();
      if (type === 9) {
        const elemType = await r.u32();
        const n = await r.count(`${key} array`);
        const keep = key === 'tokenizer.ggml.tokens' && elemType === 8;
        const items: string[] = [];
        for (let j = 0; j < n; j++) {
          const v = await readValue(r, elemType);
          if (keep) items.push(v as string);
        }
        if (keep) tokens = items;
        metadata[key] = { array: n };
      } else {
        metadata[key] = await readValue(r, type);
      }
    }
    const alignment = Number(metadata['general.alignment'] ?? 32) || 32;
    let dataEnd = 0n;
    for (let i = 0; i < tensorCount; i++) {
      const name = await r.str();
      const nDims = await r.u32();
      if (nDims > 8) throw new GgufError('corrupt', `${path} is corrupt: tensor ${name} has ${nDims} dimensions`);
      let elements = 1n;
      for (let d = 0; d < nDims; d++) elements *= await r.u64();
      const type = await r.u32();
      const offset = await r.u64();
      const ts = GGML_TYPE_SIZE[type];
      if (!ts) continue; // unknown quantisation: llama.cpp will judge it
      const bytes = (elements / BigInt(ts[0])) * BigInt(ts[1]);
      if (offset + bytes > dataEnd) dataEnd = offset + bytes;
    }
    const dataStart = Math.ceil(r.pos / alignment) * alignment;
    const expectedBytes = dataStart + Number(dataEnd);
    if (size < expectedBytes) {
      throw new GgufError(
        'truncated',
        `${path} is truncated: ${size} bytes on disk, the model needs ${expectedBytes} (${Math.round((100 * size) / expectedBytes)}% present; download it again)`,
      );
    }
    const arch = String(metadata['general.architecture'] ?? '');
    const num = (k: string) =>
      typeof metadata[k] === 'number'
        ? (metadata[k] as number)
        : typeof metadata[k] === 'bigint'
          ? Number(metadata[k])
          : undefined;
    return {
      version,
      architecture: arch,
      name: typeof metadata['general.name'] === 'string' ? (metadata['general.name'] as string) : undefined,
      contextLength: num(`${arch}.context_length`),
      fileBytes: size,
      expectedBytes,
      tensorCount,
      vocabSize: tokens?.length ?? 0,
      eosId: num('tokenizer.ggml.eos_token_id'),
      fim: findFimTokens(tokens ?? [], num),
      metadata,
    };
  } finally {
    await fh.close();
  }
}

function findFimTokens(tokens: string[], num: (k: string) => number | undefined): FimTokens | undefined {
  const pre = num('tokenizer.ggml.fim_pre_token_id') ?? num('tokenizer.ggml.prefix_token_id');
  const suf = num('tokenizer.ggml.fim_suf_token_id') ?? num('tokenizer.ggml.suffix_token_id');
  const mid = num('tokenizer.ggml.fim_mid_token_id') ?? num('tokenizer.ggml.middle_token_id');
  if (
    pre !== undefined &&
    suf !== undefined &&
    mid !== undefined &&
    [pre, suf, mid].every((id) => id >= 0 && id < tokens.length)
  ) {
    return {
      prefix: { id: pre, text: tokens[pre] },
      suffix: { id: suf, text: tokens[suf] },
      middle: { id: mid, text: tokens[mid] },
      source: 'metadata',
    };
  }
  const index = new Map<string, number>();
  tokens.forEach((t, i) => {
    if (t.length < 16 && !index.has(t)) index.set(t, i);
  });
  for (const [p, s, m] of FIM_TEXTS) {
    const ids = [index.get(p), index.get(s), index.get(m)];
    if (ids.every((x) => x !== undefined)) {
      return {
        prefix: { id: ids[0]!, text: p },
        suffix: { id: ids[1]!, text: s },
        middle: { id: ids[2]!, text: m },
        source: 'token-text',
      };
    }
  }
  return undefined;
}
