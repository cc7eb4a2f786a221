/**
 * Failure episodes of a backend: after a failure, requests are skipped for a growing pause (or the server's
 * Retry-After) so a dead server is not hammered on every keystroke; the first success ends the episode.
 */
import type { BackendErrorKind } from '../backends/types';
import { reasonKind } from '../reasons';

export interface FailureRecord {
  /** True for the first failure of an episode: the moment to tell the user (once). */
  newEpisode: boolean;
  /** When requests may be sent again (ms since epoch). */
  retryAt: number;
}

export class BackendHealth {
  private failures = 0;
  private retryAt = 0;
  private lastKind: BackendErrorKind | undefined;
  private lastMessage = '';

  constructor(
    private readonly baseDelayMs = 1000,
    private readonly maxDelayMs = 60_000,
  ) {}

  /** Is the backend in a pause after failures? Returns the remaining ms, or 0 when requests may go. */
  pausedFor(now: number): number {
    return this.failures > 0 && now < this.retryAt ? this.retryAt - now : 0;
  }

  get failing(): boolean {
    return this.failures > 0;
  }

  get lastError(): { kind: BackendErrorKind; message: string } | undefined {
    return this.lastKind ? { kind: this.lastKind, message: this.lastMessage } : undefined;
  }

  recordFailure(kind: BackendErrorKind, message: string, now: number, retryAfterMs?: number): FailureRecord {
    const newEpisode = this.failures === 0;
    this.failures++;
    this.lastKind = kind;
    this.lastMessage = message;
    const exp = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(this.failures - 1, 16));
    this.retryAt = now + Math.max(exp, retryAfterMs ?? 0);
    return { newEpisode, retryAt: this.retryAt };
  }

  /** Returns true when this success ended a failure episode (recovery). */
  recordSuccess(): boolean {
    const recovered = this.failures > 0;
    this.failures = 0;
    this.retryAt = 0;
    this.lastKind = undefined;
    this.lastMessage = '';
    return recovered;
  }
}

/** Failures that say something about the backend (not about one request). */
export function isBackendFailure(kind: string): kind is BackendErrorKind {
  return reasonKind(kind) === 'failure';
}
