/**
 * The backend's concurrency cap: a counting semaphore whose waits are abortable (a trigger superseded while waiting
 * for a slot gives up its place) and served in order.
 */
export class Slots {
  private inUse = 0;
  private queue: { resolve: (ok: boolean) => void; signal: AbortSignal; onAbort: () => void }[] = [];
  constructor(public limit: number) {}

  /** Takes a slot only if one is free now (for optional work such as prefetch). */
  tryAcquire(): boolean {
    if (this.inUse >= this.limit || this.queue.length > 0) return false;
    this.inUse++;
    return true;
  }

  acquire(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (this.inUse < this.limit) {
      this.inUse++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const entry = {
        resolve,
        signal,
        onAbort: () => {
          this.queue = this.queue.filter((e) => e !== entry);
          resolve(false);
        },
      };
      signal.addEventListener('abort', entry.onAbort, { once: true });
      this.queue.push(entry);
    });
  }

  release(): void {
    const next = this.queue.shift();
    if (next) {
      next.signal.removeEventListener('abort', next.onAbort);
      next.resolve(true);
    } else this.inUse = Math.max(0, this.inUse - 1);
  }

  get busy(): number {
    return this.inUse;
  }
}
