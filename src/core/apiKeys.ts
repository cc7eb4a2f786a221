/**
 * API keys, kept by profile name *and* the origin (scheme, host, port) of the profile's base URL.
 *
 * A key typed for "cloud" at https://api.example.com is only ever sent there. A profile of the same name pointing
 * elsewhere — a workspace's settings reusing your profile's name with its own baseUrl, or your own edit of the URL —
 * does not get it: the user is asked once ("send the key of "cloud" to http://other…?"), and the key is bound to the
 * new origin only if they agree. Until then, and after a no, requests go without it.
 *
 * Stored in the secret store (VS Code SecretStorage) as one entry per profile name: `tessera.apiKeys.<name>` =
 * JSON `{"<origin>": "<key>", …}`. Keys saved before they were tied to a server (`tessera.apiKey.<name>`, the key
 * alone) are bound to the origin of the user's own profile of that name at start (`migrate`); one with no such
 * profile stays where it is until the user agrees to send it somewhere.
 *
 * Pure: the shell passes the store and the question (a notification).
 */
import type { BackendProfile } from './config';

/** The part of SecretStorage this needs. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

export type KeyedProfile = Pick<BackendProfile, 'name' | 'baseUrl'>;

/** "Send the key of `profileName` to `origin`?" */
export interface KeyQuestion {
  profileName: string;
  origin: string;
  /** Origins the key was saved for; empty when it was saved before keys were tied to a server. */
  savedFor: string[];
}

const ENTRY = 'tessera.apiKeys.';
/** The name-only entry of earlier versions. */
const LEGACY_ENTRY = 'tessera.apiKey.';

/** The origin a key is bound to: `https://api.example.com`, `http://127.0.0.1:8012`; '' without a URL. */
export function keyOrigin(baseUrl: string | undefined): string {
  if (!baseUrl) return '';
  try {
    const origin = new URL(baseUrl).origin;
    return origin === 'null' ? '' : origin;
  } catch {
    return '';
  }
}

export class ApiKeys {
  /** One question per profile name and origin per session; the answer (a no included) is kept. */
  private readonly asked = new Map<string, Promise<boolean>>();
  /** Read-modify-write of an entry, one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private migration: Promise<void> = Promise.resolve();
  /**
   * Entries as last read or written, so a request does not wait for the secret store (in VS Code a round trip to
   * the main process); `forget` drops them when the store changes behind our back (another window).
   */
  private readonly cache = new Map<string, string | undefined>();

  constructor(
    private readonly store: SecretStore,
    private readonly ask: (q: KeyQuestion) => PromiseLike<boolean> = async () => false,
  ) {}

  /** The secret store changed (another window set a key): read entries afresh. */
  forget(): void {
    this.cache.clear();
  }

  /** Is this secret-store entry one of Tessera's keys (to refresh views when it changes)? */
  static isKeyEntry(secretKey: string): boolean {
    return secretKey.startsWith(ENTRY) || secretKey.startsWith(LEGACY_ENTRY);
  }

  /**
   * The key to send with this profile's requests (the backends' SecretLookup), or undefined. A key of the same name
   * saved for another origin is not returned: the question is asked in the background, once.
   */
  readonly lookup = async (profile: KeyedProfile): Promise<string | undefined> => {
    await this.migration;
    const origin = keyOrigin(profile.baseUrl);
    const keys = await this.read(profile.name);
    if (keys[origin] !== undefined) return keys[origin];
    const savedFor = Object.keys(keys);
    const legacy = await this.get(LEGACY_ENTRY + profile.name);
    if (savedFor.length > 0 || legacy !== undefined) void this.askToSend(profile.name, origin, savedFor);
    return undefined;
  };

  /** Is a key stored for this profile's name and origin? */
  async has(profile: KeyedProfile): Promise<boolean> {
    await this.migration;
    return (await this.read(profile.name))[keyOrigin(profile.baseUrl)] !== undefined;
  }

  /** Stores the key the user typed for this profile, bound to its origin. */
  async set(profile: KeyedProfile, key: string): Promise<void> {
    const origin = keyOrigin(profile.baseUrl);
    this.asked.delete(askKey(profile.name, origin));
    await this.update(profile.name, (keys) => ({ ...keys, [origin]: key }));
  }

