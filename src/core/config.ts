/**
 * Every Tessera setting, validated with zod. A bad value never throws: it is replaced by its default and
 * reported as a problem that names the setting and the fix.
 */
import { z } from 'zod';

/** tessera.debounceMs when unset; the adaptive debounce is tuned for it and scales with the user's value. */
export const DEFAULT_DEBOUNCE_MS = 75;
export const BACKEND_KINDS = ['openai', 'ollama', 'llamacpp', 'codestral', 'deepseek', 'embedded'] as const;
export type BackendKind = (typeof BACKEND_KINDS)[number];

/** How each kind is named to a user (the settings panel's kind list). */
export const BACKEND_KIND_LABELS: Record<BackendKind, string> = {
  openai: 'OpenAI-compatible',
  ollama: 'Ollama',
  llamacpp: 'llama.cpp /infill',
  codestral: 'Mistral Codestral',
  deepseek: 'DeepSeek',
  embedded: 'Embedded model',
};

/** Model families whose fill-in-the-middle tokens Tessera knows (their templates: prompt/templates.ts). */
export const FIM_FAMILIES = [
  'starcoder',
  'codellama',
  'deepseek',
  'qwen',
  'codestral',
  'codegemma',
  'granite',
  'stablecode',
] as const;
export type FimFamily = (typeof FIM_FAMILIES)[number];
export const FIM_TEMPLATES = ['native', 'auto', ...FIM_FAMILIES] as const;
export type FimTemplateName = (typeof FIM_TEMPLATES)[number];

/** Edit-prediction prompt layouts (src/core/edits/formats.ts): a profile with one is an edit model. */
export const EDIT_FORMATS = ['zeta', 'zeta-merge'] as const;
export type EditFormatName = (typeof EDIT_FORMATS)[number];

const httpUrl = z
  .string()
  .trim()
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL such as "http://127.0.0.1:8080/v1"')
  // A URL is shown in logs, errors and the status bar; a key in it would be shown with it.
  .refine((s) => !URL.canParse(s) || !hasUrlSecrets(new URL(s)), {
    message:
      'must not carry a user name, password, query string or fragment (such as "?api_key=…"): put the API key in the keychain with "Tessera: Set API Key…" instead',
  })
  .transform((s) => s.replace(/\/+$/, ''));

/** Does the URL carry credentials (`user:pass@`) or parameters (`?key=…`, `#…`) that must never be shown? */
function hasUrlSecrets(u: URL): boolean {
  return (
    u.username !== '' ||
    u.password !== '' ||
    u.search !== '' ||
    u.hash !== '' ||
    /[?#]/.test(u.href.slice(u.origin.length))
  );
}

export const BackendProfileSchema = z
  .object({
    name: z.string().trim().min(1, 'must be a non-empty name'),
    kind: z.enum(BACKEND_KINDS, { message: `must be one of ${BACKEND_KINDS.join(', ')}` }),
    baseUrl: httpUrl.optional(),
    model: z.string().trim().optional(),
    fimTemplate: z.enum(FIM_TEMPLATES, { message: `must be one of ${FIM_TEMPLATES.join(', ')}` }).default('auto'),
    maxTokens: z.number().int().min(1).max(4096).default(128),
    temperature: z.number().min(0).max(2).default(0.2),
    timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
    /** Extra stop sequences on top of the template's. */
    stop: z.array(z.string()).optional(),
    /** Max requests in flight for this backend; default 1 for local servers, 2 for remote ones. */
    concurrency: z.number().int().min(1).max(8).optional(),
    /** Embedded backend: path to a local GGUF file. */
    modelPath: z.string().trim().optional(),
    /** Embedded backend: inference threads (default: cores − 1, at least 1). */
    threads: z.number().int().min(1).max(256).optional(),
    /** Embedded backend: context size in tokens. */
    contextSize: z.number().int().min(256).max(131072).optional(),
    /** An edit-prediction model (next edits, tessera.nextEdit.backend): the prompt layout it was trained on. */
    editFormat: z.enum(EDIT_FORMATS, { message: `must be one of ${EDIT_FORMATS.join(', ')}` }).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.kind !== 'embedded' && !p.baseUrl) {
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: `is required for kind "${p.kind}"` });
    }
    if ((p.kind === 'openai' || p.kind === 'ollama' || p.kind === 'codestral' || p.kind === 'deepseek') && !p.model) {
      ctx.addIssue({ code: 'custom', path: ['model'], message: `is required for kind "${p.kind}"` });
    }
  });

