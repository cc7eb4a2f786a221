/**
 * Which files never reach a backend, and which backends a workspace may use.
 *
 * Two sources of exclusion, checked in this order:
 *  1. built-in secret patterns (`.env*`, `*.pem`, `*.key`, `id_rsa*`, credentials files, …): always on,
 *     because a completion request carries the text around the cursor to a server;
 *  2. the `tessera.exclude` globs of the user's and of the workspace's settings, both in force (picomatch syntax,
 *     case-insensitive, matched against the workspace-relative path; a pattern without a slash matches the file
 *     name anywhere, like `.gitignore`).
 * A user-settings glob starting with `!` re-allows what it matches, built-in patterns included
 * (`"!.env.example"` lets Tessera complete in a template of placeholders); a workspace one only undoes the
 * workspace's own globs.
 *
 * Pure: no `vscode`, no file system. The shell passes the path it already knows.
 */
import picomatch from 'picomatch';
import { isLoopbackUrl, type BackendProfile } from './config';

export { isLoopbackUrl };

/**
 * File-name patterns (matched case-insensitively against the base name) of files that usually hold secrets.
 * Each entry says why, so the status bar and log can explain the exclusion.
 */
export const SECRET_FILE_PATTERNS: readonly { glob: string; what: string }[] = [
  { glob: '.env*', what: 'environment file' },
  { glob: '*.env', what: 'environment file' },
  { glob: '*.pem', what: 'PEM certificate or key' },
  { glob: '*.key', what: 'private key' },
  { glob: '*.p12', what: 'PKCS#12 key store' },
  { glob: '*.pfx', what: 'PKCS#12 key store' },
  { glob: '*.jks', what: 'Java key store' },
  { glob: '*.keystore', what: 'key store' },
  { glob: '*.kdbx', what: 'password database' },
  { glob: '*.gpg', what: 'encrypted file' },
  { glob: '*.asc', what: 'PGP key or signature' },
  { glob: 'id_rsa*', what: 'SSH key' },
  { glob: 'id_dsa*', what: 'SSH key' },
  { glob: 'id_ecdsa*', what: 'SSH key' },
  { glob: 'id_ed25519*', what: 'SSH key' },
  { glob: '*.ppk', what: 'PuTTY private key' },
  { glob: 'credentials', what: 'credentials file' },
  { glob: 'credentials.*', what: 'credentials file' },
  { glob: '*credentials*.json', what: 'credentials file' },
  { glob: 'client_secret*.json', what: 'OAuth client secret' },
  { glob: 'secrets.{yml,yaml,json,toml}', what: 'secrets file' },
  { glob: 'service-account*.json', what: 'cloud service-account key' },
  { glob: '.netrc', what: 'login credentials' },
  { glob: '_netrc', what: 'login credentials' },
  { glob: '.git-credentials', what: 'git credentials' },
  { glob: '.npmrc', what: 'npm token file' },
  { glob: '.pypirc', what: 'PyPI token file' },
  { glob: '.pgpass', what: 'PostgreSQL password file' },
  { glob: '.htpasswd', what: 'password file' },
  { glob: '*.tfvars', what: 'Terraform variables (often secrets)' },
  { glob: '*.tfstate', what: 'Terraform state (holds secrets)' },
  { glob: '*.tfstate.backup', what: 'Terraform state (holds secrets)' },
];

/** Directory-scoped secret locations, matched against the whole path. */
const SECRET_PATH_PATTERNS: readonly { glob: string; what: string }[] = [
  { glob: '**/.aws/credentials', what: 'AWS credentials' },
  { glob: '**/.aws/config', what: 'AWS configuration' },
  { glob: '**/.docker/config.json', what: 'Docker registry credentials' },
  { glob: '**/.kube/config', what: 'Kubernetes credentials' },
  { glob: '**/.ssh/**', what: 'SSH directory' },
  { glob: '**/.gnupg/**', what: 'GnuPG directory' },
];

export interface Exclusion {
  /** `secret`: a built-in pattern; `user` / `workspace`: a `tessera.exclude` glob of the user's / workspace's settings. */
  source: 'secret' | 'user' | 'workspace';
  /** The glob that matched. */
  pattern: string;
  /** One human sentence for the status bar and the log. */
  detail: string;
}

export interface ExclusionMatcher {
  /** Why this path must not be sent, or undefined when it may be. */
  match(path: string): Exclusion | undefined;
  /** Globs of `tessera.exclude` that could not be compiled, with the reason. */
  readonly problems: string[];
}

/** Normalizes a path for matching: forward slashes, no leading `./`. */
export function normalizePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '');
}

function baseName(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}

type Test = (s: string) => boolean;

const secretName = SECRET_FILE_PATTERNS.map(({ glob, what }) => ({
  glob,
  what,
  test: picomatch(glob, { dot: true, nocase: true }) as Test,
}));
const secretPath = SECRET_PATH_PATTERNS.map(({ glob, what }) => ({
  glob,
  what,
  test: picomatch(glob, { dot: true, nocase: true }) as Test,
}));

interface Glob {
  glob: string;
  test: Test;
}

