/**
 * Time as a dependency. The extension runs the scheduler on the real clock; the replay CLI, the benchmark and
 * the tests run the very same code on a virtual clock, so hours of typing replay in milliseconds, identically
 * every time.
 */

export type TimerHandle = { readonly id: number } | ReturnType<typeof setTimeout>;

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    (t as { unref?: () => void }).unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Resolves true after `ms`, or false at once when `signal` aborts (the timer is cleared). */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    if (ms <= 0) return resolve(true);
    const onAbort = () => {
      clock.clearTimeout(handle);
      resolve(false);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface VirtualTimer {
  id: number;
  at: number;
  seq: number;
  fn: () => void;
}

/** Lets every pending promise continuation run (a macrotask turn drains the microtask queue). */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock whose time only moves when told to. Timers fire in (time, creation) order; between two timers all
 * promise continuations run, so async code behaves as it would in real time, minus the waiting.
 */
export class VirtualClock implements Clock {
  private t = 0;
  private seq = 0;
  private timers: VirtualTimer[] = [];

  /**
   * @param quiescent tells whether async work that does not run on this clock (real I/O such as loading a
   *   grammar) is still going on; time does not move until it is done, so results never depend on the host.
   */
  constructor(
    start = 0,
    private readonly quiescent: () => boolean = () => true,
  ) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: VirtualTimer = { id: ++this.seq, at: this.t + Math.max(0, ms), seq: this.seq, fn };
    // Keep sorted by (at, seq): insertion from the end, timers are mostly appended in order.
    let i = this.timers.length;
    while (
      i > 0 &&
      (this.timers[i - 1].at > timer.at || (this.timers[i - 1].at === timer.at && this.timers[i - 1].seq > timer.seq))
    )
      i--;
    this.timers.splice(i, 0, timer);
    return { id: timer.id };
  }

  clearTimeout(handle: TimerHandle): void {
    const id = (handle as { id?: number }).id;
    const i = this.timers.findIndex((x) => x.id === id);
    if (i >= 0) this.timers.splice(i, 1);
  }

  /** Number of timers not yet fired. */
  get pending(): number {
    return this.timers.length;
  }

  /** Time of the next timer, or undefined. */
  nextAt(): number | undefined {
    return this.timers[0]?.at;
  }

  /** Settles promise chains started at the current instant (several turns: chains may hop through macrotasks). */
  async settle(turns = 4): Promise<void> {
    for (let i = 0; i < turns; i++) await flushMicrotasks();
    const deadline = Date.now() + 30_000;
    while (!this.quiescent() && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1));
      for (let i = 0; i < turns; i++) await flushMicrotasks();
    }
  }

  /** Fires every timer due at or before `t` (in order), settling async work after each, then sets the time to `t`. */
  async advanceTo(t: number): Promise<void> {
    await this.settle();
    while (this.timers.length > 0 && this.timers[0].at <= t) {
      const timer = this.timers.shift()!;
      this.t = Math.max(this.t, timer.at);
      timer.fn();
      await this.settle();
    }
    this.t = Math.max(this.t, t);
  }

  advanceBy(ms: number): Promise<void> {
    return this.advanceTo(this.t + ms);
  }
}
