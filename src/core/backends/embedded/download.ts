/**
 * Model download into the extension's storage: streamed to `<dest>.part`, resumable with an HTTP Range request
 * after an interruption, verified (SHA-256 and GGUF header) before it is renamed into place.
 *
 * The expected SHA-256 is the catalog's pinned value when it has one, else the one the server declares for the
 * file (Hugging Face sends `X-Linked-ETag: "<sha256>"` on the /resolve/ redirect); it is remembered across
 * resumes in `<dest>.part.json`.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { GgufError, readGgufInfo } from './gguf';

export type DownloadErrorReason = 'offline' | 'interrupted' | 'http' | 'not-found' | 'checksum' | 'invalid-file' | 'cancelled' | 'io';

export class DownloadError extends Error {
  constructor(
    readonly reason: DownloadErrorReason,
    message: string,
    readonly options: { status?: number; cause?: unknown } = {},
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

export interface DownloadProgress {
  /** Bytes of the file on disk so far (including a resumed part). */
  received: number;
  /** Total size, when the server says. */
  total?: number;
  /** Average speed of this session, bytes/s. */
  bytesPerSecond: number;
  /** Bytes that were already on disk when this session started. */
  resumedFrom: number;
}

export interface DownloadOptions {
  url: string;
  dest: string;
  /** Pinned SHA-256 (hex). Without it, the server-declared hash is used when there is one. */
  sha256?: string;
  signal: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** Minimum ms between progress events (the last one always comes). Default 250. */
  progressIntervalMs?: number;
  fetch?: typeof fetch;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  sha256: string;
  /** Where the hash to compare came from. */
  verifiedWith: 'pinned' | 'server' | 'none';
  resumedFrom: number;
}

interface PartMeta {
  url: string;
  sha256?: string;
  etag?: string;
  total?: number;
}

const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);
const HEX64 = /^[0-9a-f]{64}$/;

function errCode(err: unknown): string | undefined {
  for (let e: unknown = err, d = 0; e && d < 5; e = (e as { cause?: unknown }).cause, d++) {
    const c = (e as { code?: unknown }).code;
    if (typeof c === 'string') return c;
  }
  return undefined;
}

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Makes the hash of a `"<hex>"` ETag-like header, if it is a SHA-256. */
function declaredSha(value: string | null): string | undefined {
  const v = value?.replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
  return v && HEX64.test(v) ? v : undefined;
}

async function hashFile(file: string, hash: Hash, signal: AbortSignal): Promise<void> {
  for await (const chunk of createReadStream(file)) {
    if (signal.aborted) throw new DownloadError('cancelled', 'download cancelled');
    hash.update(chunk as Buffer);
  }
}

