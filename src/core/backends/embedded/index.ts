/**
 * Embedded backend: a GGUF model run by node-llama-cpp in a forked child process (src/embedded/worker.ts).
 *
 * - The child is started lazily on the first request (or probe), loads the model once and keeps it; it is
 *   stopped after `idleUnloadMs` without requests, and restarted after a crash, a failed load or a hard kill.
 * - Cancellation: the child checks an abort flag between prefill chunks and generated tokens; if it does not
 *   acknowledge within `hardKillMs`, it is killed (the host never waits on native code).
 * - The child never keeps a CLI alive: its IPC channel is unref'd while idle and it exits when the parent goes.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { BackendProfile } from '../../config';
import { silentLogger, type Logger } from '../../log';
import { abortError, deadline } from '../http';
import {
  asBackendError,
  BackendError,
  type Backend,
  type CompletionRequest,
  type FinishReason,
  type ProbeResult,
} from '../types';
import { GgufError, readGgufInfo, type GgufInfo } from './gguf';
import { defaultThreads } from './prompt';
import { splitMiddle } from '../../prompt/middle';
import type { ChildMessage, LoadedInfo, ParentMessage, RequestStats } from './protocol';

export type { LoadedInfo, RequestStats } from './protocol';

export interface EmbeddedOptions {
  /** The bundled child entry; default `embedded-worker.mjs` beside the running bundle (dist/). */
  workerPath?: string;
  /** Prompt tokens of the first native prefill call. Default 64. */
  prefillChunk?: number;
  /** Later prefill calls are sized to take about this long: the bound on cancel latency. Default 150 ms. */
  prefillTargetMs?: number;
  /** Kill the child when it has not acknowledged a cancel within this many ms. Default 1500. */
  hardKillMs?: number;
  /** Give up loading a model after this many ms. Default 120 s. */
  loadTimeoutMs?: number;
  /** Stop the child (free the model's memory) after this long without requests. Default 15 min; 0 = never. */
  idleUnloadMs?: number;
  /** Runtime for the child: the extension host's executable (Electron or Node). Default process.execPath. */
  execPath?: string;
  log?: Logger;
}

export const DEFAULT_CONTEXT_SIZE = 4096;

interface Pending {
  chunks: string[];
  done: boolean;
  error?: BackendError;
  stats?: RequestStats;
  wake?: () => void;
  killTimer?: NodeJS.Timeout;
}

interface Running {
  child: ChildProcess;
  ready: Promise<LoadedInfo>;
  /** Set when we stop the child on purpose, so its exit is not reported as a crash. */
  intentional?: string;
  stderr: string[];
  loaded?: boolean;
}

export class EmbeddedBackend implements Backend {
  /** The model's own metadata (read before loading). */
  gguf: GgufInfo | undefined;
  /** What the child reported after loading. */
  info: LoadedInfo | undefined;
  /** Stats of the last finished request (tests, benchmarks, the log). */
  lastStats: RequestStats | undefined;
  /** How many times a child was started. */
  spawns = 0;

  private running: Running | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly idleWaiters: (() => void)[] = [];
  private disposed = false;
  private readonly log: Logger;
  private readonly opts: Required<Omit<EmbeddedOptions, 'log'>>;
  private readonly killOnExit = () => this.running?.child.kill('SIGKILL');

  constructor(
    readonly profile: BackendProfile,
    options: EmbeddedOptions = {},
  ) {
    this.log = options.log ?? silentLogger;
    this.opts = {
      workerPath: options.workerPath ?? path.join(__dirname, 'embedded-worker.mjs'),
      prefillChunk: options.prefillChunk ?? 64,
      prefillTargetMs: options.prefillTargetMs ?? 150,
      hardKillMs: options.hardKillMs ?? 1500,
      loadTimeoutMs: options.loadTimeoutMs ?? 120_000,
      idleUnloadMs: options.idleUnloadMs ?? 15 * 60_000,
      execPath: options.execPath ?? process.execPath,
    };
  }

