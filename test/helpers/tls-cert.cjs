// A throwaway self-signed certificate for loopback https servers in tests (openssl, ~50 ms): it is its own CA,
// so a client trusts it through `ca` (in-process) or NODE_EXTRA_CA_CERTS (a child process).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function selfSignedCert(dir, names = ['localhost']) {
  fs.mkdirSync(dir, { recursive: true });
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  const san = ['IP:127.0.0.1', ...names.map((n) => `DNS:${n}`)].join(',');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      `/CN=${names[0]}`,
      '-addext',
      `subjectAltName=${san}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
    ],
    { stdio: 'ignore' },
  );
  return { keyPath: key, certPath: cert, key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
}

module.exports = { selfSignedCert };
