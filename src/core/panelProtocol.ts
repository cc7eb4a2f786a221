/**
 * The settings panel's message protocol: what the webview and the extension host say to each other, and the
 * validation of a profile form with the same zod schema the settings use (`BackendProfileSchema`).
 *
 * Pure: the webview sends plain form values (strings, as inputs hold them); this module turns them into a
 * profile input, validates it and names the bad field so the panel can show the error next to it.
 * API keys travel webview → host only, once, to be put in SecretStorage; the host never sends a key back.
 */
import { z } from 'zod';
import {
  BACKEND_KIND_LABELS,
  BACKEND_KINDS,
  BackendProfileSchema,
  EDIT_FORMATS,
  FIM_TEMPLATES,
  type BackendProfile,
  type BackendProfileInput,
} from './config';
import { backendAllowedInWorkspace } from './exclusions';
import type { ProbeResult } from './backends/types';
import { redactUrls } from './log';

/** Form fields the panel edits, in display order. */
export const PROFILE_FIELDS = [
  'name',
  'kind',
  'baseUrl',
  'model',
  'fimTemplate',
  'maxTokens',
  'temperature',
  'timeoutMs',
  'concurrency',
  'stop',
  'modelPath',
  'threads',
  'contextSize',
  'editFormat',
] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

const NUMBER_FIELDS = new Set<ProfileField>([
  'maxTokens',
  'temperature',
  'timeoutMs',
  'concurrency',
  'threads',
  'contextSize',
]);
const INTEGER_FIELDS = new Set<ProfileField>(['maxTokens', 'timeoutMs', 'concurrency', 'threads', 'contextSize']);

/** A profile form as the webview holds it: every field a string (stop sequences: one per line). */
export type ProfileDraft = Partial<Record<ProfileField, string>>;

const DraftSchema = z.record(z.string(), z.string().max(100_000)).transform((r) => {
  const out: ProfileDraft = {};
  for (const f of PROFILE_FIELDS) if (typeof r[f] === 'string') out[f] = r[f];
  return out;
});

/** How the panel shows a form field: its label, help line, and the input's placeholder and keyboard. */
export interface FieldSpec {
  label: string;
  hint: string;
  placeholder?: string;
  inputmode?: 'numeric' | 'decimal';
}

/** Bounds and default of a numeric profile field, read from `BackendProfileSchema` (the one place they are set). */
export function numberBounds(
  field: ProfileField,
): { min?: number; max?: number; integer: boolean; default?: number } | undefined {
  let t = BackendProfileSchema.shape[field] as unknown as {
    unwrap?: () => unknown;
    def: { defaultValue?: unknown };
    minValue?: number | null;
    maxValue?: number | null;
    isInt?: boolean;
  };
  let dflt: number | undefined;
  while (!('minValue' in t) && t.unwrap) {
    if (typeof t.def.defaultValue === 'number') dflt = t.def.defaultValue;
    t = t.unwrap() as typeof t;
  }
  if (!('minValue' in t)) return undefined;
  const finite = (n: number | null | undefined) =>
    typeof n === 'number' && Number.isFinite(n) && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : undefined;
  return { min: finite(t.minValue), max: finite(t.maxValue), integer: !!t.isInt, default: dflt };
}

/** "1–4096, default 128" for a numeric field (bounds from the schema), then `extra`. */
function numberHint(field: ProfileField, extra?: string): string {
  const b = numberBounds(field);
  if (!b) return extra ?? '';
  const range =
    b.min !== undefined && b.max !== undefined ? `${b.min}–${b.max}` : b.min !== undefined ? `at least ${b.min}` : '';
  return [range, b.default !== undefined ? `default ${b.default}` : extra].filter(Boolean).join(', ');
}

function numberField(field: ProfileField, label: string, extra?: string): FieldSpec {
  const b = numberBounds(field);
  const dflt = b?.default;
  return {
    label,
    hint: numberHint(field, extra),
    placeholder: dflt !== undefined ? String(dflt) : undefined,
    inputmode: b?.integer === false ? 'decimal' : 'numeric',
  };
}

