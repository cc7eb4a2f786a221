/**
 * Real HTTP servers on 127.0.0.1 for contract and fault tests. They record every request and count open
 * responses, so a test can assert the exact wire body and that no stream leaked.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: any;
}

export type Handler = (req: RecordedRequest, res: http.ServerResponse) => void | Promise<void>;

export interface LoopbackServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /**
   * Responses still open (a leaked stream shows up as a non-zero count after the client is done). Idle sockets
   * are not counted: undici opens a fresh idle connection after an aborted one, which is pooling, not a leak.
   */
  activeResponses(): number;
  close(): Promise<void>;
}

/** `tls`: serve https with this key and certificate (see tls-cert.cjs). */
export async function startServer(
  handler: Handler,
  opts: { tls?: { key: Buffer; cert: Buffer } } = {},
): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const active = new Set<http.ServerResponse>();
  const listener: http.RequestListener = (req, res) => {
    active.add(res);
    res.on('close', () => active.delete(res));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      const rec: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, body };
      requests.push(rec);
      Promise.resolve(handler(rec, res)).catch((err) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(err));
      });
    });
  };
  const server = opts.tls
    ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, listener)
    : http.createServer(listener);
  server.on(opts.tls ? 'secureConnection' : 'connection', (s: import('node:net').Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    activeResponses: () => active.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes Server-Sent Events (`data: {...}\n\n` … `data: [DONE]\n\n`), as OpenAI, Mistral and DeepSeek stream. */
export async function writeSSE(
  res: http.ServerResponse,
  events: unknown[],
  opts: { delayMs?: number; done?: boolean } = {},
): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  for (const e of events) {
    if (res.destroyed) return;
    res.write(`data: ${JSON.stringify(e)}\n\n`);
    if (opts.delayMs) await sleep(opts.delayMs);
  }
  if (opts.done !== false) res.write('data: [DONE]\n\n');
  res.end();
}

/** Writes newline-delimited JSON (Ollama's stream). */
export async function writeNDJSON(
  res: http.ServerResponse,
  events: unknown[],
  opts: { delayMs?: number } = {},
): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  for (const e of events) {
    if (res.destroyed) return;
    res.write(JSON.stringify(e) + '\n');
    if (opts.delayMs) await sleep(opts.delayMs);
  }
  res.end();
}

export function writeJSON(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** OpenAI completion stream chunks for a list of text pieces. */
export function openAIChunks(pieces: string[], model = 'm', finish: 'stop' | 'length' = 'stop'): unknown[] {
  return pieces.map((text, i) => ({
    id: 'cmpl-1',
    object: 'text_completion',
    created: 1,
    model,
    choices: [{ text, index: 0, logprobs: null, finish_reason: i === pieces.length - 1 ? finish : null }],
  }));
}

/** Drains a completion stream: its text, and how it ended (the stream's return value). */
export async function collectWithFinish<R>(
  it: AsyncIterable<string, R>,
): Promise<{ text: string; finish: R | undefined }> {
  const iter = it[Symbol.asyncIterator]();
  let text = '';
  for (;;) {
    const r = await iter.next();
    if (r.done) return { text, finish: r.value };
    text += r.value;
  }
}

/** Drains an async iterable into one string. */
export async function collect(it: AsyncIterable<string>): Promise<string> {
  let s = '';
  for await (const c of it) s += c;
  return s;
}