/** Compiles one list of `tessera.exclude` globs into excluding and re-allowing (`!`) patterns. */
function compileGlobs(globs: readonly string[], label: string, problems: string[]): { exclude: Glob[]; allow: Glob[] } {
  const exclude: Glob[] = [];
  const allow: Glob[] = [];
  globs.forEach((raw, i) => {
    let glob = typeof raw === 'string' ? raw.trim() : '';
    const negated = glob.startsWith('!');
    if (negated) glob = glob.slice(1).trim();
    if (!glob) {
      problems.push(`${label}[${i}]: must be a non-empty glob such as "**/generated/**"`);
      return;
    }
    try {
      // A pattern without "/" matches the file name in any folder, like .gitignore. Case-insensitive like the
      // built-in patterns: "*.PEM" and "Secrets/**" must not slip past on a case-insensitive file system.
      const onName = !glob.includes('/');
      const m = picomatch(glob.replace(/^\.\//, ''), { dot: true, nocase: true, windows: false }) as Test;
      const test: Test = onName ? (s) => m(baseName(s)) : m;
      (negated ? allow : exclude).push({ glob, test });
    } catch (err) {
      problems.push(
        `${label}[${i}]: "${glob}" is not a valid glob (${err instanceof Error ? err.message : String(err)})`,
      );
    }
  });
  return { exclude, allow };
}

/**
 * Compiles the built-in secret patterns plus the `tessera.exclude` globs of the user's settings and of the
 * workspace's. `path` given to `match` is the workspace-relative path (or the absolute path for a file outside
 * the workspace).
 *
 * A `!` glob of the user's settings re-allows anything, built-in secret patterns included. A `!` glob of the
 * workspace's settings re-allows only what the workspace's own globs exclude: a cloned repository's
 * `.vscode/settings.json` must not be able to send your `.env` or `id_rsa` (`"!**"`) or undo your own exclusions.
 */
export function compileExclusions(
  userGlobs: readonly string[] = [],
  workspaceGlobs: readonly string[] = [],
): ExclusionMatcher {
  const problems: string[] = [];
  const user = compileGlobs(userGlobs, 'tessera.exclude', problems);
  const workspace = compileGlobs(workspaceGlobs, 'tessera.exclude (workspace settings)', problems);

  return {
    problems,
    match(path: string): Exclusion | undefined {
      const p = normalizePath(path);
      if (!p) return undefined;
      const name = baseName(p);
      const rel = p.replace(/^\/+/, '');
      const hit = (g: Glob) => g.test(rel) || g.test(p);
      if (user.allow.some(hit)) return undefined;
      for (const s of secretName) {
        if (s.test(name))
          return {
            source: 'secret',
            pattern: s.glob,
            detail: `${name} looks like a ${s.what} (built-in pattern "${s.glob}"): never sent to a backend`,
          };
      }
      for (const s of secretPath) {
        if (s.test(p) || s.test(`/${p}`))
          return {
            source: 'secret',
            pattern: s.glob,
            detail: `${p} is in a ${s.what} location ("${s.glob}"): never sent to a backend`,
          };
      }
      const u = user.exclude.find(hit);
      if (u) return { source: 'user', pattern: u.glob, detail: `${name} matches "${u.glob}" in tessera.exclude` };
      const w = workspace.exclude.find(hit);
      if (w && !workspace.allow.some(hit)) {
        return {
          source: 'workspace',
          pattern: w.glob,
          detail: `${name} matches "${w.glob}" in tessera.exclude (workspace settings)`,
        };
      }
      return undefined;
    },
  };
}

/**
 * Why a document must not be sent: its own path, or — when it is a symlink, or lies in a symlinked folder — the path
 * of the file it really is (`config.txt → .env`). Either one excluded excludes it.
 */
export function matchDocument(
  matcher: ExclusionMatcher,
  where: { path: string; realPath?: string },
): Exclusion | undefined {
  const own = matcher.match(where.path);
  if (own || !where.realPath || where.realPath === where.path) return own;
  const real = matcher.match(where.realPath);
  return (
    real && {
      ...real,
      detail: `${baseName(normalizePath(where.path))} is a link to ${normalizePath(where.realPath)}: ${real.detail}`,
    }
  );
}

/** Memoizes the matcher for the last lists of globs (settings change rarely, documents often). */
export function exclusionMatcherCache(): (
  userGlobs: readonly string[],
  workspaceGlobs?: readonly string[],
) => ExclusionMatcher {
  let key = '';
  let cached: ExclusionMatcher | undefined;
  return (userGlobs, workspaceGlobs = []) => {
    const k = JSON.stringify([userGlobs, workspaceGlobs]);
    if (!cached || k !== key) {
      cached = compileExclusions(userGlobs, workspaceGlobs);
      key = k;
    }
    return cached;
  };
}

export interface TrustDecision {
  allowed: boolean;
  /** Why not, in one sentence the panel and the status bar can show. */
  reason?: string;
}

/**
 * In an untrusted workspace, code may only go to a server on this machine or to the embedded model:
 * a cloned repository could otherwise point `tessera.backends` at a remote server and receive your code.
 */
export function backendAllowedInWorkspace(
  profile: Pick<BackendProfile, 'name' | 'kind' | 'baseUrl'>,
  trusted: boolean,
): TrustDecision {
  if (trusted) return { allowed: true };
  if (profile.kind === 'embedded') return { allowed: true };
  if (profile.baseUrl && isLoopbackUrl(profile.baseUrl)) return { allowed: true };
  let host = profile.baseUrl ?? '';
  try {
    host = new URL(host).host;
  } catch {
    /* keep the raw value */
  }
  return {
    allowed: false,
    reason: `this workspace is not trusted, so Tessera only uses a backend on this machine (localhost) or the embedded model; "${profile.name}" sends code to ${host || 'a remote server'}`,
  };
}