/** Every form field as the panel shows it; bounds and defaults come from the settings schema. */
export function profileFieldSpecs(): Record<ProfileField, FieldSpec> {
  return {
    name: { label: 'Name', hint: 'Unique; tessera.activeBackend refers to it.' },
    kind: {
      label: 'Kind',
      hint: 'Wire protocol. OpenAI-compatible: llama.cpp server, vLLM, LM Studio…; Embedded runs inside VS Code.',
    },
    baseUrl: {
      label: 'Base URL',
      hint: 'As the service documents it, e.g. http://127.0.0.1:8080/v1',
      placeholder: 'http://127.0.0.1:8080/v1',
    },
    model: { label: 'Model', hint: 'Model id sent to the server. Test connection lists the available ones.' },
    fimTemplate: {
      label: 'FIM template',
      hint: 'auto (default): the server’s own fill-in-the-middle when it reports one, else the template of the model family, else native — right unless you know better. native: the server’s suffix field. A family: that model’s FIM tokens.',
    },
    maxTokens: numberField('maxTokens', 'Max tokens'),
    temperature: numberField('temperature', 'Temperature'),
    timeoutMs: numberField('timeoutMs', 'Timeout (ms)'),
    concurrency: {
      ...numberField('concurrency', 'Concurrency'),
      hint: `Requests in flight, ${numberHint('concurrency')} (default 1 local, 2 remote)`,
    },
    stop: { label: 'Extra stop sequences', hint: 'One per line; write a newline as \\n.' },
    modelPath: { label: 'Model file (GGUF)', hint: 'Path to a local .gguf file; empty: the bundled default.' },
    threads: { ...numberField('threads', 'Threads'), hint: 'Default: cores − 1' },
    contextSize: numberField('contextSize', 'Context size (tokens)'),
    editFormat: {
      label: 'Edit format',
      hint: 'Only for an edit-prediction model (next edits), e.g. Zeta 2: the prompt layout it was trained on.',
    },
  };
}

/** Field → message, for the fields that are wrong. `form` is for errors that belong to no single field. */
export type FieldErrors = Partial<Record<ProfileField | 'form', string>>;

// ─── webview → host ────────────────────────────────────────────────────────────────────────────────────────

const index = z.number().int().min(0).max(10_000);
const apiKey = z.string().max(4096);

