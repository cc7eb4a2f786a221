/**
 * Backend factory: a profile (plain, validated data) in, an adapter out.
 */
import type { BackendProfile } from '../config';
import { CodestralBackend } from './codestral';
import type { BackendOptions } from './common';
import { createDeepSeekBackend } from './deepseek';
import { EmbeddedBackend } from './embedded';
import { LlamaCppBackend } from './llamacpp';
import { OllamaBackend } from './ollama';
import { OpenAICompatibleBackend } from './openai';
import { BackendError, type Backend, type SecretLookup } from './types';

export * from './types';
export type { BackendOptions } from './common';

/**
 * `secrets` resolves the API key of a profile (SecretStorage in VS Code, TESSERA_API_KEY in the CLI);
 * `opts.log` receives how each backend forms its prompts (redacted).
 */
export function createBackend(
  profile: BackendProfile,
  secrets: SecretLookup = async () => undefined,
  opts: BackendOptions = {},
): Backend {
  switch (profile.kind) {
    case 'openai':
      return new OpenAICompatibleBackend(profile, secrets, opts);
    case 'deepseek':
      return createDeepSeekBackend(profile, secrets, opts);
    case 'codestral':
      return new CodestralBackend(profile, secrets, opts);
    case 'ollama':
      return new OllamaBackend(profile, secrets, opts);
    case 'llamacpp':
      return new LlamaCppBackend(profile, secrets, opts);
    case 'embedded':
      return new EmbeddedBackend(profile, { log: opts.log });
    default:
      return unsupported(profile);
  }
}

function unsupported(profile: BackendProfile): Backend {
  const err = () => new BackendError('config', `backend kind "${profile.kind}" is not available in this build`);
  return {
    profile,
    // eslint-disable-next-line require-yield
    async *complete() {
      throw err();
    },
    async probe() {
      const e = err();
      return { reachable: false, models: [], latencyMs: 0, error: { kind: e.errorKind, message: e.message } };
    },
  };
}
