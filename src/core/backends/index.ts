/**
 * Backend factory: a profile (plain, validated data) in, an adapter out.
 */
import type { BackendProfile } from '../config';
import { EmbeddedBackend } from './embedded';
import { OpenAICompatibleBackend } from './openai';
import { BackendError, type Backend, type SecretLookup } from './types';

export * from './types';

export function createBackend(profile: BackendProfile, secrets: SecretLookup = async () => undefined): Backend {
  switch (profile.kind) {
    case 'openai':
      return new OpenAICompatibleBackend(profile, secrets);
    case 'embedded':
      return new EmbeddedBackend(profile);
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
