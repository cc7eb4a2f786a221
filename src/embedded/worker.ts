/**
 * The model process: a forked Node child that owns node-llama-cpp, so a native crash or a hard kill never takes
 * the extension host down. Bundled as ESM (`dist/embedded-worker.mjs`) because node-llama-cpp is ESM-only with
 * top-level await: the `import()` below stays a real dynamic import.
 *
 * One model, one context, one sequence. Requests run one at a time; the sequence keeps the evaluated prompt of
 * the previous request (the KV cache), so the next request evaluates only the tokens after the first change.
 */
import type {
  ChildMessage,
  CompleteMessage,
  LoadMessage,
  ParentMessage,
  RequestStats,
} from '../core/backends/embedded/protocol';
import { commonPrefixLength, layoutFimPrompt, layoutWholePrompt, type FimIds } from '../core/backends/embedded/prompt';
import { createStopMatcher } from '../core/backends/embedded/stop';

type NLC = typeof import('node-llama-cpp', { with: { 'resolution-mode': 'import' } });
type Model = Awaited<ReturnType<Awaited<ReturnType<NLC['getLlama']>>['loadModel']>>;
type Token = Model['tokens']['eos'] & number;
const asTokens = (ids: readonly number[]) => ids as unknown as Token[];
type Sequence = ReturnType<Awaited<ReturnType<Model['createContext']>>['getSequence']>;

interface State {
  model: Model;
  sequence: Sequence;
  /** Undefined when the model has no FIM tokens: it then takes whole prompts only (an edit model). */
  fim: FimIds | undefined;
  contextSize: number;
  /** Tokens per prefill call, adapted to the measured speed so one call takes about `prefillTargetMs`. */
  chunk: number;
  prefillTargetMs: number;
}

const MIN_CHUNK = 8;
const MAX_CHUNK = 512;

let state: State | undefined;
let queue: Promise<void> = Promise.resolve();
const aborted = new Set<number>();

function send(msg: ChildMessage): void {
  process.send?.(msg);
}

const now = () => performance.now();
const ms = (t: number) => Math.round(t * 10) / 10;

async function load(msg: LoadMessage): Promise<void> {
  const t0 = now();
  // A real dynamic import: esbuild leaves it alone in ESM output, and node-llama-cpp stays external.
  const nlc: NLC = await import('node-llama-cpp');
  const t1 = now();
  const llama = await nlc.getLlama({
    gpu: false,
    build: 'never',
    skipDownload: true,
    maxThreads: msg.threads,
    progressLogs: false,
    logLevel: nlc.LlamaLogLevel.error,
  });
  const t2 = now();
  const model = await llama.loadModel({ modelPath: msg.modelPath, useMlock: false });
  const t3 = now();
  const infill = model.tokens.infill;
  const fim =
    infill.prefix === null || infill.suffix === null || infill.middle === null
      ? undefined
      : { prefix: infill.prefix, suffix: infill.suffix, middle: infill.middle };
  const contextSize = Math.max(256, Math.min(msg.contextSize, model.trainContextSize || msg.contextSize));
  const context = await model.createContext({
    contextSize,
    sequences: 1,
    threads: msg.threads,
    batchSize: MAX_CHUNK,
  });
  const t4 = now();
  const eos = model.tokens.eos;
  state = {
    model,
    sequence: context.getSequence(),
    fim,
    contextSize: context.contextSize,
    chunk: Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, msg.prefillChunk)),
    prefillTargetMs: msg.prefillTargetMs,
  };
  send({
    type: 'loaded',
    info: {
      modelName: String(model.fileInfo.metadata?.general?.name ?? msg.modelPath),
      fim: state.fim,
      eos: eos ?? undefined,
      contextSize: context.contextSize,
      threads: msg.threads,
      timings: { importMs: ms(t1 - t0), llamaMs: ms(t2 - t1), modelMs: ms(t3 - t2), contextMs: ms(t4 - t3) },
    },
  });
}

