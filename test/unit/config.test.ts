import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import {
  activeProfile,
  isLocalUrl,
  nextEditProfile,
  parseProfile,
  readLayeredSettings,
  readSettings,
} from '../../src/core/config';

const local = { name: 'local', kind: 'openai', baseUrl: 'http://127.0.0.1:8012/v1', model: 'm', fimTemplate: 'native' };

describe('settings', () => {
  it('accepts the documented minimal profile and picks it as active', () => {
    const { settings, problems } = readSettings({ backends: [local], activeBackend: 'local' });
    expect(problems).toEqual([]);
    const p = activeProfile(settings)!;
    expect(p).toMatchObject({
      name: 'local',
      kind: 'openai',
      baseUrl: 'http://127.0.0.1:8012/v1',
      fimTemplate: 'native',
    });
    expect(p.maxTokens).toBe(128);
    expect(p.timeoutMs).toBe(10_000);
  });

  it('names the setting and the fix for a malformed value, and keeps the valid ones', () => {
    const { settings, problems } = readSettings({
      enable: 'yes',
      backends: [local, { name: 'bad', kind: 'openai', baseUrl: 'not a url', model: 'm' }],
      context: { maxPromptTokens: 10 },
    });
    expect(settings.enable).toBe(true); // default kept
    expect(settings.backends.map((b) => b.name)).toEqual(['local']); // valid profile kept
    expect(problems.join('\n')).toMatch(/tessera\.enable: /);
    expect(problems.join('\n')).toMatch(/tessera\.backends\[1\]\.baseUrl: must be an http\(s\) URL/);
    expect(problems.join('\n')).toMatch(/tessera\.context\.maxPromptTokens/);
  });

  it('reports an unknown kind and a missing baseUrl by path', () => {
    const { problems } = readSettings({
      backends: [
        { name: 'x', kind: 'gpt' },
        { name: 'y', kind: 'ollama', model: 'q' },
      ],
    });
    expect(problems).toContainEqual(expect.stringMatching(/tessera\.backends\[0\]\.kind: must be one of openai/));
    expect(problems).toContainEqual(
      expect.stringMatching(/tessera\.backends\[1\]\.baseUrl: is required for kind "ollama"/),
    );
  });

  it('reports an activeBackend that names no profile', () => {
    const { problems } = readSettings({ backends: [local], activeBackend: 'remote' });
    expect(problems[0]).toMatch(/tessera\.activeBackend: no profile named "remote"/);
  });

  it('rejects duplicate names', () => {
    const { settings, problems } = readSettings({ backends: [local, local] });
    expect(settings.backends).toHaveLength(1);
    expect(problems[0]).toMatch(/names must be unique/);
  });

  it('parseProfile throws a message naming each bad field', () => {
    expect(() => parseProfile({ name: '', kind: 'openai' }, '--backend')).toThrow(
      /--backend\.name: .*--backend\.baseUrl/s,
    );
  });

  it('strips a trailing slash from baseUrl', () => {
    expect(parseProfile({ ...local, baseUrl: 'http://h:1/v1/' }).baseUrl).toBe('http://h:1/v1');
  });

  it('knows loopback URLs', () => {
    expect(isLocalUrl('http://127.0.0.1:8080')).toBe(true);
    expect(isLocalUrl('http://localhost:11434')).toBe(true);
    expect(isLocalUrl('http://[::1]:1')).toBe(true);
    expect(isLocalUrl('https://api.deepseek.com/beta')).toBe(false);
    expect(isLocalUrl('http://127.0.0.1.nip.io:8080')).toBe(false);
    expect(isLocalUrl('http://localhost.evil.com')).toBe(false);
    expect(isLocalUrl(undefined)).toBe(true);
  });
});