  get threads(): number {
    return this.profile.threads ?? defaultThreads(availableParallelism());
  }

  /** Pid of the model process, if one runs. */
  get pid(): number | undefined {
    return this.running?.child.pid;
  }

  async *complete(req: CompletionRequest, signal: AbortSignal): AsyncGenerator<string, FinishReason | undefined> {
    const timeoutMs = this.profile.timeoutMs;
    const dl = deadline(signal, timeoutMs);
    let id = -1;
    let run: Running | undefined;
    try {
      run = await this.ensureLoaded(dl.signal, () => abortError(dl.timedOut(), timeoutMs));
      id = ++this.nextId;
      const p: Pending = { chunks: [], done: false };
      this.pending.set(id, p);
      this.refresh();
      const { head, middle } = splitMiddle(req.prefix, req.middleChars);
      this.send(run, {
        type: 'complete',
        id,
        prefix: head,
        middle,
        suffix: req.suffix,
        maxTokens: req.maxTokens,
        temperature: req.temperature,
        stop: req.stop,
        prompt: req.prompt,
        reportPromptTokens: true,
      });
      const onAbort = () => {
        p.error ??= abortError(dl.timedOut(), timeoutMs);
        p.wake?.();
      };
      dl.signal.addEventListener('abort', onAbort, { once: true });
      if (dl.signal.aborted) onAbort();
      try {
        for (;;) {
          while (p.chunks.length > 0) {
            yield p.chunks.shift()!;
            if (p.error?.errorKind === 'cancelled' || p.error?.errorKind === 'timeout') break;
          }
          if (p.error) throw p.error;
          // The model process says why generation ended: its end of generation or a stop sequence, or the token cap.
          if (p.done)
            return p.stats?.stoppedBy === 'max-tokens'
              ? 'length'
              : p.stats?.stoppedBy === 'eog' || p.stats?.stoppedBy === 'stop'
                ? 'stop'
                : undefined;
          await new Promise<void>((resolve) => (p.wake = resolve));
          p.wake = undefined;
        }
      } finally {
        dl.signal.removeEventListener('abort', onAbort);
      }
    } finally {
      dl.clear();
      if (id >= 0) this.settle(id, run);
    }
  }

  /** After the consumer is done with request `id` (finished, failed, aborted or stopped reading early). */
  private settle(id: number, run: Running | undefined): void {
    const p = this.pending.get(id);
    if (!p) return;
    if (p.done || !run || this.running !== run) {
      this.pending.delete(id);
      this.refresh();
      return;
    }
    // Still generating: tell the child to stop; keep the entry until it acknowledges, or kill it.
    p.chunks = [];
    this.send(run, { type: 'abort', id });
    p.killTimer = setTimeout(() => {
      if (this.running !== run || p.done) return;
      this.log.warn(
        `embedded: the model process did not stop within ${this.opts.hardKillMs} ms of a cancel; killing it`,
      );
      this.stop(run, 'hard cancel');
    }, this.opts.hardKillMs);
  }

  async probe(signal: AbortSignal = new AbortController().signal): Promise<ProbeResult> {
    const started = Date.now();
    try {
      await this.ensureLoaded(signal, () => new BackendError('cancelled', 'probe cancelled'));
      const fim = this.gguf?.fim;
      return {
        reachable: true,
        models: [this.info?.modelName ?? this.profile.modelPath ?? ''],
        fimSupported: true,
        latencyMs: Date.now() - started,
        templateHint: fim ? `${fim.prefix.text}{prefix}${fim.suffix.text}{suffix}${fim.middle.text}` : undefined,
      };
    } catch (err) {
      const e = asBackendError(err, 'server-error');
      return {
        reachable: false,
        models: [],
        latencyMs: Date.now() - started,
        error: { kind: e.errorKind, message: e.message },
      };
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.running) this.stop(this.running, 'disposed');
    clearTimeout(this.idleTimer);
  }

  // ---- child process lifecycle ----

