// A loopback forward proxy for tests, as corporate proxies work: CONNECT tunnels for https, absolute-URI
// requests for plain http. `route(host, port)` says where a host really is (so test host names such as
// models.tessera.test only resolve through the proxy); `refuse` answers 403 to every request, as a proxy whose
// rules forbid the host. Records what it was asked: `seen` = [{method, target}].
'use strict';
const http = require('node:http');
const net = require('node:net');

async function startForwardProxy({ route = (host, port) => ({ host, port }), refuse = false } = {}) {
  const seen = [];
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method, target: req.url });
    let target;
    try {
      target = new URL(req.url);
    } catch {
      res.writeHead(400);
      res.end('absolute URL expected');
      return;
    }
    if (refuse) {
      res.writeHead(403);
      res.end('forbidden by the proxy');
      return;
    }
    const to = route(target.hostname, Number(target.port || 80));
    const up = http.request(
      {
        host: to.host,
        port: to.port,
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers: req.headers,
      },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  server.on('connect', (req, client, head) => {
    seen.push({ method: 'CONNECT', target: req.url });
    if (refuse) {
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const [host, port] = req.url.split(':');
    const to = route(host, Number(port));
    const up = net.connect(to.port, to.host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head?.length) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    up.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n'));
    client.on('error', () => up.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    seen,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

module.exports = { startForwardProxy };
