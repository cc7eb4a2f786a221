/**
 * One GET with redirects left to the caller, over two transports:
 * - `fetchGet`: the runtime's fetch. Inside VS Code that fetch goes through the editor's proxy settings
 *   (`http.proxy`, `http.noProxy`, system certificates), so the extension uses it.
 * - `nodeGet`: node:http/node:https with the proxy from the environment (`HTTPS_PROXY`, `HTTP_PROXY`,
 *   `NO_PROXY`; https through a CONNECT tunnel). Node's own fetch ignores those variables; the terminal (`npm
 *   start`) uses this. Certificates: Node's roots plus `NODE_EXTRA_CA_CERTS`, which Node reads by itself.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import type { Duplex } from 'node:stream';

export interface HttpAnswer {
  status: number;
  /** A response header (case-insensitive), or undefined. */
  header(name: string): string | undefined;
  body: AsyncIterable<Uint8Array>;
  /** Stops reading the body and frees the connection. */
  discard(): void;
}

export type HttpGet = (url: string, headers: Record<string, string>, signal: AbortSignal) => Promise<HttpAnswer>;

/** An error of the proxy itself, so a message can say "the proxy refused" rather than "offline". */
export class ProxyError extends Error {
  constructor(
    readonly code: 'PROXY_UNREACHABLE' | 'PROXY_REFUSED',
    message: string,
    readonly proxy: string,
    readonly status?: number,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'ProxyError';
  }
}

export function fetchGet(doFetch: typeof fetch = fetch): HttpGet {
  return async (url, headers, signal) => {
    const res = await doFetch(url, { headers, redirect: 'manual', signal });
    const reader = res.body?.getReader();
    return {
      status: res.status,
      header: (name) => res.headers.get(name) ?? undefined,
      body: (async function* () {
        for (;;) {
          const r = await reader?.read();
          if (!r || r.done) return;
          yield r.value;
        }
      })(),
      discard: () => void reader?.cancel().catch(() => undefined),
    };
  };
}

type Env = Record<string, string | undefined>;

/** The proxy URL the environment asks for this URL, or undefined for a direct connection. */
export function proxyFor(target: URL, env: Env): URL | undefined {
  const raw = target.protocol === 'https:' ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
  if (!raw?.trim()) return undefined;
  if (bypassesProxy(target, env.NO_PROXY ?? env.no_proxy ?? '')) return undefined;
  try {
    // "host:port" without a scheme is common in these variables.
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw.trim()) ? raw.trim() : `http://${raw.trim()}`);
  } catch {
    return undefined;
  }
}

/**
 * NO_PROXY as curl reads it: `*`, host names (matching subdomains, with or without a leading dot), host:port, IPs.
 * Loopback is always direct: no proxy can reach this machine's own servers.
 */
export function bypassesProxy(target: URL, noProxy: string): boolean {
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)) return true;
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    // host:port (one colon: an IPv6 address has several); [v6]:port.
    const withPort = /^\[?([^\]]*?)\]?:(\d+)$/.exec(entry);
    if (withPort && (entry.startsWith('[') || entry.split(':').length === 2)) {
      if (withPort[2] !== port) continue;
      entry = withPort[1];
    }
    const domain = entry.replace(/^\[|\]$/g, '').replace(/^\*?\./, '');
    if (host === domain || host.endsWith(`.${domain}`)) return true;
  }
  return false;
}

function answerOf(res: http.IncomingMessage): HttpAnswer {
  return {
    status: res.statusCode ?? 0,
    header: (name) => {
      const v = res.headers[name.toLowerCase()];
      return Array.isArray(v) ? v.join(', ') : v;
    },
    body: res,
    discard: () => res.destroy(),
  };
}

function basicAuth(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const creds = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(creds).toString('base64')}` };
}

/** Inactivity after which a connection counts as lost (ETIMEDOUT). */
const IDLE_TIMEOUT_MS = 30_000;

/** A socket through the proxy to host:port (HTTP CONNECT). */
function tunnel(proxy: URL, target: URL, signal: AbortSignal): Promise<Duplex> {
  const port = target.port || '443';
  const where = `${proxy.hostname}:${proxy.port || 80}`;
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: proxy.hostname,
      port: proxy.port || 80,
      method: 'CONNECT',
      path: `${target.hostname}:${port}`,
      headers: { host: `${target.hostname}:${port}`, ...basicAuth(proxy) },
      signal,
    });
    req.setTimeout(IDLE_TIMEOUT_MS, () =>
      req.destroy(Object.assign(new Error('proxy did not answer'), { code: 'ETIMEDOUT' })),
    );
    req.once('connect', (res, socket) => {
      req.setTimeout(0);
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(
          new ProxyError(
            'PROXY_REFUSED',
            `the proxy ${where} refused the connection to ${target.host} (HTTP ${res.statusCode})`,
            where,
            res.statusCode,
          ),
        );
        return;
      }
      resolve(socket);
    });
    req.once('error', (err) => {
      if (signal.aborted) return reject(err);
      reject(
        new ProxyError(
          'PROXY_UNREACHABLE',
          `cannot reach the proxy ${where} (${(err as NodeJS.ErrnoException).code ?? err.message})`,
          where,
          undefined,
          err,
        ),
      );
    });
    req.end();
  });
}

/** GET over node:http/https, through the environment's proxy when it names one for this URL. */
export function nodeGet(env: Env = process.env, options: { ca?: string | Buffer } = {}): HttpGet {
  return async (url, headers, signal) => {
    const target = new URL(url);
    const proxy = proxyFor(target, env);
    const secure = target.protocol === 'https:';
    let req: http.ClientRequest;
    if (proxy && secure) {
      const socket = await tunnel(proxy, target, signal);
      const tlsSocket = tls.connect({ socket, servername: target.hostname, ca: options.ca });
      const path = `${target.pathname}${target.search}`;
      req = http.request({
        host: target.hostname,
        port: target.port || 443,
        path,
        headers: { ...headers, host: target.host },
        signal,
        createConnection: () => tlsSocket,
      });
    } else if (proxy) {
      // Plain http through a proxy: the absolute URL as the request target.
      req = http.request({
        host: proxy.hostname,
        port: proxy.port || 80,
        path: target.toString(),
        headers: { ...headers, host: target.host, ...basicAuth(proxy) },
        signal,
      });
    } else {
      req = (secure ? https : http).request(target, {
        headers,
        signal,
        ...(secure && options.ca ? { ca: options.ca } : {}),
      });
    }
    return new Promise<HttpAnswer>((resolve, reject) => {
      req.setTimeout(IDLE_TIMEOUT_MS, () =>
        req.destroy(Object.assign(new Error(`no data for ${IDLE_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })),
      );
      req.once('response', (res) => {
        res.once('error', () => undefined); // surfaced by the body's iterator
        resolve(answerOf(res));
      });
      req.once('error', (err) => {
        if (proxy && !secure && (err as NodeJS.ErrnoException).code === 'ECONNREFUSED') {
          const where = `${proxy.hostname}:${proxy.port || 80}`;
          reject(
            new ProxyError(
              'PROXY_UNREACHABLE',
              `cannot reach the proxy ${where} (ECONNREFUSED)`,
              where,
              undefined,
              err,
            ),
          );
        } else reject(err);
      });
      req.end();
    });
  };
}