  private ensureLoaded(signal: AbortSignal, abortErr: () => BackendError): Promise<Running> {
    if (this.disposed) return Promise.reject(new BackendError('cancelled', 'the embedded backend was disposed'));
    if (!this.running) this.running = this.spawn();
    const run = this.running;
    return new Promise<Running>((resolve, reject) => {
      if (signal.aborted) return reject(abortErr());
      // An abort stops waiting, not the load: the next request finds the model ready.
      const onAbort = () => reject(abortErr());
      signal.addEventListener('abort', onAbort, { once: true });
      run.ready
        .then(
          () => resolve(run),
          (err) => reject(err),
        )
        .finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private spawn(): Running {
    const modelPath = this.profile.modelPath;
    const stderr: string[] = [];
    const run = { stderr } as Running;
    const ready = (async (): Promise<LoadedInfo> => {
      if (!modelPath) {
        throw new BackendError(
          'config',
          `profile "${this.profile.name}": set "modelPath" to a GGUF model file (or leave tessera.backends empty to use the default model)`,
        );
      }
      try {
        this.gguf = await readGgufInfo(modelPath);
      } catch (err) {
        if (err instanceof GgufError) throw new BackendError('config', err.message, { cause: err });
        throw err;
      }
      // An edit model gets whole prompts (edit formats), so it needs no FIM tokens.
      if (!this.gguf.fim && !this.profile.editFormat) {
        throw new BackendError(
          'config',
          `${modelPath} has no fill-in-the-middle tokens: use a FIM-trained code model (e.g. Qwen2.5-Coder base)`,
        );
      }
      if (!existsSync(this.opts.workerPath)) {
        throw new BackendError(
          'config',
          `the embedded model worker is missing at ${this.opts.workerPath} (build with \`node esbuild.config.mjs\`)`,
        );
      }
      const child = fork(this.opts.workerPath, [], {
        execPath: this.opts.execPath,
        execArgv: [],
        // ELECTRON_RUN_AS_NODE: in VS Code the host's executable is Electron; this makes it a plain Node.
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        serialization: 'json',
      });
      run.child = child;
      this.spawns++;
      process.on('exit', this.killOnExit);
      for (const stream of [child.stdout, child.stderr]) {
        stream?.setEncoding('utf8');
        stream?.on('data', (d: string) => {
          for (const line of d.split('\n').filter(Boolean)) {
            stderr.push(line);
            if (stderr.length > 20) stderr.shift();
            this.log.debug(`embedded[${child.pid}]: ${line}`);
          }
        });
        (stream as unknown as { unref?: () => void })?.unref?.();
      }
      const started = performance.now();
      const info = await new Promise<LoadedInfo>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new BackendError('timeout', `loading ${modelPath} took longer than ${this.opts.loadTimeoutMs} ms`));
          this.stop(run, 'load timeout');
        }, this.opts.loadTimeoutMs);
        const onMessage = (m: ChildMessage) => {
          if (m.type === 'loaded') {
            clearTimeout(timer);
            resolve(m.info);
          } else if (m.type === 'load-error') {
            clearTimeout(timer);
            reject(new BackendError('config', `cannot load ${modelPath}: ${m.message}`));
            this.stop(run, 'load failed');
          }
        };
        child.on('message', (m: ChildMessage) => {
          onMessage(m);
          this.onMessage(m);
        });
        child.once('exit', (code, signal) => {
          clearTimeout(timer);
          const last = stderr.slice(-3).join(' | ');
          reject(
            new BackendError(
              'server-error',
              `the model process exited while loading ${modelPath} (${signal ?? `code ${code}`})${last ? `: ${last}` : ''}`,
            ),
          );
        });
        child.on('exit', (code, signal) => this.onExit(run, code, signal));
        child.on('error', (err) => this.log.error(`embedded: model process error: ${err.message}`));
        this.send(run, {
          type: 'load',
          modelPath,
          threads: this.threads,
          contextSize: this.profile.contextSize ?? DEFAULT_CONTEXT_SIZE,
          prefillChunk: this.opts.prefillChunk,
          prefillTargetMs: this.opts.prefillTargetMs,
        });
      });
      this.info = info;
      run.loaded = true;
      const t = info.timings;
      this.log.info(
        `embedded: loaded ${info.modelName} in ${Math.round(performance.now() - started)} ms (import ${t.importMs}, llama ${t.llamaMs}, model ${t.modelMs}, context ${t.contextMs}); ${info.threads} threads, context ${info.contextSize}`,
      );
      return info;
    })();
    run.ready = ready;
    // A failed start is forgotten, so the next request tries again (after the shell's backoff).
    ready.catch(() => {
      if (this.running === run) this.running = undefined;
    });
    this.refresh();
    ready.finally(() => this.refresh()).catch(() => undefined);
    return run;
  }

  private onMessage(m: ChildMessage): void {
    if (m.type !== 'chunk' && m.type !== 'done' && m.type !== 'error') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'chunk') p.chunks.push(m.text);
    else if (m.type === 'done') {
      p.done = true;
      p.stats = m.stats;
      this.lastStats = m.stats;
      clearTimeout(p.killTimer);
      if (p.killTimer) this.pending.delete(m.id); // the consumer already left
    } else {
      p.done = true;
      p.error ??= new BackendError('server-error', `embedded model: ${m.message}`);
      clearTimeout(p.killTimer);
      if (p.killTimer) this.pending.delete(m.id);
    }
    p.wake?.();
    this.refresh();
  }

  private onExit(run: Running, code: number | null, signal: NodeJS.Signals | null): void {
    process.removeListener('exit', this.killOnExit);
    if (this.running === run) this.running = undefined;
    const why = run.intentional;
    if (!why) {
      const last = run.stderr.slice(-3).join(' | ');
      this.log.error(
        `embedded: the model process exited unexpectedly (${signal ?? `code ${code}`})${last ? `: ${last}` : ''}; it restarts on the next request`,
      );
    }
    const err = why
      ? new BackendError(why === 'hard cancel' ? 'cancelled' : 'server-error', `the model process was stopped (${why})`)
      : new BackendError(
          'server-error',
          `the model process crashed (${signal ?? `exit code ${code}`}); it restarts on the next request`,
        );
    for (const [id, p] of this.pending) {
      clearTimeout(p.killTimer);
      if (!p.done) p.error ??= err;
      p.done = true;
      p.wake?.();
      if (p.killTimer) this.pending.delete(id);
    }
    this.refresh();
  }

  private stop(run: Running, why: string): void {
    run.intentional ??= why;
    if (this.running === run) this.running = undefined;
    if (run.child && run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  }

  private send(run: Running, msg: ParentMessage): void {
    if (run.child?.connected) run.child.send(msg);
  }

  /** Resolves once the child has acknowledged every request (finished or cancelled) or is gone. */
  idle(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Keeps the parent alive only while the child has work; arms the idle unload. */
  private refresh(): void {
    if (this.pending.size === 0 && this.idleWaiters.length > 0) for (const w of this.idleWaiters.splice(0)) w();
    const run = this.running;
    clearTimeout(this.idleTimer);
    if (!run?.child) return;
    const busy = this.pending.size > 0 || !run.loaded;
    const handles = [run.child, (run.child as unknown as { channel?: { ref(): void; unref(): void } }).channel];
    for (const h of handles) {
      if (!h) continue;
      if (busy) h.ref();
      else h.unref();
    }
    if (!busy && this.opts.idleUnloadMs > 0) {
      this.idleTimer = setTimeout(() => {
        if (this.running === run && this.pending.size === 0) {
          this.log.info(`embedded: unloading the model after ${Math.round(this.opts.idleUnloadMs / 60_000)} min idle`);
          this.stop(run, 'idle');
        }
      }, this.opts.idleUnloadMs);
      this.idleTimer.unref();
    }
  }
}
