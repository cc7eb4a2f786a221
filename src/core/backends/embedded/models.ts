/**
 * The models Tessera can download for the embedded backend, where they are kept, where they come from, and the
 * built-in profile that uses one when no backend is configured. Base (not instruct) models: they are the ones
 * trained for fill-in-the-middle.
 */
import { homedir } from 'node:os';
import * as path from 'node:path';
import type { BackendProfile } from '../../config';

export interface CatalogModel {
  id: string;
  label: string;
  /** Hugging Face repository the file is in. */
  repo: string;
  /**
   * Commit of the repository the file is downloaded from. Without one the download follows the branch `main`,
   * which its owner can change: such a model is not pinned.
   */
  revision?: string;
  fileName: string;
  /** Approximate size for the consent prompt and the README; the real one comes from the server. */
  approxBytes: number;
  /**
   * SHA-256 the file must have. Without one, the hash the model host itself declares for the file (Hugging
   * Face's X-Linked-ETag, over https) is the check: it catches corruption and a wrong file, but it is the
   * host's word for the file, not ours.
   */
  sha256?: string;
  license: string;
}

/** Where catalog models are served, and the domains of its CDN that its downloads are redirected to. */
export const MODEL_HOST = 'huggingface.co';
export const MODEL_HOST_DOMAINS: readonly string[] = ['huggingface.co', 'hf.co'];

export const MODEL_CATALOG: readonly CatalogModel[] = [
  {
    id: 'qwen2.5-coder-0.5b-q8_0',
    label: 'Qwen2.5-Coder 0.5B (Q8_0)',
    repo: 'ggml-org/Qwen2.5-Coder-0.5B-Q8_0-GGUF',
    fileName: 'qwen2.5-coder-0.5b-q8_0.gguf',
    approxBytes: 531_000_000,
    license: 'Apache-2.0',
  },
  {
    id: 'qwen2.5-coder-1.5b-q8_0',
    label: 'Qwen2.5-Coder 1.5B (Q8_0)',
    repo: 'ggml-org/Qwen2.5-Coder-1.5B-Q8_0-GGUF',
    fileName: 'qwen2.5-coder-1.5b-q8_0.gguf',
    approxBytes: 1_650_000_000,
    license: 'Apache-2.0',
  },
];

/** 0.5B by default: on a laptop CPU it answers in a few hundred ms; 1.5B is better but ~3× slower. */
export const DEFAULT_MODEL_ID = 'qwen2.5-coder-0.5b-q8_0';

export function catalogModel(id: string = DEFAULT_MODEL_ID): CatalogModel {
  return MODEL_CATALOG.find((m) => m.id === id) ?? MODEL_CATALOG.find((m) => m.id === DEFAULT_MODEL_ID)!;
}

/** The model host's URL of a catalog file, at its pinned commit when it has one. */
export function catalogUrl(model: CatalogModel): string {
  return `https://${MODEL_HOST}/${model.repo}/resolve/${model.revision ?? 'main'}/${model.fileName}`;
}

/** Both a pinned commit and a pinned SHA-256: the only case the README may call pinned. */
export function isPinned(model: CatalogModel): boolean {
  return !!model.revision && !!model.sha256;
}

type Env = Record<string, string | undefined>;

/**
 * The per-user folder of downloaded models, shared by `npm start` and the extension in every VS Code of this
 * user, so a model is downloaded once: `TESSERA_MODEL_CACHE`, else the platform's cache folder.
 */
export function modelCacheDir(
  env: Env = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.TESSERA_MODEL_CACHE) return path.resolve(env.TESSERA_MODEL_CACHE);
  if (platform === 'win32')
    return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'tessera', 'models');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'tessera', 'models');
  const xdg =
    env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(home, '.cache');
  return path.join(xdg, 'tessera', 'models');
}

/** Where a catalog model lives in the cache. */
export function modelFilePath(cacheDir: string, model: CatalogModel): string {
  return path.join(cacheDir, model.fileName);
}

/** Where a download comes from and what it is checked against. */
export interface DownloadSource {
  url: string;
  /** The SHA-256 the file must have: TESSERA_MODEL_SHA256 when set, else the catalog's pin. */
  sha256?: string;
  /** Domains whose https answers may declare the file's hash when none is pinned (the model host only). */
  declaredHashFrom: readonly string[];
  /** Domains redirects may lead to; undefined: any host (a mirror, checked by its pinned hash). */
  redirectDomains?: readonly string[];
  /** A mirror given by TESSERA_MODEL_URL. */
  mirror: boolean;
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The default model's source: the model host, or the mirror in `TESSERA_MODEL_URL`. `TESSERA_MODEL_SHA256`, when
 * set, is the hash the file must have; a mirror needs it unless the catalog pins one, since a mirror's word for
 * its own file checks nothing.
 * Returns a sentence naming the variable to fix when the environment is wrong.
 */
export function downloadSource(model: CatalogModel, env: Env = process.env): DownloadSource | { error: string } {
  const pinnedByEnv = env.TESSERA_MODEL_SHA256?.trim().toLowerCase();
  if (pinnedByEnv !== undefined && pinnedByEnv !== '' && !HEX64.test(pinnedByEnv)) {
    return {
      error: `TESSERA_MODEL_SHA256 must be 64 hexadecimal digits (the file's SHA-256), not "${env.TESSERA_MODEL_SHA256}"`,
    };
  }
  const mirror = env.TESSERA_MODEL_URL?.trim();
  if (!mirror) {
    return {
      url: catalogUrl(model),
      sha256: pinnedByEnv || model.sha256,
      declaredHashFrom: MODEL_HOST_DOMAINS,
      redirectDomains: MODEL_HOST_DOMAINS,
      mirror: false,
    };
  }
  let u: URL;
  try {
    u = new URL(mirror);
  } catch {
    return { error: `TESSERA_MODEL_URL must be an http(s) URL of the model file, not "${mirror}"` };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    return { error: `TESSERA_MODEL_URL must be an http(s) URL, not "${mirror}"` };
  const sha256 = pinnedByEnv || model.sha256;
  if (!sha256) {
    return {
      error: `TESSERA_MODEL_URL needs TESSERA_MODEL_SHA256 as well (the SHA-256 of ${model.fileName}): a mirror's own word for its file checks nothing`,
    };
  }
  return { url: u.toString(), sha256, declaredHashFrom: [], mirror: true };
}

/** Whether host is one of the domains or a subdomain of one. */
export function hostInDomains(host: string, domains: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return domains.some((d) => h === d || h.endsWith(`.${d}`));
}

export const BUILTIN_EMBEDDED_NAME = 'embedded (built-in)';

/** The profile used when tessera.backends is empty and a local model is ready. */
export function builtinEmbeddedProfile(modelPath: string): BackendProfile {
  return {
    name: BUILTIN_EMBEDDED_NAME,
    kind: 'embedded',
    modelPath,
    fimTemplate: 'native',
    maxTokens: 64,
    temperature: 0.1,
    timeoutMs: 30_000,
  };
}

export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} kB`;
  return `${n} B`;
}
