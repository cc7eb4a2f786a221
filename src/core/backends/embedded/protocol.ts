/**
 * Messages between the embedded backend (parent, in the extension host or the CLI) and the model process
 * (a forked Node child running node-llama-cpp). Plain JSON over the IPC channel.
 */

export interface LoadMessage {
  type: 'load';
  modelPath: string;
  /** Inference threads (explicit: node-llama-cpp's default of 4 is ruinous on small machines). */
  threads: number;
  /** Context size in tokens. */
  contextSize: number;
  /** Prompt tokens of the first native prefill call; the abort flag is checked between calls. */
  prefillChunk: number;
  /** Later calls are sized from the measured speed to take about this long (cancel latency bound). */
  prefillTargetMs: number;
}

export interface CompleteMessage {
  type: 'complete';
  id: number;
  prefix: string;
  suffix: string;
  /** The start of the middle, after the middle token (src/core/prompt/middle.ts); `prefix` then ends where it starts. */
  middle?: string;
  maxTokens: number;
  temperature: number;
  stop: string[];
  /** A whole prompt rendered by the caller (edit prediction) instead of prefix/suffix: special parts are special tokens. */
  prompt?: { text: string; special?: boolean }[];
  /** Report the prompt's token ids in the stats (tests, diagnostics). */
  reportPromptTokens?: boolean;
}

export interface AbortMessage {
  type: 'abort';
  id: number;
}

export type ParentMessage = LoadMessage | CompleteMessage | AbortMessage | { type: 'exit' };

export interface LoadedInfo {
  modelName: string;
  /** FIM token ids as llama.cpp reports them for this model (none: whole prompts only, e.g. an edit model). */
  fim?: { prefix: number; suffix: number; middle: number };
  eos?: number;
  contextSize: number;
  threads: number;
  /** ms: import of node-llama-cpp, getLlama, loadModel, createContext. */
  timings: { importMs: number; llamaMs: number; modelMs: number; contextMs: number };
}

export interface RequestStats {
  /** Tokens in the whole prompt (FIM markers included). */
  promptTokens: number;
  /** Prompt tokens found already evaluated in the KV cache from the previous request. */
  reusedTokens: number;
  /** Prompt tokens evaluated for this request. */
  evaluatedTokens: number;
  /** Prompt tokens dropped to fit the context (from the far ends of prefix and suffix). */
  trimmedTokens: number;
  prefillMs: number;
  /** From the request's arrival in the child to the first generated token (undefined: none). */
  firstTokenMs?: number;
  generatedTokens: number;
  generationMs: number;
  stoppedBy: 'eog' | 'max-tokens' | 'stop' | 'abort';
  promptTokenIds?: number[];
}

export type ChildMessage =
  | { type: 'loaded'; info: LoadedInfo }
  | { type: 'load-error'; message: string }
  | { type: 'chunk'; id: number; text: string }
  | { type: 'done'; id: number; stats: RequestStats }
  | { type: 'error'; id: number; message: string };