export type BackendProfile = z.output<typeof BackendProfileSchema>;
export type BackendProfileInput = z.input<typeof BackendProfileSchema>;

export const SettingsSchema = z.object({
  enable: z.boolean().default(true),
  backends: z.array(z.unknown()).default([]),
  activeBackend: z.string().default(''),
  /** Per-language switches, Copilot style: {"*": true, "markdown": false}. */
  languages: z.record(z.string(), z.boolean()).default({ '*': true }),
  /** Globs of files never sent to a backend, on top of the built-in secret patterns (the user's settings). */
  exclude: z.array(z.string()).default([]),
  /**
   * `tessera.exclude` of the workspace's own settings, in force together with the user's; its `!` globs undo only
   * its own exclusions (see compileExclusions).
   */
  workspaceExclude: z.array(z.string()).default([]),
  context: z
    .object({
      maxPromptTokens: z.number().int().min(64).max(32768).default(1536),
      /** Share of the budget for text after the cursor. */
      suffixShare: z.number().min(0).max(0.9).default(0.25),
      /** Snippets of other open files of the same language (declarations the cursor's code uses, imported files). */
      otherFiles: z.boolean().default(true),
    })
    .default({ maxPromptTokens: 1536, suffixShare: 0.25, otherFiles: true }),
  debounceMs: z.number().int().min(0).max(2000).default(DEFAULT_DEBOUNCE_MS),
  /** Prefetch the next completion after an accept (off by default for paid backends). */
  prefetch: z.boolean().default(false),
  /** 'manual': no automatic ghost text; only the Trigger Suggestion command (Alt+\) asks. */
  triggerMode: z.enum(['automatic', 'manual']).default('automatic'),
  /** Next-edit suggestions: the name of an edit-model profile (one with an editFormat); empty: off. */
  nextEdit: z.object({ backend: z.string().trim().default('') }).default({ backend: '' }),
});

export interface Settings {
  enable: boolean;
  backends: BackendProfile[];
  activeBackend: string;
  languages: Record<string, boolean>;
  exclude: string[];
  workspaceExclude: string[];
  context: { maxPromptTokens: number; suffixShare: number; otherFiles?: boolean };
  debounceMs: number;
  prefetch: boolean;
  triggerMode: 'automatic' | 'manual';
  nextEdit?: { backend: string };
}

export interface SettingsReadResult {
  settings: Settings;
  /** Human messages, each naming the setting (`tessera.backends[0].baseUrl`) and the fix. */
  problems: string[];
}

function describeIssue(prefix: string, issue: z.core.$ZodIssue): string {
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return `${prefix}${path}: ${issue.message}`;
}

/**
 * Validates raw settings (as read from `workspace.getConfiguration('tessera')`, keys without the prefix).
 * Invalid fields fall back to their defaults; invalid backend profiles are skipped; nothing throws.
 */
/** How problems of the workspace's own `tessera.exclude` are labelled (they are read apart from the user's). */
const WORKSPACE_EXCLUDE_LABEL = 'tessera.exclude (workspace settings)';

