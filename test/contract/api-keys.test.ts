/**
 * API keys by profile name and origin, against real loopback servers: a profile that reuses the name of yours with
 * another baseUrl (a workspace's settings, say) never receives your key unless you agree; keys saved by name only
 * (earlier versions) are bound to your own profile's server without being lost.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ApiKeys, keyOrigin, type KeyQuestion, type SecretStore } from '../../src/core/apiKeys';
import { createBackend } from '../../src/core/backends';
import { BackendError } from '../../src/core/backends/types';
import { parseProfile } from '../../src/core/config';
import { collect } from '../helpers/loopback';
import { startFake, type Fake } from './fakes';
import { pythonRequest } from './request';

const KEY = 'sk-users-own-key-0123456789';

/** SecretStorage as VS Code keeps it: string entries by key. */
class MemoryStore implements SecretStore {
  readonly entries = new Map<string, string>();
  async get(k: string) {
    return this.entries.get(k);
  }
  async store(k: string, v: string) {
    this.entries.set(k, v);
  }
  async delete(k: string) {
    this.entries.delete(k);
  }
}

/** A question the test answers when it wants to. */
function questions() {
  const asked: KeyQuestion[] = [];
  let answer: (yes: boolean) => void = () => {};
  const ask = (q: KeyQuestion) => {
    asked.push(q);
    return new Promise<boolean>((resolve) => (answer = resolve));
  };
  return { asked, ask, answer: (yes: boolean) => answer(yes) };
}

const fakes: Fake[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});
async function fake(kind: 'openai' | 'codestral' = 'openai'): Promise<Fake> {
  const f = await startFake(kind);
  fakes.push(f);
  return f;
}
const sent = (f: Fake) => f.completions().map((r) => r.headers.authorization ?? '');
const settle = () => new Promise((r) => setTimeout(r, 20));

async function completeWith(keys: ApiKeys, f: Fake, name = 'cloud'): Promise<string | BackendError> {
  const backend = createBackend(parseProfile(f.profile({ name })), keys.lookup);
  return collect(backend.complete(pythonRequest, new AbortController().signal)).catch((e: BackendError) => e);
}

describe('a key goes only to the origin it was saved for', () => {
  it("a workspace profile reusing your profile's name with another baseUrl does not receive your key", async () => {
    const yours = await fake();
    const theirs = await fake();
    const q = questions();
    const keys = new ApiKeys(new MemoryStore(), q.ask);
    await keys.set({ name: 'cloud', baseUrl: yours.baseUrl }, KEY);

    expect(await completeWith(keys, yours)).toBe('return a + b');
    expect(sent(yours)).toEqual([`Bearer ${KEY}`]);

    expect(await completeWith(keys, theirs)).toBe('return a + b'); // the request goes, without the key
    expect(await completeWith(keys, theirs)).toBe('return a + b');
    expect(sent(theirs)).toHaveLength(2);
    for (const auth of sent(theirs)) expect(auth).not.toContain(KEY);
    expect(q.asked).toEqual([
      { profileName: 'cloud', origin: keyOrigin(theirs.baseUrl), savedFor: [keyOrigin(yours.baseUrl)] },
    ]);

    q.answer(false);
    await settle();
    await completeWith(keys, theirs);
    expect(sent(theirs).every((a) => !a.includes(KEY))).toBe(true);
    expect(q.asked).toHaveLength(1); // a no is not asked again
  });

  it('once you agree, the key is bound to the new origin too, and sent there', async () => {
    const yours = await fake();
    const moved = await fake();
    const q = questions();
    const keys = new ApiKeys(new MemoryStore(), q.ask);
    await keys.set({ name: 'cloud', baseUrl: yours.baseUrl }, KEY);
    await completeWith(keys, moved);
    q.answer(true);
    await settle();
    await completeWith(keys, moved);
    expect(sent(moved)).toEqual([expect.not.stringContaining(KEY), `Bearer ${KEY}`]);
    expect(await keys.has({ name: 'cloud', baseUrl: moved.baseUrl })).toBe(true);
    expect(await keys.has({ name: 'cloud', baseUrl: yours.baseUrl })).toBe(true);
  });

  it('a service that requires a key fails with auth at the new origin, and receives no key', async () => {
    const yours = await fake('codestral');
    const theirs = await fake('codestral');
    const keys = new ApiKeys(new MemoryStore(), questions().ask);
    await keys.set({ name: 'cloud', baseUrl: yours.baseUrl }, KEY);
    const err = await completeWith(keys, theirs);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).errorKind).toBe('auth');
    expect(theirs.server.requests).toEqual([]);
  });
});