export const WebviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** Live validation while typing. `index` is the profile being edited (null: a new one). */
  z.object({ type: z.literal('validate'), seq: z.number().int(), index: index.nullable(), draft: DraftSchema }),
  /** Save the form into `tessera.backends` (append when index is null); an API key, if typed, goes to SecretStorage. */
  z.object({
    type: z.literal('save'),
    index: index.nullable(),
    draft: DraftSchema,
    apiKey: apiKey.optional(),
    makeActive: z.boolean().optional(),
  }),
  z.object({ type: z.literal('remove'), index }),
  z.object({ type: z.literal('duplicate'), index }),
  z.object({ type: z.literal('setActive'), name: z.string().min(1).max(200) }),
  /** The edit-model profile for next edits (tessera.nextEdit.backend); '' turns next edits off. */
  z.object({ type: z.literal('setNextEdit'), name: z.string().max(200) }),
  /** Probe the form's profile as it stands (unsaved edits included). */
  z.object({
    type: z.literal('test'),
    seq: z.number().int(),
    index: index.nullable(),
    draft: DraftSchema,
    apiKey: apiKey.optional(),
  }),
  z.object({ type: z.literal('clearApiKey'), name: z.string().min(1).max(200) }),
  z.object({ type: z.literal('openSettingsJson') }),
  z.object({ type: z.literal('showLog') }),
  /** Zero setup: download (once) and use the built-in embedded model, the default when no profile exists. */
  z.object({ type: z.literal('useBuiltinModel') }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;
/** A message as the webview sends it (before the host parses it with WebviewMessageSchema). */
export type WebviewMessageInput = z.input<typeof WebviewMessageSchema>;

/** Parses a message from the webview; anything else (wrong shape, unknown type) is an error, never a crash. */
export function parseWebviewMessage(
  raw: unknown,
): { ok: true; message: WebviewMessage } | { ok: false; error: string } {
  const r = WebviewMessageSchema.safeParse(raw);
  if (r.success) return { ok: true, message: r.data };
  const first = r.error.issues[0];
  return {
    ok: false,
    error: `malformed panel message${first ? ` at ${first.path.join('.') || '(root)'}: ${first.message}` : ''}`,
  };
}

// ─── host → webview ────────────────────────────────────────────────────────────────────────────────────────

/** One entry of `tessera.backends` as the panel lists it (invalid entries too, so they can be fixed). */
export interface PanelProfile {
  index: number;
  /** Form values of the stored entry. */
  draft: ProfileDraft;
  name: string;
  /** "openai · http://127.0.0.1:8080/v1 · qwen2.5-coder" */
  summary: string;
  /** Errors of the stored entry, by field (empty when valid). */
  errors: FieldErrors;
  hasApiKey: boolean;
  /** Why this profile is not used in this (untrusted) workspace, if so. */
  blockedReason?: string;
}

export interface PanelState {
  profiles: PanelProfile[];
  /** Name of the profile in use ('' when none). */
  active: string;
  /** The `tessera.activeBackend` value as written (may name a missing profile). */
  activeSetting: string;
  trusted: boolean;
  /** Shown at the top when the workspace is untrusted. */
  trustNote?: string;
  /** Settings problems outside the profiles (e.g. activeBackend names no profile). */
  problems: string[];
  /** Where the panel writes: 'user' or 'workspace' settings. */
  target: 'user' | 'workspace';
  kinds: readonly string[];
  /** How each kind is named in the kind list. */
  kindLabels: Readonly<Record<string, string>>;
  /** Label, help and input hints of each form field (numeric bounds from the settings schema). */
  fields: Record<ProfileField, FieldSpec>;
  templates: readonly string[];
  editFormats: readonly string[];
  /** tessera.nextEdit.backend as written ('' = next edits off). */
  nextEdit: string;
}

export interface TestReport extends ProbeResult {
  profileName: string;
  /** The model configured in the form, and whether the server lists it. */
  model?: string;
  modelListed?: boolean;
}

/** At most this many model ids go to the panel: a server may list thousands, each a chip to draw. */
export const MAX_LISTED_MODELS = 300;

/** The Test connection result for the panel: the first MAX_LISTED_MODELS models, the configured one checked against all. */
export function testReport(probe: ProbeResult, profileName: string, model: string | undefined): TestReport {
  return {
    ...probe,
    models: probe.models.slice(0, MAX_LISTED_MODELS),
    profileName,
    model,
    modelListed: model && probe.models.length > 0 ? probe.models.includes(model) : undefined,
  };
}

export type HostMessage =
  | { type: 'state'; state: PanelState }
  | { type: 'validation'; seq: number; errors: FieldErrors; warning?: string }
  | { type: 'saved'; index: number; name: string }
  | { type: 'saveFailed'; errors: FieldErrors }
  | { type: 'testStarted'; seq: number }
  | { type: 'testResult'; seq: number; report?: TestReport; errors?: FieldErrors }
  | { type: 'notice'; level: 'info' | 'error'; text: string };

// ─── drafts ↔ profiles ────────────────────────────────────────────────────────────────────────────────────

/** Form values of a stored (raw) profile entry. Unknown or odd values are shown as text so they can be fixed. */
export function draftFromRaw(raw: unknown): ProfileDraft {
  const d: ProfileDraft = {};
  if (typeof raw !== 'object' || raw === null) return d;
  const r = raw as Record<string, unknown>;
  for (const f of PROFILE_FIELDS) {
    const v = r[f];
    if (v === undefined || v === null) continue;
    if (f === 'stop' && Array.isArray(v)) d.stop = v.map((s) => escapeStop(String(s))).join('\n');
    else
      d[f] =
        typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  }
  return d;
}

/** Stop sequences are edited one per line; a newline inside one is written `\n`, a backslash `\\`. */
function escapeStop(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}
function unescapeStop(s: string): string {
  return s.replace(/\\(\\|n|t)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : '\\'));
}

