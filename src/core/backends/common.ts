/**
 * What every backend adapter shares: options from the factory, the API key lookup, the FIM decision logged once.
 */
import type { BackendProfile } from '../config';
import { redactSecrets, silentLogger, type Logger } from '../log';
import { chooseFim, type FimChoice, type FimEvidence } from '../prompt/detect';
import { deadline, toBackendError, type HttpCall } from './http';
import { BackendError, type ProbeResult, type SecretLookup } from './types';

export interface BackendOptions {
  /** Where the adapter says how it forms prompts (and when it is unsure). Lines are redacted. */
  log?: Logger;
}

/** A logger that scrubs the profile's API key (and anything key-shaped) from every line. */
export function redactingLogger(log: Logger | undefined, secretsOf: () => readonly string[]): Logger {
  const l = log ?? silentLogger;
  const r = (m: string) => redactSecrets(m, secretsOf());
  return {
    trace: (m) => l.trace(r(m)),
    debug: (m) => l.debug(r(m)),
    info: (m) => l.info(r(m)),
    warn: (m) => l.warn(r(m)),
    error: (m) => l.error(r(m)),
  };
}

/** Resolves the API key; remote FIM services need one, local servers usually do not. */
export async function apiKey(
  profile: BackendProfile,
  secrets: SecretLookup,
  required: boolean,
): Promise<string | undefined> {
  let key: string | undefined;
  try {
    key = (await secrets(profile))?.trim() || undefined;
  } catch (err) {
    throw new BackendError(
      'config',
      `cannot read the API key of profile "${profile.name}" from secret storage: ${(err as Error).message}`,
    );
  }
  if (required && !key) {
    throw new BackendError(
      'auth',
      `no API key for profile "${profile.name}": set it with the command "Tessera: Set API Key" (CLI: the TESSERA_API_KEY environment variable)`,
    );
  }
  return key;
}

/**
 * What every HTTP backend keeps: its profile, where its API key comes from, the key read for the latest request, and
 * a log that never shows that key.
 */
export abstract class KeyedBackend {
  protected readonly log: Logger;
  /** The API key read for the latest request (it may change between requests: the user can set a new one). */
  protected key: string | undefined;

  constructor(
    readonly profile: BackendProfile,
    protected readonly secrets: SecretLookup = async () => undefined,
    opts: BackendOptions = {},
  ) {
    this.log = redactingLogger(opts.log, () => (this.key ? [this.key] : []));
  }

  /** Reads the API key for a request; `required`: fail with an auth error when there is none. */
  protected async readKey(required: boolean): Promise<string | undefined> {
    return (this.key = await apiKey(this.profile, this.secrets, required));
  }

  /** The `authorization` header, when there is a key. */
  protected headers(): Record<string, string> {
    return this.key ? { authorization: `Bearer ${this.key}` } : {};
  }
}

/** Model ids of an OpenAI-style model list (`{"data":[{"id":…},…]}`); anything else lists none. */
export function openAIModelIds(json: unknown): string[] {
  const data = (json as { data?: unknown } | null)?.data;
  return Array.isArray(data) ? data.map((m: { id?: unknown } | null) => String(m?.id)) : [];
}

/** Decides the FIM form once per backend (per evidence), and logs the decision: info when sure, warn when not. */
export class FimDecision {
  private last: string | undefined;
  constructor(
    private readonly profile: BackendProfile,
    private readonly log: Logger,
  ) {}

  decide(evidence: FimEvidence, nativeAvailable: boolean): FimChoice {
    const choice = chooseFim(this.profile.fimTemplate, { modelName: this.profile.model, ...evidence }, nativeAvailable);
    const line = `backend ${this.profile.name}: ${choice.note}`;
    if (line !== this.last) {
      this.last = line;
      if (choice.confident) this.log.info(line);
      else this.log.warn(line);
    }
    return choice;
  }
}

/** The result of a failed probe: the typed kind and a redacted message. A server that answered at all is reachable. */
export function probeFailure(
  e: BackendError,
  started: number,
  key: string | undefined,
  overrides: Partial<ProbeResult> = {},
): ProbeResult {
  return {
    reachable: e.status !== undefined,
    models: [],
    latencyMs: Date.now() - started,
    error: { kind: e.errorKind, message: redactSecrets(e.message, key ? [key] : []) },
    ...overrides,
  };
}

/**
 * The shell of a probe over plain HTTP: a deadline of the profile's timeout (at most 5 s), the call options for
 * `run`, and any failure turned into a typed, redacted ProbeResult (`failed` adjusts it per service).
 */
export async function httpProbe(
  profile: BackendProfile,
  signal: AbortSignal,
  key: () => string | undefined,
  run: (call: HttpCall, started: number) => Promise<ProbeResult>,
  failed?: (e: BackendError) => Partial<ProbeResult>,
): Promise<ProbeResult> {
  const started = Date.now();
  const timeoutMs = Math.min(profile.timeoutMs, 5000);
  const dl = deadline(signal, timeoutMs);
  try {
    return await run({ signal: dl.signal, timedOut: dl.timedOut, timeoutMs }, started);
  } catch (err) {
    const e = toBackendError(err, profile.baseUrl ?? '', dl.timedOut(), timeoutMs);
    return probeFailure(e, started, key(), failed?.(e));
  } finally {
    dl.clear();
  }
}
