/**
 * The default model for `npm start`, before VS Code opens: from the per-user cache at once, or downloaded from
 * the terminal with a progress bar into that cache (the extension uses the same file), resumed after a dropped
 * connection. A failure ends in one paragraph: what failed, what was kept, and the ways on.
 */
import { existsSync } from 'node:fs';
import { DownloadError, downloadModel, downloadState, failureHeadline } from '../core/backends/embedded/download';
import {
  catalogModel,
  downloadSource,
  formatBytes,
  hostInDomains,
  isPinned,
  MODEL_HOST,
  MODEL_HOST_DOMAINS,
  modelCacheDir,
  modelFilePath,
} from '../core/backends/embedded/models';
import { nodeGet, type HttpGet } from '../core/net/httpGet';
import { progressPrinter, type ProgressOutput } from './progress';

type Env = Record<string, string | undefined>;

export interface EnsureModelOptions {
  env: Env;
  out: ProgressOutput;
  signal: AbortSignal;
  /** Connections tried in all (the first and the resumes). Default 5. */
  attempts?: number;
  /** Wait before the first resume, doubled each time. Default 1000 ms. */
  retryDelayMs?: number;
  get?: HttpGet;
}

export type EnsureModelResult =
  { ok: true; path: string; downloaded: boolean } | { ok: false; path: string; paragraph: string; line: string };

export const WAYS_ON =
  'Three ways on: `npm start -- --model FILE.gguf` runs a GGUF model you already have; `npm start -- --server URL` ' +
  'uses a llama.cpp, Ollama or OpenAI-compatible server; `npm start -- --fake-model` starts a stand-in that only ' +
  "completes the sample files' gaps.";

/** The terminal's paragraph for a failed download. */
export function failureParagraph(
  e: { reason: DownloadError['reason']; message: string; status?: number },
  where: { path: string; partBytes: number },
): string {
  const kept =
    where.partBytes > 0
      ? `The ${formatBytes(where.partBytes)} downloaded so far are kept in ${where.path}.part; the next \`npm start\` resumes from there.`
      : 'Nothing was kept; the next `npm start` tries again.';
  return `The model download failed (${failureHeadline(e.reason, e.status)}): ${e.message}. ${kept} ${WAYS_ON} VS Code opens anyway, and its status bar says the same.`;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

export async function ensureDefaultModel(opts: EnsureModelOptions): Promise<EnsureModelResult> {
  const { env, out, signal } = opts;
  const model = catalogModel();
  const dest = modelFilePath(modelCacheDir(env), model);
  if (existsSync(dest)) return { ok: true, path: dest, downloaded: false };
  const say = (line: string) => out.write(`[start] ${line}\n`);
  const fail = async (e: {
    reason: DownloadError['reason'];
    message: string;
    status?: number;
  }): Promise<EnsureModelResult> => {
    const { partBytes } = await downloadState(dest);
    return {
      ok: false,
      path: dest,
      paragraph: failureParagraph(e, { path: dest, partBytes }),
      line: `model not downloaded (${failureHeadline(e.reason, e.status)})`,
    };
  };

  const source = downloadSource(model, env);
  if ('error' in source) return fail({ reason: 'unverified', message: source.error });
  const from = source.mirror ? new URL(source.url).host : MODEL_HOST;
  const check = source.sha256
    ? `checked against ${source.mirror && !model.sha256 ? 'TESSERA_MODEL_SHA256' : 'its pinned SHA-256'}`
    : `checked against the SHA-256 ${MODEL_HOST} declares for it (not pinned)`;
  say(`downloading ${model.label}, about ${formatBytes(model.approxBytes)}, from ${from} into ${dest}`);
  say(
    `once: later starts and the Tessera extension of this user use that file; ${check}${isPinned(model) || source.mirror ? '' : ` at the branch "main"`}`,
  );

  const attempts = opts.attempts ?? 5;
  const get = opts.get ?? nodeGet(env);
  const bar = progressPrinter(out);
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await downloadModel({
        url: source.url,
        dest,
        sha256: source.sha256,
        declaredHashFrom: source.declaredHashFrom,
        redirectDomains: source.redirectDomains,
        signal,
        get,
        progressIntervalMs: out.isTTY ? 250 : 0,
        onProgress: (p) => bar.update(p),
      });
      bar.end();
      const revision =
        r.revision && hostInDomains(new URL(source.url).hostname, MODEL_HOST_DOMAINS)
          ? `, commit ${r.revision.slice(0, 12)}`
          : '';
      say(
        `model ready: ${formatBytes(r.bytes)}, SHA-256 ${r.sha256.slice(0, 16)}… matches the ${r.verifiedWith === 'pinned' ? 'pinned hash' : `hash ${from} declared`}${revision}`,
      );
      return { ok: true, path: dest, downloaded: true };
    } catch (err) {
      bar.end();
      const e = err instanceof DownloadError ? err : new DownloadError('io', String((err as Error)?.message ?? err));
      if (e.resumable && attempt < attempts && !signal.aborted) {
        const wait = (opts.retryDelayMs ?? 1000) * 2 ** (attempt - 1);
        say(`${e.message}; resuming in ${Math.round(wait / 100) / 10} s (attempt ${attempt + 1} of ${attempts})`);
        await sleep(wait, signal);
        continue;
      }
      return fail({ reason: e.reason, message: e.message, status: e.options.status });
    }
  }
}
