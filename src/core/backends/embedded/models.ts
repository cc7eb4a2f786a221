/**
 * The models Tessera can download for the embedded backend, and the built-in profile that uses one when no
 * backend is configured. Base (not instruct) models: they are the ones trained for fill-in-the-middle.
 */
import * as path from 'node:path';
import type { BackendProfile } from '../../config';

export interface CatalogModel {
  id: string;
  label: string;
  url: string;
  fileName: string;
  /** Approximate size for the consent prompt; the real one comes from the server. */
  approxBytes: number;
  /**
   * Pinned SHA-256 of the file. When absent, the download is checked against the hash the server declares
   * (Hugging Face's X-Linked-ETag) and the GGUF header is validated.
   */
  sha256?: string;
  license: string;
}

export const MODEL_CATALOG: readonly CatalogModel[] = [
  {
    id: 'qwen2.5-coder-0.5b-q8_0',
    label: 'Qwen2.5-Coder 0.5B (Q8_0)',
    url: 'https://huggingface.co/ggml-org/Qwen2.5-Coder-0.5B-Q8_0-GGUF/resolve/main/qwen2.5-coder-0.5b-q8_0.gguf',
    fileName: 'qwen2.5-coder-0.5b-q8_0.gguf',
    approxBytes: 531_000_000,
    license: 'Apache-2.0',
  },
  {
    id: 'qwen2.5-coder-1.5b-q8_0',
    label: 'Qwen2.5-Coder 1.5B (Q8_0)',
    url: 'https://huggingface.co/ggml-org/Qwen2.5-Coder-1.5B-Q8_0-GGUF/resolve/main/qwen2.5-coder-1.5b-q8_0.gguf',
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

/** Where a catalog model lives inside the extension's global storage. */
export function modelFilePath(storageDir: string, model: CatalogModel): string {
  return path.join(storageDir, 'models', model.fileName);
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