  /** Removes every key of this name (all origins, and a name-only one). */
  async clear(name: string): Promise<void> {
    for (const k of [...this.asked.keys()]) if (k.startsWith(askKey(name, ''))) this.asked.delete(k);
    await this.serial(async () => {
      await this.del(ENTRY + name);
      await this.del(LEGACY_ENTRY + name);
    });
  }

  /** The keys follow a renamed profile. */
  async rename(from: string, to: string): Promise<void> {
    if (from === to) return;
    await this.copy(from, to);
    await this.clear(from);
  }

  /** A duplicated profile gets the same keys (same origins). */
  async copy(from: string, to: string): Promise<void> {
    await this.serial(async () => {
      const raw = await this.get(ENTRY + from);
      if (raw !== undefined) await this.put(ENTRY + to, raw);
      const legacy = await this.get(LEGACY_ENTRY + from);
      if (legacy !== undefined) await this.put(LEGACY_ENTRY + to, legacy);
    });
  }

  /**
   * Binds each name-only key of earlier versions to the origin of the user's own profile of that name (from the
   * user settings, not a workspace's). Stored under the new entry before the old one is deleted: nothing is lost.
   */
  migrate(userProfiles: readonly KeyedProfile[]): Promise<void> {
    this.migration = this.migration.then(async () => {
      for (const p of userProfiles) {
        const origin = keyOrigin(p.baseUrl);
        if (!origin) continue;
        await this.serial(async () => {
          const legacy = await this.get(LEGACY_ENTRY + p.name);
          if (legacy === undefined) return;
          const keys = await this.readNow(p.name);
          await this.put(ENTRY + p.name, JSON.stringify({ ...keys, [origin]: keys[origin] ?? legacy }));
          await this.del(LEGACY_ENTRY + p.name);
        });
      }
    });
    return this.migration;
  }

  private askToSend(name: string, origin: string, savedFor: string[]): Promise<boolean> {
    const k = askKey(name, origin);
    let answer = this.asked.get(k);
    if (!answer) {
      answer = Promise.resolve(this.ask({ profileName: name, origin, savedFor }))
        .then(
          (yes) => yes === true,
          () => false,
        )
        .then(async (yes) => {
          if (yes) await this.bind(name, origin);
          return yes;
        });
      this.asked.set(k, answer);
    }
    return answer;
  }

  /** The user agreed: the key saved for another origin (or the name-only one) is bound to `origin` too. */
  private async bind(name: string, origin: string): Promise<void> {
    await this.serial(async () => {
      const keys = await this.readNow(name);
      if (keys[origin] !== undefined) return;
      const legacy = await this.get(LEGACY_ENTRY + name);
      const key = legacy ?? Object.values(keys)[0];
      if (key === undefined) return;
      await this.put(ENTRY + name, JSON.stringify({ ...keys, [origin]: key }));
      if (legacy !== undefined) await this.del(LEGACY_ENTRY + name);
    });
  }

  private update(name: string, change: (keys: Record<string, string>) => Record<string, string>): Promise<void> {
    return this.serial(async () => {
      await this.put(ENTRY + name, JSON.stringify(change(await this.readNow(name))));
    });
  }

  private read(name: string): Promise<Record<string, string>> {
    return this.serial(() => this.readNow(name));
  }

  /** origin → key of one name; an entry that is not such an object reads as none. */
  private async readNow(name: string): Promise<Record<string, string>> {
    const raw = await this.get(ENTRY + name);
    if (raw === undefined) return {};
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
      return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
    } catch {
      return {};
    }
  }

  private async get(entry: string): Promise<string | undefined> {
    if (this.cache.has(entry)) return this.cache.get(entry);
    const value = await this.store.get(entry);
    this.cache.set(entry, value);
    return value;
  }

  private async put(entry: string, value: string): Promise<void> {
    this.cache.delete(entry);
    await this.store.store(entry, value);
    this.cache.set(entry, value);
  }

  private async del(entry: string): Promise<void> {
    this.cache.delete(entry);
    await this.store.delete(entry);
    this.cache.set(entry, undefined);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function askKey(name: string, origin: string): string {
  return `${name}\n${origin}`;
}