async function complete(msg: CompleteMessage): Promise<void> {
  const s = state;
  if (!s) {
    send({ type: 'error', id: msg.id, message: 'no model loaded' });
    return;
  }
  const started = now();
  const isAborted = () => aborted.has(msg.id);
  const { model, sequence } = s;
  const maxTokens = Math.max(1, Math.min(msg.maxTokens, Math.floor(s.contextSize / 2)));
  // Text is tokenized without special tokens, so code that contains "<|fim_prefix|>" cannot inject a control token;
  // only the parts the caller marks special become special tokens.
  const layout = msg.prompt
    ? layoutWholePrompt(
        msg.prompt.map((p) => model.tokenize(p.text, p.special === true)),
        s.contextSize - maxTokens,
      )
    : s.fim &&
      layoutFimPrompt(
        model.tokenize(msg.prefix, false),
        model.tokenize(msg.suffix, false),
        s.fim,
        s.contextSize - maxTokens,
        msg.middle ? model.tokenize(msg.middle, false) : [],
      );
  if (!layout) {
    send({
      type: 'error',
      id: msg.id,
      message: 'the model has no fill-in-the-middle tokens (a FIM-trained base model such as Qwen2.5-Coder is needed)',
    });
    return;
  }
  const tokens = layout.tokens;
  const stats: RequestStats = {
    promptTokens: tokens.length,
    reusedTokens: 0,
    evaluatedTokens: 0,
    trimmedTokens: layout.trimmed,
    prefillMs: 0,
    generatedTokens: 0,
    generationMs: 0,
    stoppedBy: 'abort',
    promptTokenIds: msg.reportPromptTokens ? tokens : undefined,
  };
  const finish = () => {
    for (const a of aborted) if (a <= msg.id) aborted.delete(a);
    send({ type: 'done', id: msg.id, stats });
  };
  if (isAborted()) return finish();

  // KV-cache reuse: keep the evaluated tokens this prompt shares with the last one (at least the final token
  // is evaluated again, since generation needs its logits).
  const keep = Math.min(commonPrefixLength(sequence.contextTokens, tokens), tokens.length - 1);
  if (keep < sequence.nextTokenIndex)
    await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
  stats.reusedTokens = keep;

  // Prefill in chunks: a native evaluation cannot be interrupted, so cancellation waits at most one chunk.
  // Each call is sized from the speed measured so far, so it lasts about prefillTargetMs on any machine/model.
  const pending = tokens.slice(keep, -1);
  for (let i = 0; i < pending.length;) {
    if (isAborted()) {
      stats.prefillMs = ms(now() - started);
      return finish();
    }
    const chunk = pending.slice(i, i + s.chunk);
    const t = now();
    await sequence.evaluateWithoutGeneratingNewTokens(asTokens(chunk));
    const took = now() - t;
    if (chunk.length >= s.chunk / 2 && took > 0) {
      const ideal = (chunk.length * s.prefillTargetMs) / took;
      s.chunk = Math.round(Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, (s.chunk + ideal) / 2)));
    }
    i += chunk.length;
    stats.evaluatedTokens += chunk.length;
  }
  stats.evaluatedTokens += 1; // the last prompt token, evaluated by the generator below
  const tPrefill = now();
  stats.prefillMs = ms(tPrefill - started);
  if (isAborted()) return finish();

  const stop = createStopMatcher(msg.stop);
  const generated: Token[] = [];
  let fed = 0;
  let ended = true; // the generator ends by itself at an end-of-generation token
  const gen = sequence.evaluate(asTokens(tokens.slice(-1)), {
    temperature: msg.temperature,
    topK: 40,
    topP: 0.95,
  });
  try {
    for await (const token of gen) {
      ended = false;
      if (isAborted()) {
        stats.stoppedBy = 'abort';
        break;
      }
      if (stats.firstTokenMs === undefined) stats.firstTokenMs = ms(now() - started);
      if (model.isEogToken(token)) {
        stats.stoppedBy = 'eog';
        break;
      }
      stats.stoppedBy = 'max-tokens';
      generated.push(token);
      stats.generatedTokens++;
      // Hold back a trailing partial UTF-8 character until its remaining bytes arrive.
      const text = model.detokenize(generated, false).replace(/\uFFFD+$/, '');
      if (text.length > fed) {
        const r = stop.push(text.slice(fed));
        fed = text.length;
        if (r.emit) send({ type: 'chunk', id: msg.id, text: r.emit });
        if (r.stopped) {
          stats.stoppedBy = 'stop';
          break;
        }
      }
      if (generated.length >= maxTokens) break;
      ended = true;
    }
    if (ended) stats.stoppedBy = 'eog';
  } finally {
    await gen.return(undefined);
  }
  if (stats.stoppedBy !== 'stop' && stats.stoppedBy !== 'abort') {
    const rest = stop.flush();
    if (rest) send({ type: 'chunk', id: msg.id, text: rest });
  }
  stats.generationMs = ms(now() - tPrefill);
  finish();
}

process.on('message', (raw: ParentMessage) => {
  switch (raw.type) {
    case 'load':
      queue = queue.then(() =>
        load(raw).catch((err: unknown) =>
          send({ type: 'load-error', message: err instanceof Error ? err.message : String(err) }),
        ),
      );
      break;
    case 'complete':
      queue = queue.then(() =>
        complete(raw).catch((err: unknown) => {
          aborted.delete(raw.id);
          send({ type: 'error', id: raw.id, message: err instanceof Error ? err.message : String(err) });
        }),
      );
      break;
    case 'abort':
      aborted.add(raw.id);
      break;
    case 'exit':
      process.exit(0);
  }
});
// The parent went away (closed the channel, exited or crashed): nothing left to serve.
process.on('disconnect', () => process.exit(0));
