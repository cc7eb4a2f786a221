/**
 * Model download into the per-user model cache: streamed to `<dest>.part`, resumable with an HTTP Range request
 * after an interruption, verified (SHA-256 and GGUF header) before it is renamed into place.
 *
 * What the file is checked against: a pinned SHA-256 when the source has one, else the hash the model host
 * declares for the file (Hugging Face sends `X-Linked-ETag: "<sha256>"` on its /resolve/ redirect) — taken only
 * from an https answer of the host's own domains. With neither, nothing is downloaded. Redirects never go from
 * https to http, and only to the allowed domains when the source names them.
 *
 * `<dest>.part.json` keeps what a resume needs (URL, ETag, declared hash, size) and the last failure, which the
 * terminal (`npm start`) and the extension both write and read: a download started in one resumes in the other.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fetchGet, ProxyError, type HttpAnswer, type HttpGet } from '../../net/httpGet';
import { GgufError, readGgufInfo } from './gguf';
import { formatBytes, hostInDomains } from './models';

export type DownloadErrorReason =
  | 'offline'
  | 'dns'
  | 'proxy'
  | 'tls'
  | 'interrupted'
  | 'http'
  | 'not-found'
  | 'disk-full'
  | 'redirect'
  | 'unverified'
  | 'checksum'
  | 'invalid-file'
  | 'cancelled'
  | 'io';

export class DownloadError extends Error {
  constructor(
    readonly reason: DownloadErrorReason,
    message: string,
    readonly options: { status?: number; cause?: unknown } = {},
  ) {
    super(message);
    this.name = 'DownloadError';
  }

  /** Worth trying again at once, from where it stopped (a dropped connection, not a refusal). */
  get resumable(): boolean {
    return this.reason === 'interrupted';
  }
}