/**
 * Turns form values into a profile input for zod: trims, drops empty fields, converts numbers (a non-number
 * is kept as text so zod reports it on the field), splits stop sequences by line.
 */
export function draftToInput(draft: ProfileDraft): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of PROFILE_FIELDS) {
    const raw = draft[f];
    if (raw === undefined) continue;
    if (f === 'stop') {
      const lines = raw
        .split('\n')
        .filter((l) => l.length > 0)
        .map(unescapeStop);
      if (lines.length) out.stop = lines;
      continue;
    }
    const v = raw.trim();
    if (v === '') continue;
    if (NUMBER_FIELDS.has(f)) {
      const n = Number(v);
      out[f] = Number.isFinite(n) ? n : v;
      continue;
    }
    out[f] = v;
  }
  return out;
}

function fieldMessage(field: ProfileField | 'form', issue: z.core.$ZodIssue, input: Record<string, unknown>): string {
  if (issue.code === 'invalid_type' && field !== 'form' && input[field] === undefined) return 'is required';
  if (issue.code === 'invalid_type' && NUMBER_FIELDS.has(field as ProfileField)) {
    return INTEGER_FIELDS.has(field as ProfileField) ? 'must be a whole number' : 'must be a number';
  }
  if (issue.code === 'too_small' && 'minimum' in issue) return `must be at least ${String(issue.minimum)}`;
  if (issue.code === 'too_big' && 'maximum' in issue) return `must be at most ${String(issue.maximum)}`;
  if (issue.code === 'invalid_type' && INTEGER_FIELDS.has(field as ProfileField)) return 'must be a whole number';
  return issue.message;
}

export type ValidationResult =
  | { ok: true; profile: BackendProfile; input: BackendProfileInput; errors: FieldErrors; warning?: string }
  | { ok: false; errors: FieldErrors; warning?: string };

/**
 * Validates a form against `BackendProfileSchema` plus the rule zod cannot see alone: names are unique among
 * the other profiles. `otherNames` are the names of every profile except the one being edited.
 */
export function validateDraft(
  draft: ProfileDraft,
  otherNames: readonly string[] = [],
  opts: { trusted?: boolean } = {},
): ValidationResult {
  const input = draftToInput(draft);
  const errors: FieldErrors = {};
  const r = BackendProfileSchema.safeParse(input);
  if (!r.success) {
    for (const issue of r.error.issues) {
      const head = issue.path[0];
      const field: ProfileField | 'form' =
        typeof head === 'string' && (PROFILE_FIELDS as readonly string[]).includes(head)
          ? (head as ProfileField)
          : 'form';
      errors[field] ??= fieldMessage(field, issue, input);
    }
  }
  const name = typeof input.name === 'string' ? input.name : '';
  if (name && otherNames.includes(name)) errors.name ??= `"${name}" is used by another profile; names must be unique`;
  let warning: string | undefined;
  if (r.success && opts.trusted === false) warning = backendAllowedInWorkspace(r.data, false).reason;
  if (!r.success || Object.keys(errors).length > 0) return { ok: false, errors, warning };
  return { ok: true, profile: r.data, input: input as BackendProfileInput, errors, warning };
}

/**
 * The settings entry to write for a validated form: the stored entry's unknown keys are kept (someone may have
 * written them by hand), every form field is replaced, and a field emptied in the form is removed.
 */