describe('settings from several files (user, workspace, folder)', () => {
  const bad = [{ name: 'x', kind: 'openai', baseUrl: 'not a url', model: 'm' }];
  const good = [{ name: 'ws', kind: 'openai', baseUrl: 'http://127.0.0.1:8012/v1', model: 'm' }];

  it('a problem names the file that has it', () => {
    const r = readLayeredSettings({ backends: { value: bad, user: bad }, debounceMs: { value: -1, workspace: -1 } });
    expect(r.problems).toEqual([
      { source: 'workspace', text: expect.stringMatching(/^tessera\.debounceMs: /) },
      { source: 'user', text: expect.stringMatching(/^tessera\.backends\[0\]\.baseUrl: must be an http\(s\) URL/) },
    ]);
    expect(r.sources).toEqual({ backends: 'user', debounceMs: 'workspace' });
  });

  it('a broken user value that the workspace overrides is reported as ignored, naming both files', () => {
    const r = readLayeredSettings({ backends: { value: good, user: bad, workspace: good } });
    expect(r.settings.backends.map((b) => b.name)).toEqual(['ws']);
    expect(r.problems).toEqual([
      {
        source: 'user',
        text: 'tessera.backends[0].baseUrl: must be an http(s) URL such as "http://127.0.0.1:8080/v1" — this value in user settings is ignored anyway: the workspace settings set tessera.backends',
      },
    ]);
  });

  it('in an untrusted workspace, restricted keys come from user settings only', () => {
    // VS Code's get() already leaves the workspace's value out there.
    const r = readLayeredSettings(
      { backends: { value: bad, user: bad, workspace: good } },
      { ignoreWorkspace: (k) => k === 'backends' },
    );
    expect(r.sources.backends).toBe('user');
    expect(r.problems.map((p) => p.source)).toEqual(['user']);
  });
});

describe('the JSON schema of tessera.backends', () => {
  const pkg = JSON.parse(readFileSync(resolvePath(__dirname, '../../package.json'), 'utf8'));
  const baseUrl = pkg.contributes.configuration.properties['tessera.backends'].items.properties.baseUrl;
  const pattern = new RegExp(baseUrl.pattern, 'u');

  it('flags a base URL that is not an http(s) URL, with the words the settings warning uses', () => {
    for (const v of ['not a url', 'ftp://host/x', '127.0.0.1:8080', 'http://', ''])
      expect(pattern.test(v), v).toBe(false);
    expect(baseUrl.patternErrorMessage).toMatch(/http\(s\) URL/);
  });

  it('accepts every URL the settings accept (the README examples, presets, odd but valid forms)', () => {
    const urls = [
      'http://127.0.0.1:8012/v1',
      'http://127.0.0.1:11434',
      'https://codestral.mistral.ai/v1',
      'https://api.deepseek.com/beta',
      ' http://localhost:8080/ ',
      'HTTP://[::1]:8080/v1',
    ];
    for (const u of urls) {
      expect(parseProfile({ name: 'p', kind: 'llamacpp', baseUrl: u }).baseUrl, u).toBeTruthy();
      expect(pattern.test(u), u).toBe(true);
    }
  });
});

describe('next-edit settings', () => {
  const zeta = { name: 'zeta', kind: 'llamacpp', baseUrl: 'http://127.0.0.1:8080', editFormat: 'zeta' };

  it('tessera.nextEdit.backend names an edit model; ghost text never uses one, even when it comes first', () => {
    const { settings, problems } = readSettings({ backends: [zeta, local], nextEdit: { backend: 'zeta' } });
    expect(problems).toEqual([]);
    expect(nextEditProfile(settings)?.name).toBe('zeta');
    expect(activeProfile(settings)?.name).toBe('local');
    expect(nextEditProfile(readSettings({ backends: [zeta, local] }).settings)).toBeUndefined();
  });

  it('says what to fix when the named profile is missing or not an edit model, or when activeBackend names an edit model', () => {
    expect(readSettings({ backends: [zeta, local], nextEdit: { backend: 'nope' } }).problems).toEqual([
      'tessera.nextEdit.backend: no profile named "nope" in tessera.backends (have: zeta, local)',
    ]);
    expect(readSettings({ backends: [zeta, local], nextEdit: { backend: 'local' } }).problems).toEqual([
      'tessera.nextEdit.backend: profile "local" is not an edit model: add "editFormat": "zeta" (or "zeta-merge") to it',
    ]);
    const r = readSettings({ backends: [zeta, local], activeBackend: 'zeta' });
    expect(r.problems[0]).toMatch(/^tessera\.activeBackend: "zeta" is an edit model/);
    expect(activeProfile(r.settings)?.name).toBe('local');
    expect(readSettings({ backends: [{ ...zeta, editFormat: 'instinct' }] }).problems).toEqual([
      'tessera.backends[0].editFormat: must be one of zeta, zeta-merge',
    ]);
  });
});