/** A few words for what failed, the same in the terminal and in the status bar. */
export function failureHeadline(reason: DownloadErrorReason, status?: number): string {
  switch (reason) {
    case 'offline':
      return 'offline';
    case 'dns':
      return 'DNS lookup failed';
    case 'proxy':
      return status ? `proxy refused (HTTP ${status})` : 'proxy unreachable';
    case 'tls':
      return 'certificate not trusted';
    case 'interrupted':
      return 'connection lost';
    case 'http':
      return `HTTP ${status ?? 'error'}`;
    case 'not-found':
      return 'HTTP 404';
    case 'disk-full':
      return 'disk full';
    case 'redirect':
      return 'unsafe redirect refused';
    case 'unverified':
      return 'no checksum to check the file against';
    case 'checksum':
      return 'checksum mismatch';
    case 'invalid-file':
      return 'not a model file';
    case 'cancelled':
      return 'cancelled';
    case 'io':
      return 'cannot write the file';
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
  /** Pinned SHA-256 (hex): the file must have it. */
  sha256?: string;
  /** Domains whose https answers may declare the file's SHA-256 when none is pinned. Default: none. */
  declaredHashFrom?: readonly string[];
  /** Domains redirects may lead to (the model host's CDN); undefined: any host. */
  redirectDomains?: readonly string[];
  signal: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** Minimum ms between progress events (the last one always comes). Default 250. */
  progressIntervalMs?: number;
  /** The transport; default the runtime's fetch. */
  get?: HttpGet;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  sha256: string;
  /** What the hash was compared with: a pinned value, or the one the model host declared. */
  verifiedWith: 'pinned' | 'host-declared';
  /** The commit the host served the file from, when it says (Hugging Face: X-Repo-Commit). */
  revision?: string;
  resumedFrom: number;
}

export interface DownloadFailure {
  reason: DownloadErrorReason;
  message: string;
  status?: number;
  /** ISO time. */
  at: string;
}

interface PartMeta {
  url: string;
  /** The hash the model host declared (kept across resumes; only ever from a trusted answer). */
  declaredSha256?: string;
  etag?: string;
  total?: number;
  lastError?: DownloadFailure;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME']);
const OFFLINE_CODES = new Set([
  'ECONNREFUSED',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ENETDOWN',
]);
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|EPROTO|ERR_SSL/;
const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);
const HEX64 = /^[0-9a-f]{64}$/;
const MAX_REDIRECTS = 8;

function errCode(err: unknown): string | undefined {
  for (let e: unknown = err, d = 0; e && d < 5; e = (e as { cause?: unknown }).cause, d++) {
    const c = (e as { code?: unknown }).code;
    if (typeof c === 'string') return c;
  }
  return undefined;
}

function proxyErrorOf(err: unknown): ProxyError | undefined {
  for (let e: unknown = err, d = 0; e && d < 5; e = (e as { cause?: unknown }).cause, d++) {
    if (e instanceof ProxyError) return e;
  }
  return undefined;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Makes the hash of a `"<hex>"` ETag-like header, if it is a SHA-256. */
function declaredSha(value: string | undefined): string | undefined {
  const v = value?.replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
  return v && HEX64.test(v) ? v : undefined;
}

/** Turns a failed connection into the reason a user can act on. */
export function connectionError(err: unknown, url: string): DownloadError {
  const host = hostOf(url);
  const proxy = proxyErrorOf(err);
  if (proxy) {
    return new DownloadError(
      'proxy',
      proxy.code === 'PROXY_REFUSED'
        ? `${proxy.message}: check the proxy's rules or credentials (HTTPS_PROXY)`
        : `${proxy.message}: check HTTPS_PROXY/HTTP_PROXY, or add ${new URL(url).hostname} to NO_PROXY`,
      { status: proxy.status, cause: err },
    );
  }
  const code = errCode(err);
  if (code && DNS_CODES.has(code)) {
    return new DownloadError(
      'dns',
      `the name ${new URL(url).hostname} could not be resolved (${code}): offline, or DNS is blocked — behind a proxy, set HTTPS_PROXY`,
      { cause: err },
    );
  }
  if (code && OFFLINE_CODES.has(code)) {
    return new DownloadError(
      'offline',
      `cannot reach ${host} (${code}): you seem to be offline, or a firewall blocks it — behind a proxy, set HTTPS_PROXY`,
      { cause: err },
    );
  }
  if (code && TLS_CODES.test(code)) {
    return new DownloadError(
      'tls',
      `the secure connection to ${host} failed (${code}): a proxy or firewall that inspects TLS needs its certificate in NODE_EXTRA_CA_CERTS`,
      { cause: err },
    );
  }
  return new DownloadError(
    'interrupted',
    `the connection to ${host} failed: ${(err as Error).message}${code ? ` (${code})` : ''}`,
    { cause: err },
  );
}

async function hashFile(file: string, hash: Hash, signal: AbortSignal): Promise<void> {
  for await (const chunk of createReadStream(file)) {
    if (signal.aborted) throw new DownloadError('cancelled', 'download cancelled');
    hash.update(chunk as Buffer);
  }
}

async function readMeta(dest: string): Promise<PartMeta | undefined> {
  try {
    return JSON.parse(await readFile(`${dest}.part.json`, 'utf8')) as PartMeta;
  } catch {
    return undefined;
  }
}

/** What an unfinished download left: the bytes kept in `<dest>.part` and the last failure, if any. */
export async function downloadState(
  dest: string,
): Promise<{ partBytes: number; lastError?: DownloadFailure; url?: string }> {
  const meta = await readMeta(dest);
  const partBytes = await stat(`${dest}.part`).then(
    (s) => s.size,
    () => 0,
  );
  return { partBytes, lastError: meta?.lastError, url: meta?.url };
}

/** Bytes free for this user on the file system holding dir, or undefined where it cannot be told. */
async function freeBytes(dir: string): Promise<number | undefined> {
  try {
    const s = await statfs(dir);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

export async function downloadModel(opts: DownloadOptions): Promise<DownloadResult> {
  await mkdir(path.dirname(opts.dest), { recursive: true });
  try {
    return await download(opts);
  } catch (err) {
    const e =
      err instanceof DownloadError
        ? err
        : new DownloadError('io', String((err as Error)?.message ?? err), { cause: err });
    if (e.reason !== 'cancelled') {
      // Remembered beside the part, so the other side (terminal or editor) can say what happened.
      const meta = (await readMeta(opts.dest)) ?? { url: opts.url };
      meta.lastError = { reason: e.reason, message: e.message, status: e.options.status, at: new Date().toISOString() };
      await writeFile(`${opts.dest}.part.json`, JSON.stringify(meta)).catch(() => undefined);
    }
    throw e;
  }
}

async function download(opts: DownloadOptions): Promise<DownloadResult> {
  const { url, dest, signal } = opts;
  const get = opts.get ?? fetchGet();
  const part = `${dest}.part`;
  const metaPath = `${dest}.part.json`;
  const pinned = opts.sha256?.toLowerCase();

  let meta: PartMeta = { url };
  let have = 0;
  const old = await readMeta(dest);
  if (old?.url === url) {
    meta = { ...old, lastError: undefined };
    have = await stat(part).then(
      (s) => s.size,
      () => 0,
    );
  }
  if (have === 0) await rm(part, { force: true });

  const hash = createHash('sha256');
  if (have > 0) await hashFile(part, hash, signal);
  let resumedFrom = have;

  // Follow redirects here: each hop is checked, and the hash a host declares sits on the redirect answer.
  let res: HttpAnswer | undefined;
  let current = url;
  let revision: string | undefined;
  for (let hop = 0; ; hop++) {
    if (hop > MAX_REDIRECTS)
      throw new DownloadError('redirect', `${hostOf(url)} redirected more than ${MAX_REDIRECTS} times`);
    const headers: Record<string, string> = { 'user-agent': 'tessera-vscode' };
    if (have > 0) {
      headers.range = `bytes=${have}-`;
      if (meta.etag) headers['if-range'] = meta.etag;
    }
    try {
      res = await get(current, headers, signal);
    } catch (err) {
      if (signal.aborted) throw new DownloadError('cancelled', 'download cancelled');
      throw connectionError(err, current);
    }
    const here = new URL(current);
    if (here.protocol === 'https:' && hostInDomains(here.hostname, opts.declaredHashFrom ?? [])) {
      // Hugging Face: X-Linked-ETag on the redirect to its CDN; a 64-hex ETag of its own answer is the same hash.
      meta.declaredSha256 ??= declaredSha(res.header('x-linked-etag')) ?? declaredSha(res.header('etag'));
      revision ??= res.header('x-repo-commit');
    }
    const location = res.status >= 300 && res.status < 400 ? res.header('location') : undefined;
    if (!location) break;
    res.discard();
    const next = new URL(location, current);
    if (here.protocol === 'https:' && next.protocol !== 'https:') {
      throw new DownloadError(
        'redirect',
        `${here.host} redirected the download to ${next.protocol}//${next.host}, which is not https: refused`,
      );
    }
    if (next.protocol !== 'https:' && next.protocol !== 'http:')
      throw new DownloadError('redirect', `${here.host} redirected the download to a ${next.protocol} URL: refused`);
    if (opts.redirectDomains && !hostInDomains(next.hostname, opts.redirectDomains)) {
      throw new DownloadError(
        'redirect',
        `${here.host} redirected the download to ${next.host}, outside ${opts.redirectDomains.join(', ')}: refused`,
      );
    }
    current = next.toString();
  }

  const expected = pinned ?? meta.declaredSha256;
  if (!expected) {
    res.discard();
    throw new DownloadError(
      'unverified',
      `${hostOf(url)} declared no SHA-256 for the file and none is pinned, so it could not be checked: nothing was downloaded`,
    );
  }
  if (pinned && meta.declaredSha256 && meta.declaredSha256 !== pinned) {
    res.discard();
    throw new DownloadError(
      'checksum',
      `${hostOf(url)} now serves a different file (SHA-256 ${meta.declaredSha256.slice(0, 12)}…) than the pinned one (${pinned.slice(0, 12)}…): nothing was downloaded`,
    );
  }

  let total: number | undefined;
  let append = false;
  if (res.status === 206) {
    const m = /bytes (\d+)-(\d+)\/(\d+|\*)/.exec(res.header('content-range') ?? '');
    if (!m || Number(m[1]) !== have) {
      res.discard();
      throw new DownloadError(
        'http',
        `the server answered a resume request with an unexpected range (${res.header('content-range')})`,
      );
    }
    total = m[3] === '*' ? undefined : Number(m[3]);
    append = true;
  } else if (res.status === 200) {
    // A fresh download (or a server that ignores Range / a changed file): start over.
    const len = Number(res.header('content-length'));
    total = Number.isFinite(len) && len > 0 ? len : undefined;
    have = 0;
    resumedFrom = 0;
  } else if (res.status === 416 && have > 0 && meta.total === have) {
    total = have; // the part is already complete
    append = true;
  } else {
    res.discard();
    const status = res.status;
    if (status === 404) throw new DownloadError('not-found', `${current} was not found (HTTP 404)`, { status });
    if (status === 407)
      throw new DownloadError(
        'proxy',
        `the proxy asks for credentials (HTTP 407): put them in the proxy URL, http://user:password@host:port`,
        { status },
      );
    throw new DownloadError(
      'http',
      `${hostOf(current)} answered HTTP ${status}${status === 401 || status === 403 ? ' (access refused)' : status >= 500 ? ' (a server error; try again later)' : ''}`,
      { status },
    );
  }
  if (total !== undefined) {
    const free = await freeBytes(path.dirname(dest));
    if (free !== undefined && free < total - have) {
      res.discard();
      throw new DownloadError(
        'disk-full',
        `the disk holding ${path.dirname(dest)} has ${formatBytes(free)} free and the model needs ${formatBytes(total - have)} more: free some space`,
      );
    }
  }
  const fileHash = append ? hash : createHash('sha256');
  meta.etag ??= res.header('etag');
  meta.total = total;
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
  let writeError: Error | undefined;
  const outDone = new Promise<void>((resolve) => {
    out.once('finish', resolve);
    out.once('error', (err) => {
      writeError = err;
      resolve();
    });
  });
  const failedWrite = (err: Error) =>
    DISK_FULL_CODES.has(errCode(err) ?? '')
      ? new DownloadError(
          'disk-full',
          `the disk holding ${path.dirname(dest)} is full (${errCode(err)}) after ${formatBytes(received)}: free some space`,
          { cause: err },
        )
      : new DownloadError('io', `cannot write ${part}: ${err.message}`, { cause: err });
  try {
    if (res.status !== 416) {
      const chunks = res.body[Symbol.asyncIterator]();
      for (;;) {
        let r: IteratorResult<Uint8Array>;
        try {
          r = await chunks.next();
        } catch (err) {
          if (signal.aborted)
            throw new DownloadError('cancelled', 'download cancelled; it resumes from here next time');
          throw new DownloadError(
            'interrupted',
            `the connection to ${hostOf(current)} was lost after ${formatBytes(received)} (${errCode(err) ?? (err as Error).message})`,
            {
              cause: err,
            },
          );
        }
        if (r.done) break;
        if (writeError) throw failedWrite(writeError);
        fileHash.update(r.value);
        received += r.value.length;
        if (!out.write(r.value))
          await new Promise<void>((resolve) => {
            out.once('drain', resolve);
            out.once('error', () => resolve());
          });
        emit(false);
      }
    }
  } finally {
    if (!out.destroyed) out.end();
    await outDone;
    res.discard();
  }
  if (writeError) throw failedWrite(writeError);
  emit(true);
  if (total !== undefined && received !== total) {
    throw new DownloadError('interrupted', `the download stopped at ${formatBytes(received)} of ${formatBytes(total)}`);
  }

  const sha256 = fileHash.digest('hex');
  if (sha256 !== expected) {
    await rm(part, { force: true });
    await rm(metaPath, { force: true });
    throw new DownloadError(
      'checksum',
      `the downloaded file's SHA-256 ${sha256.slice(0, 12)}… does not match the ${pinned ? 'pinned' : 'declared'} ${expected.slice(0, 12)}…; the file was deleted`,
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
  return {
    path: dest,
    bytes: received,
    sha256,
    verifiedWith: pinned ? 'pinned' : 'host-declared',
    revision,
    resumedFrom,
  };
}