export function readSettings(raw: Record<string, unknown>): SettingsReadResult {
  const problems: string[] = [];
  const defaults = SettingsSchema.parse({});
  const settings: Settings = { ...defaults, backends: [] };

  for (const key of Object.keys(SettingsSchema.shape) as (keyof typeof SettingsSchema.shape)[]) {
    if (raw[key] === undefined || key === 'backends') continue;
    const field = SettingsSchema.shape[key];
    const r = field.safeParse(raw[key]);
    if (r.success) {
      (settings as unknown as Record<string, unknown>)[key] = r.data;
    } else {
      const label = key === 'workspaceExclude' ? WORKSPACE_EXCLUDE_LABEL : `tessera.${key}`;
      for (const issue of r.error.issues) problems.push(describeIssue(label, issue));
    }
  }

  const rawBackends = raw.backends;
  if (rawBackends !== undefined && !Array.isArray(rawBackends)) {
    problems.push('tessera.backends: must be an array of backend profiles, e.g. [{"name":"local","kind":"openai",…}]');
  } else if (Array.isArray(rawBackends)) {
    const seen = new Set<string>();
    rawBackends.forEach((p, i) => {
      const r = BackendProfileSchema.safeParse(p);
      if (!r.success) {
        for (const issue of r.error.issues) problems.push(describeIssue(`tessera.backends[${i}]`, issue));
        return;
      }
      if (seen.has(r.data.name)) {
        problems.push(`tessera.backends[${i}].name: "${r.data.name}" is used by another profile; names must be unique`);
        return;
      }
      seen.add(r.data.name);
      settings.backends.push(r.data);
    });
  }

  if (
    settings.activeBackend &&
    settings.backends.length > 0 &&
    !settings.backends.some((b) => b.name === settings.activeBackend)
  ) {
    problems.push(
      `tessera.activeBackend: no profile named "${settings.activeBackend}" in tessera.backends (have: ${settings.backends
        .map((b) => b.name)
        .join(', ')})`,
    );
  }
  const named = settings.backends.find((b) => b.name === settings.activeBackend);
  if (named?.editFormat) {
    problems.push(
      `tessera.activeBackend: "${named.name}" is an edit model (editFormat "${named.editFormat}"): name it in tessera.nextEdit.backend, and a ghost-text (FIM) profile here`,
    );
  }
  const editName = settings.nextEdit?.backend ?? '';
  if (editName && settings.backends.length > 0) {
    const edit = settings.backends.find((b) => b.name === editName);
    if (!edit) {
      problems.push(
        `tessera.nextEdit.backend: no profile named "${editName}" in tessera.backends (have: ${settings.backends.map((b) => b.name).join(', ')})`,
      );
    } else if (!edit.editFormat) {
      problems.push(
        `tessera.nextEdit.backend: profile "${editName}" is not an edit model: add "editFormat": "zeta" (or "zeta-merge") to it`,
      );
    }
  }
  return { settings, problems };
}

/**
 * The profile in use for ghost text: the named one, else the first that is not an edit model, else undefined (the
 * embedded default decides later).
 */
export function activeProfile(settings: Settings): BackendProfile | undefined {
  const ghost = settings.backends.filter((b) => !b.editFormat);
  return ghost.find((b) => b.name === settings.activeBackend) ?? ghost[0];
}

/** The edit-model profile for next edits (tessera.nextEdit.backend), or undefined when off or misconfigured. */
export function nextEditProfile(settings: Settings): BackendProfile | undefined {
  const name = settings.nextEdit?.backend ?? '';
  if (!name) return undefined;
  const p = settings.backends.find((b) => b.name === name);
  return p?.editFormat ? p : undefined;
}

/** Parses one profile (CLI `--backend`, settings panel). Throws an Error whose message names each bad field. */
export function parseProfile(raw: unknown, label = 'backend'): BackendProfile {
  const r = BackendProfileSchema.safeParse(raw);
  if (r.success) return r.data;
  throw new Error(r.error.issues.map((i) => describeIssue(label, i)).join('; '));
}

/**
 * Is this URL on this machine (loopback)? Strict: only `localhost` and literal loopback addresses; names that a DNS
 * server resolves (`127.0.0.1.nip.io`, `localhost.evil.com`, `api.localhost`) are not.
 * Used for untrusted workspaces and concurrency defaults.
 */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  // `*.localhost` is not here: resolvers other than the system's may send such names anywhere.
  if (host === 'localhost') return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  if (/^::ffff:127\./.test(host) || /^::ffff:7f[0-9a-f]{2}:/.test(host)) return true;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return !!m && m[1] === '127' && m.slice(2).every((o) => Number(o) <= 255);
}

/** A profile's base URL is local when it is loopback, or absent (the embedded backend runs in-process). */
export function isLocalUrl(url: string | undefined): boolean {
  return url === undefined || isLoopbackUrl(url);
}

/**
 * The backend runs on this machine (the embedded model, or a server on loopback): its requests cost the user
 * nothing, so it gets longer answers, prefetching, and one request at a time by default.
 */
export function isLocalBackend(profile: Pick<BackendProfile, 'kind' | 'baseUrl'>): boolean {
  return profile.kind === 'embedded' || isLocalUrl(profile.baseUrl);
}

/** Where a setting's value comes from: VS Code's user settings.json, the workspace's, or a folder's `.vscode/settings.json`. */
export type SettingsSource = 'user' | 'workspace' | 'workspaceFolder';

