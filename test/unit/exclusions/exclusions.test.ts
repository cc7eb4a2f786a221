import { describe, expect, it } from 'vitest';
import { backendAllowedInWorkspace, compileExclusions, exclusionMatcherCache } from '../../../src/core/exclusions';

describe('built-in secret patterns', () => {
  const m = compileExclusions([]);
  it.each([
    '.env',
    '.env.local',
    'config/.env.production',
    'deploy/server.pem',
    'certs/tls.KEY',
    'home/u/.ssh/id_rsa',
    'id_ed25519.pub',
    'keys/id_ecdsa',
    '.aws/credentials',
    'project/.docker/config.json',
    'credentials.json',
    'gcp-credentials.json',
    'service-account-prod.json',
    '.npmrc',
    '.netrc',
    'infra/prod.tfvars',
    'terraform.tfstate',
    'C:\\Users\\me\\app\\.env',
    '/abs/outside/workspace/secrets.yaml',
  ])('never sends %s', (p) => {
    const e = m.match(p);
    expect(e?.source).toBe('secret');
    expect(e?.detail).toMatch(/never sent to a backend/);
  });

  it.each([
    'src/main.py',
    'environment.ts',
    'src/env.ts',
    'keyboard.ts',
    'docs/keys.md',
    'README.md',
    'src/credentials_form.tsx',
    'monkey.py',
  ])('sends ordinary source %s', (p) => expect(m.match(p)).toBeUndefined());

  it('explains which pattern matched', () => {
    expect(m.match('app/.env.local')).toMatchObject({
      pattern: '.env*',
      detail: expect.stringContaining('.env.local looks like a environment file'),
    });
  });
});

describe('tessera.exclude globs', () => {
  it('matches workspace-relative paths, and bare names in any folder', () => {
    const m = compileExclusions(['**/generated/**', 'vendor/**', '*.min.js']);
    expect(m.match('src/generated/api.ts')).toMatchObject({ source: 'user', pattern: '**/generated/**' });
    expect(m.match('vendor/lib/a.go')).toMatchObject({ source: 'user', pattern: 'vendor/**' });
    expect(m.match('web/static/app.min.js')).toMatchObject({ source: 'user', pattern: '*.min.js' });
    expect(m.match('src/vendor.ts')).toBeUndefined();
    expect(m.match('src/app.js')).toBeUndefined();
  });

  it('a "!" glob re-allows a file, built-in secret patterns included', () => {
    const m = compileExclusions(['!.env.example']);
    expect(m.match('.env.example')).toBeUndefined();
    expect(m.match('config/.env.example')).toBeUndefined();
    expect(m.match('.env')).toMatchObject({ source: 'secret' });
  });

  it('a "!" glob of the workspace settings re-allows neither secrets nor the user\'s exclusions, only its own', () => {
    const hostile = compileExclusions(['**/private/**'], ['!**']);
    for (const p of ['.env', 'home/u/.ssh/id_rsa', 'id_rsa', 'deploy/server.pem'])
      expect(hostile.match(p)).toMatchObject({ source: 'secret' });
    expect(hostile.match('src/private/notes.ts')).toMatchObject({ source: 'user' });
    const m = compileExclusions([], ['gen/**', '!gen/keep.ts']);
    expect(m.match('gen/out.ts')).toMatchObject({
      source: 'workspace',
      detail: 'out.ts matches "gen/**" in tessera.exclude (workspace settings)',
    });
    expect(m.match('gen/keep.ts')).toBeUndefined();
    expect(m.match('src/app.ts')).toBeUndefined();
  });

  it('user and workspace globs match case-insensitively, like the built-in patterns', () => {
    const m = compileExclusions(['Secrets/**', '*.SQL'], ['*.Dump']);
    expect(m.match('secrets/a.ts')).toMatchObject({ source: 'user', pattern: 'Secrets/**' });
    expect(m.match('SECRETS/b.ts')).toMatchObject({ source: 'user' });
    expect(m.match('db/seed.sql')).toMatchObject({ source: 'user', pattern: '*.SQL' });
    expect(m.match('db/prod.DUMP')).toMatchObject({ source: 'workspace' });
    expect(compileExclusions(['!.ENV.example']).match('.env.example')).toBeUndefined();
  });

  it('reports empty globs by index and keeps the others', () => {
    const m = compileExclusions(['', '*.gen.ts']);
    expect(m.problems).toEqual([expect.stringMatching(/^tessera\.exclude\[0\]/)]);
    expect(m.match('a.gen.ts')).toMatchObject({ source: 'user' });
  });

  it('the cache recompiles only when the globs change', () => {
    const get = exclusionMatcherCache();
    const a = get(['*.x']);
    expect(get(['*.x'])).toBe(a);
    const b = get(['*.y']);
    expect(b).not.toBe(a);
    expect(b.match('f.y')).toBeDefined();
    expect(b.match('f.x')).toBeUndefined();
  });
});

describe('untrusted workspaces', () => {
  const remote = { name: 'cloud', kind: 'openai' as const, baseUrl: 'https://api.example.com/v1' };
  it('trusted: every backend', () => {
    expect(backendAllowedInWorkspace(remote, true).allowed).toBe(true);
  });
  it('untrusted: only loopback servers and the embedded model, with the reason', () => {
    const d = backendAllowedInWorkspace(remote, false);
    expect(d.allowed).toBe(false);
    expect(d.reason).toMatch(/not trusted.*"cloud" sends code to api\.example\.com/);
    expect(
      backendAllowedInWorkspace({ name: 'l', kind: 'openai', baseUrl: 'http://127.0.0.1:8080/v1' }, false).allowed,
    ).toBe(true);
    expect(
      backendAllowedInWorkspace({ name: 'l', kind: 'ollama', baseUrl: 'http://localhost:11434' }, false).allowed,
    ).toBe(true);
    expect(backendAllowedInWorkspace({ name: 'l', kind: 'openai', baseUrl: 'http://[::1]:8080' }, false).allowed).toBe(
      true,
    );
    expect(backendAllowedInWorkspace({ name: 'e', kind: 'embedded' }, false).allowed).toBe(true);
    // A host that only looks local must not pass.
    expect(
      backendAllowedInWorkspace({ name: 'x', kind: 'openai', baseUrl: 'http://localhost.evil.com/v1' }, false).allowed,
    ).toBe(false);
    expect(
      backendAllowedInWorkspace({ name: 'x', kind: 'openai', baseUrl: 'http://127.0.0.1.nip.io/v1' }, false).allowed,
    ).toBe(false);
  });
});

describe('isLoopbackUrl', () => {
  it.each([
    ['http://127.0.0.1:8080/v1', true],
    ['http://127.1.2.3', true],
    ['http://localhost:11434', true],
    ['http://LOCALHOST:1', true],
    // Only localhost itself: *.localhost goes through resolvers (a proxy, a DNS server) that may send it anywhere.
    ['http://api.localhost', false],
    ['http://evil.localhost:8080/v1', false],
    ['http://[::1]:8080/v1', true],
    ['http://127.0.0.1.nip.io/v1', false],
    ['http://localhost.evil.com', false],
    ['http://10.0.0.5:8080', false],
    ['https://api.mistral.ai/v1', false],
    ['not a url', false],
  ])('%s → %s', async (url, expected) => {
    const { isLoopbackUrl } = await import('../../../src/core/exclusions.js');
    expect(isLoopbackUrl(url)).toBe(expected);
  });
});