export async function downloadModel(opts: DownloadOptions): Promise<DownloadResult> {
  const { url, dest, signal } = opts;
  const doFetch = opts.fetch ?? fetch;
  const part = `${dest}.part`;
  const metaPath = `${dest}.part.json`;
  const pinned = opts.sha256?.toLowerCase();
  await mkdir(path.dirname(dest), { recursive: true });

  let meta: PartMeta = { url };
  let have = 0;
  try {
    const m = JSON.parse(await readFile(metaPath, 'utf8')) as PartMeta;
    const st = await stat(part);
    if (m.url === url) {
      meta = m;
      have = st.size;
    }
  } catch {
    /* no usable partial download */
  }
  if (have === 0) await rm(part, { force: true });

  const hash = createHash('sha256');
  if (have > 0) await hashFile(part, hash, signal);
  let resumedFrom = have;

  // Follow redirects ourselves: the hash a host declares sits on the redirect response.
  let res: Response | undefined;
  let current = url;
  for (let hop = 0; hop < 8; hop++) {
    const headers: Record<string, string> = { 'user-agent': 'tessera-vscode' };
    if (have > 0) {
      headers.range = `bytes=${have}-`;
      if (meta.etag) headers['if-range'] = meta.etag;
    }
    try {
      res = await doFetch(current, { headers, redirect: 'manual', signal });
    } catch (err) {
      if (signal.aborted) throw new DownloadError('cancelled', 'download cancelled');
      const code = errCode(err);
      if (code && OFFLINE_CODES.has(code)) {
        throw new DownloadError(
          'offline',
          `cannot reach ${host(current)} (${code}): you seem to be offline. Retry when connected (the download resumes where it stopped), or download ${url} yourself and set "modelPath" in a tessera.backends profile of kind "embedded".`,
          { cause: err },
        );
      }
      throw new DownloadError('interrupted', `download from ${host(current)} failed: ${(err as Error).message}${code ? ` (${code})` : ''}`, { cause: err });
    }
    meta.sha256 ??= declaredSha(res.headers.get('x-linked-etag'));
    if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      current = new URL(res.headers.get('location')!, current).toString();
      await res.body?.cancel();
      continue;
    }
    break;
  }
  if (!res) throw new DownloadError('http', 'too many redirects');

  let total: number | undefined;
  let append = false;
  if (res.status === 206) {
    const m = /bytes (\d+)-(\d+)\/(\d+|\*)/.exec(res.headers.get('content-range') ?? '');
    if (!m || Number(m[1]) !== have) {
      await res.body?.cancel();
      throw new DownloadError('http', `the server answered a resume request with an unexpected range (${res.headers.get('content-range')})`);
    }
    total = m[3] === '*' ? undefined : Number(m[3]);
    append = true;
  } else if (res.status === 200) {
    // A fresh download (or a server that ignores Range / a changed file): start over.
    const len = Number(res.headers.get('content-length'));
    total = Number.isFinite(len) && len > 0 ? len : undefined;
    have = 0;
    resumedFrom = 0;
  } else if (res.status === 416 && have > 0 && meta.total === have) {
    total = have; // the part is already complete
    append = true;
  } else {
    await res.body?.cancel();
    if (res.status === 404) throw new DownloadError('not-found', `${url} was not found (HTTP 404)`, { status: 404 });
    throw new DownloadError('http', `download of ${url} failed: HTTP ${res.status}`, { status: res.status });
  }
  const fileHash = append ? hash : createHash('sha256');
  meta.etag ??= res.headers.get('etag') ?? undefined;
  meta.sha256 ??= declaredSha(res.headers.get('x-linked-etag'));
  meta.total = total;
  const expected = pinned ?? meta.sha256;
  await writeFile(metaPath, JSON.stringify(meta));

  const started = performance.now();
  let received = have;
  let lastEvent = 0;
  const interval = opts.progressIntervalMs ?? 250;
  const emit = (force: boolean) => {
    const t = performance.now();
    if (!force && t - lastEvent < interval) return;
    lastEvent = t;
    const secs = Math.max((t - started) / 1000, 1e-3);
    opts.onProgress?.({ received, total, bytesPerSecond: Math.round((received - have) / secs), resumedFrom: have });
  };
  emit(true);

  const out = createWriteStream(part, { flags: append ? 'a' : 'w' });
  const outDone = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
  });
  try {
    if (res.status !== 416 && res.body) {
      const reader = res.body.getReader();
      for (;;) {
        let r: ReadableStreamReadResult<Uint8Array>;
        try {
          r = await reader.read();
        } catch (err) {
          if (signal.aborted) throw new DownloadError('cancelled', 'download cancelled; it resumes from here next time');
          throw new DownloadError(
            'interrupted',
            `the download was interrupted after ${received} bytes (${(err as Error).message}); it resumes from there next time`,
            { cause: err },
          );
        }
        if (r.done) break;
        fileHash.update(r.value);
        received += r.value.length;
        if (!out.write(r.value)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        emit(false);
      }
    }
  } finally {
    out.end();
    await outDone.catch((err: unknown) => {
      throw new DownloadError('io', `cannot write ${part}: ${(err as Error).message}`, { cause: err });
    });
  }
  emit(true);
  if (total !== undefined && received !== total) {
    throw new DownloadError('interrupted', `the download stopped at ${received} of ${total} bytes; it resumes from there next time`);
  }

  const sha256 = fileHash.digest('hex');
  if (expected && sha256 !== expected) {
    await rm(part, { force: true });
    await rm(metaPath, { force: true });
    throw new DownloadError(
      'checksum',
      `the downloaded file's SHA-256 ${sha256.slice(0, 12)}… does not match the expected ${expected.slice(0, 12)}…; the file was deleted — retry the download`,
    );
  }
  try {
    await readGgufInfo(part);
  } catch (err) {
    await rm(part, { force: true });
    await rm(metaPath, { force: true });
    const detail = err instanceof GgufError ? err.message : String(err);
    throw new DownloadError('invalid-file', `the downloaded file is not a usable model: ${detail}`);
  }
  await rename(part, dest);
  await rm(metaPath, { force: true });
  return { path: dest, bytes: received, sha256, verifiedWith: pinned ? 'pinned' : expected ? 'server' : 'none', resumedFrom };
}