describe('keys saved by profile name only (earlier versions)', () => {
  it('are bound to the origin of your own profile of that name, and the old entry removed only after', async () => {
    const yours = await fake();
    const theirs = await fake();
    const store = new MemoryStore();
    store.entries.set('tessera.apiKey.cloud', KEY);
    const q = questions();
    const keys = new ApiKeys(store, q.ask);
    await keys.migrate([{ name: 'cloud', baseUrl: yours.baseUrl }]);
    expect(store.entries.has('tessera.apiKey.cloud')).toBe(false);
    expect(JSON.parse(store.entries.get('tessera.apiKeys.cloud')!)).toEqual({ [keyOrigin(yours.baseUrl)]: KEY });

    await completeWith(keys, yours);
    await completeWith(keys, theirs);
    expect(sent(yours)).toEqual([`Bearer ${KEY}`]);
    expect(sent(theirs).every((a) => !a.includes(KEY))).toBe(true);
    expect(q.asked).toHaveLength(1);
  });

  it('without a profile of yours by that name, stay stored, are sent nowhere until you agree, then move', async () => {
    const workspaceServer = await fake();
    const store = new MemoryStore();
    store.entries.set('tessera.apiKey.cloud', KEY);
    const q = questions();
    const keys = new ApiKeys(store, q.ask);
    await keys.migrate([{ name: 'other', baseUrl: 'https://api.example.com/v1' }]);
    expect(store.entries.get('tessera.apiKey.cloud')).toBe(KEY);

    await completeWith(keys, workspaceServer);
    expect(sent(workspaceServer)).toEqual([expect.not.stringContaining(KEY)]);
    expect(q.asked).toEqual([{ profileName: 'cloud', origin: keyOrigin(workspaceServer.baseUrl), savedFor: [] }]);
    q.answer(true);
    await settle();
    await completeWith(keys, workspaceServer);
    expect(sent(workspaceServer)[1]).toBe(`Bearer ${KEY}`);
    expect(store.entries.has('tessera.apiKey.cloud')).toBe(false);
  });
});

describe('keys follow the profile in the panel', () => {
  it("rename moves every origin's key, copy duplicates them, clear removes them all", async () => {
    const store = new MemoryStore();
    const keys = new ApiKeys(store);
    const a = { name: 'a', baseUrl: 'https://one.example/v1' };
    await keys.set(a, 'k1');
    await keys.set({ ...a, baseUrl: 'http://127.0.0.1:9/v1' }, 'k2');
    await keys.rename('a', 'b');
    expect(await keys.has(a)).toBe(false);
    expect(await keys.lookup({ ...a, name: 'b' })).toBe('k1');
    await keys.copy('b', 'c');
    expect(await keys.lookup({ name: 'c', baseUrl: 'http://127.0.0.1:9/v1' })).toBe('k2');
    await keys.clear('b');
    expect(await keys.has({ ...a, name: 'b' })).toBe(false);
    expect(await keys.has({ ...a, name: 'c' })).toBe(true);
    expect([...store.entries.keys()]).toEqual(['tessera.apiKeys.c']);
  });
});

describe('the secret store is read once, not on every request', () => {
  it('lookups are served from memory until the store changes behind it (another window)', async () => {
    const store = new MemoryStore();
    let reads = 0;
    const counting: SecretStore = {
      get: (k) => (reads++, store.get(k)),
      store: (k, v) => store.store(k, v),
      delete: (k) => store.delete(k),
    };
    const keys = new ApiKeys(counting);
    const p = { name: 'cloud', baseUrl: 'https://api.example.com/v1' };
    await keys.set(p, 'k1');
    for (let i = 0; i < 5; i++) expect(await keys.lookup(p)).toBe('k1');
    expect(reads).toBeLessThanOrEqual(1);
    store.entries.set('tessera.apiKeys.cloud', JSON.stringify({ 'https://api.example.com': 'k2' }));
    keys.forget();
    expect(await keys.lookup(p)).toBe('k2');
  });
});
