// Loopback model server speaking the OpenAI completions wire format, for E2E tests.
//
//   const server = await startModelServer({ respond: (body) => 'return a + b' });
//   server.baseUrl            // http://127.0.0.1:<port>/v1
//   server.requests           // every request: {method, path, body, time}
//   server.completions()      // only POST /v1/completions bodies
//   server.count              // number of POST /v1/completions requests
//   server.setResponder(fn)   // change the programmed answer
//   await server.close()
//
// A responder gets the parsed request body (+ the request record) and returns either a string (the
// completion text) or {text, finishReason?, delayMs?, chunkSize?, status?, error?}. It may be async.
// `texts: [...]` answers a non-streamed request with one choice per text (a request's `n` choices); a
// streamed request gets texts[0].
import http from 'node:http';

const DEFAULT_CHUNK = 4; // characters per streamed SSE chunk: exercises the streaming path

function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (!ms) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const parts = [];
    req.on('data', (c) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startModelServer({ respond = () => '', model = 'm', port = 0 } = {}) {
  let responder = respond;
  const requests = [];
  const sockets = new Set();
  let seq = 0;

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req).catch(() => '');
    let body;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const record = { method: req.method, path: url.pathname, body, time: Date.now(), aborted: false };
    requests.push(record);
    const aborter = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) {
        record.aborted = true;
        aborter.abort();
      }
    });

    const json = (status, obj) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(obj));
    };

    try {
      if (req.method === 'GET' && /\/models\/?$/.test(url.pathname)) {
        return json(200, {
          object: 'list',
          data: [{ id: model, object: 'model', created: 0, owned_by: 'tessera-e2e' }],
        });
      }
      if (req.method === 'POST' && /\/completions\/?$/.test(url.pathname) && !url.pathname.includes('/chat/')) {
        let answer = await responder(body, record);
        if (typeof answer === 'string' || answer == null) answer = { text: answer ?? '' };
        const { texts, finishReason = 'stop', delayMs = 0, chunkSize = DEFAULT_CHUNK, status = 200, error } = answer;
        const text = answer.text ?? texts?.[0] ?? '';
        record.answer = text;
        await sleep(delayMs, aborter.signal);
        if (aborter.signal.aborted) return;
        if (status !== 200) return json(status, { error: { message: error ?? `status ${status}`, type: 'e2e' } });
        const id = `cmpl-e2e-${++seq}`;
        const created = Math.floor(Date.now() / 1000);
        const mdl = body?.model ?? model;
        if (body?.stream) {
          res.writeHead(200, {
            'content-type': 'text/event-stream',
            'cache-control': 'no-cache',
            connection: 'keep-alive',
          });
          const send = (choice) =>
            res.write(
              `data: ${JSON.stringify({ id, object: 'text_completion', created, model: mdl, choices: [choice] })}\n\n`,
            );
          for (let i = 0; i < text.length; i += chunkSize) {
            if (aborter.signal.aborted) return;
            send({ text: text.slice(i, i + chunkSize), index: 0, logprobs: null, finish_reason: null });
          }
          send({ text: '', index: 0, logprobs: null, finish_reason: finishReason });
          res.end('data: [DONE]\n\n');
        } else {
          json(200, {
            id,
            object: 'text_completion',
            created,
            model: mdl,
            choices: (texts ?? [text]).map((t, index) => ({
              text: t,
              index,
              logprobs: null,
              finish_reason: finishReason,
            })),
            usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
          });
        }
        return;
      }
      json(404, { error: { message: `no route ${req.method} ${url.pathname}`, type: 'e2e' } });
    } catch (err) {
      if (!res.headersSent) json(500, { error: { message: String(err?.stack ?? err), type: 'e2e' } });
      else res.destroy();
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actualPort = server.address().port;

  return {
    port: actualPort,
    baseUrl: `http://127.0.0.1:${actualPort}/v1`,
    requests,
    completions: () =>
      requests.filter((r) => r.method === 'POST' && /\/completions\/?$/.test(r.path)).map((r) => r.body),
    get count() {
      return requests.filter((r) => r.method === 'POST' && /\/completions\/?$/.test(r.path)).length;
    },
    setResponder(fn) {
      responder = fn;
    },
    reset() {
      requests.length = 0;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

// `node test/e2e/model-server.mjs [port] [completion]`: a standalone server answering every request with
// a fixed completion (handy for `npm start` against a fake model).
if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv[2] ?? 8012);
  const text = process.argv[3] ?? 'pass';
  const s = await startModelServer({
    port,
    respond: (b) => {
      console.log('request', JSON.stringify(b));
      return text;
    },
  });
  console.log(`model server on ${s.baseUrl}`);
  const stop = async () => {
    await s.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