/**
 * One key: the value in effect (as `WorkspaceConfiguration.get` gives it: VS Code merges object values across
 * files) and the value in each settings file (undefined where the file does not set it; `inspect`).
 */
export interface SettingLayers {
  value?: unknown;
  user?: unknown;
  workspace?: unknown;
  workspaceFolder?: unknown;
}

/** A settings problem and the file that has it, so the warning can name the file and open it. */
export interface SettingsProblem {
  text: string;
  source: SettingsSource;
}

/** Most specific first, as VS Code applies them. */
const PRECEDENCE: readonly SettingsSource[] = ['workspaceFolder', 'workspace', 'user'];

export const SOURCE_NAMES: Record<SettingsSource, string> = {
  user: 'user settings',
  workspace: 'workspace settings',
  workspaceFolder: 'folder settings',
};

/**
 * Reads settings from each file's values, as VS Code combines them (the most specific file wins; `ignoreWorkspace`
 * keys — restricted settings in an untrusted workspace — are taken from user settings only). Each problem names
 * the file it is in. A broken value in a file that another file overrides does not break anything, but the user
 * who wrote it is told it is ignored, and why.
 */
export function readLayeredSettings(
  layers: Partial<Record<string, SettingLayers>>,
  opts: { ignoreWorkspace?: (key: string) => boolean } = {},
): { settings: Settings; problems: SettingsProblem[]; sources: Partial<Record<string, SettingsSource>> } {
  const raw: Record<string, unknown> = {};
  const sources: Partial<Record<string, SettingsSource>> = {};
  const shadowed: { key: string; source: SettingsSource; by: SettingsSource; value: unknown }[] = [];
  for (const [key, l] of Object.entries(layers)) {
    if (!l) continue;
    if (key === 'exclude') {
      Object.assign(raw, layeredExclusions(l, opts.ignoreWorkspace?.(key) ?? false));
      sources.exclude = 'user';
      sources.workspaceExclude =
        l.workspaceFolder !== undefined && l.workspaceFolder !== null ? 'workspaceFolder' : 'workspace';
      continue;
    }
    const usable = PRECEDENCE.filter(
      (s) => l[s] !== undefined && l[s] !== null && (s === 'user' || !opts.ignoreWorkspace?.(key)),
    );
    if (usable.length === 0) continue;
    raw[key] = l.value !== undefined && l.value !== null ? l.value : l[usable[0]];
    sources[key] = usable[0];
    for (const s of usable.slice(1)) shadowed.push({ key, source: s, by: usable[0], value: l[s] });
  }
  const read = readSettings(raw);
  const keyOf = (text: string) => (text.startsWith(WORKSPACE_EXCLUDE_LABEL) ? 'workspaceExclude' : settingOf(text));
  const problems: SettingsProblem[] = read.problems.map((text) => ({ text, source: sources[keyOf(text)] ?? 'user' }));
  for (const s of shadowed) {
    const own = readSettings({ [s.key]: s.value }).problems;
    if (own.length === 0) continue;
    problems.push({
      source: s.source,
      text: `${own[0]}${own.length > 1 ? ` (+${own.length - 1} more)` : ''} — this value in ${SOURCE_NAMES[s.source]} is ignored anyway: the ${SOURCE_NAMES[s.by]} set tessera.${s.key}`,
    });
  }
  return { settings: read.settings, problems, sources };
}

/**
 * The user's and the workspace's exclusions both hold (as an array setting, the workspace's would replace the
 * user's), and they are kept apart: a workspace's "!" globs must not re-allow what the user or a built-in secret
 * pattern excludes. `ignoreWorkspace`: an untrusted workspace's own exclusions are not read at all.
 */
function layeredExclusions(
  l: SettingLayers,
  ignoreWorkspace: boolean,
): { exclude: unknown; workspaceExclude: unknown } {
  const inWorkspace = ignoreWorkspace
    ? []
    : [l.workspace, l.workspaceFolder].filter((v) => v !== undefined && v !== null);
  return {
    exclude: l.user ?? [],
    workspaceExclude: inWorkspace.every(Array.isArray)
      ? (inWorkspace as unknown[][]).flat()
      : inWorkspace.find((v) => !Array.isArray(v)),
  };
}

/** The key a problem text is about (`tessera.backends[0].baseUrl: …` → `backends`). */
export function settingOf(problem: string): string {
  return /^tessera\.(\w+)/.exec(problem)?.[1] ?? '';
}
