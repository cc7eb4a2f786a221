/**
 * DeepSeek's FIM completion (beta): `POST https://api.deepseek.com/beta/completions`, the OpenAI completions
 * format with `suffix`, a bearer key, up to 16 stop sequences, SSE with `choices[0].text`.
 */
import type { BackendProfile } from '../config';
import type { BackendOptions } from './common';
import { OpenAICompatibleBackend } from './openai';
import type { SecretLookup } from './types';

export function createDeepSeekBackend(
  profile: BackendProfile,
  secrets: SecretLookup,
  opts: BackendOptions = {},
): OpenAICompatibleBackend {
  return new OpenAICompatibleBackend(profile, secrets, opts, {
    nativeOnly: true,
    family: 'deepseek',
    maxStops: 16,
    requireKey: true,
  });
}