export function mergeIntoRaw(stored: unknown, input: Record<string, unknown>): Record<string, unknown> {
  const base =
    typeof stored === 'object' && stored !== null && !Array.isArray(stored)
      ? { ...(stored as Record<string, unknown>) }
      : {};
  for (const f of PROFILE_FIELDS) delete base[f];
  const ordered: Record<string, unknown> = {};
  for (const f of PROFILE_FIELDS) if (input[f] !== undefined) ordered[f] = input[f];
  return { ...ordered, ...base };
}

/** A name not yet taken: "local copy", "local copy 2", … */
export function uniqueName(base: string, taken: readonly string[]): string {
  const root = `${base} copy`;
  if (!taken.includes(root)) return root;
  for (let i = 2; ; i++) if (!taken.includes(`${root} ${i}`)) return `${root} ${i}`;
}

/** One line describing a stored profile for the list. */
export function summarize(draft: ProfileDraft): string {
  const parts = [draft.kind ?? '?'];
  if (draft.kind === 'embedded') parts.push(draft.modelPath ? draft.modelPath : 'default model');
  else if (draft.baseUrl) parts.push(redactUrls(draft.baseUrl)); // an invalid entry may still carry a password
  if (draft.model) parts.push(draft.model);
  if (draft.editFormat) parts.push(`edit model (${draft.editFormat})`);
  return parts.join(' · ');
}

/** Builds the panel state from the raw settings values; pure so it is tested without VS Code. */
export function buildPanelState(args: {
  rawBackends: unknown;
  activeSetting: string;
  keyNames: ReadonlySet<string>;
  trusted: boolean;
  target: 'user' | 'workspace';
  nextEditSetting?: string;
}): PanelState {
  const list = Array.isArray(args.rawBackends) ? args.rawBackends : [];
  const problems: string[] = [];
  if (args.rawBackends !== undefined && !Array.isArray(args.rawBackends))
    problems.push('tessera.backends is not a list: fix it in settings.json');
  const names = list.map((r) => draftToInput(draftFromRaw(r)).name).map((n) => (typeof n === 'string' ? n : ''));
  const profiles: PanelProfile[] = list.map((raw, i) => {
    const draft = draftFromRaw(raw);
    const others = names.filter((_, j) => j !== i && j < i); // the first of two equal names wins, as in readSettings
    const v = validateDraft(draft, others, { trusted: args.trusted });
    const name = names[i] || `(unnamed #${i + 1})`;
    return {
      index: i,
      draft,
      name,
      summary: summarize(draft),
      errors: v.errors,
      hasApiKey: args.keyNames.has(name),
      blockedReason: v.ok ? backendAllowedInWorkspace(v.profile, args.trusted).reason : undefined,
    };
  });
  // The ghost-text model: a valid profile that is not an edit model (those are picked for next edits).
  const validNames = profiles
    .filter((p) => Object.keys(p.errors).length === 0 && !p.draft.editFormat)
    .map((p) => p.name);
  let active = validNames.includes(args.activeSetting) ? args.activeSetting : (validNames[0] ?? '');
  if (args.activeSetting && validNames.length > 0 && !validNames.includes(args.activeSetting)) {
    problems.push(
      `tessera.activeBackend names "${args.activeSetting}", which is not a valid profile; "${active}" is used instead`,
    );
  }
  if (validNames.length === 0) active = '';
  return {
    profiles,
    active,
    activeSetting: args.activeSetting,
    trusted: args.trusted,
    trustNote: args.trusted
      ? undefined
      : 'This workspace is not trusted: Tessera only sends code to a backend on this machine (localhost) or to the embedded model. Trust the workspace to use a remote backend.',
    problems,
    target: args.target,
    kinds: BACKEND_KINDS,
    kindLabels: BACKEND_KIND_LABELS,
    fields: profileFieldSpecs(),
    templates: FIM_TEMPLATES,
    editFormats: EDIT_FORMATS,
    nextEdit: args.nextEditSetting ?? '',
  };
}
