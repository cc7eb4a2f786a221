/**
 * The simplest schedulers a completion provider can have, as baselines for the replay: a fixed debounce, then one
 * request per trigger, with no cache and no reuse of work in flight. `cancel` says what happens to a request whose
 * trigger the editor cancelled (the next keystroke): 'trigger' aborts it, as most providers do; 'never' lets it run
 * to its end, unused. Their request shape is the classic one (classicShape).
 */
import type { BackendProfile } from '../core/config';
import { cancelledOutcome, type DocumentSnapshot } from '../core/types';
import { sleep, type Clock } from '../core/scheduling/clock';
import type { PipelineRunner } from '../core/scheduling/flights';
import {
  noSchedulerStats,
  type ScheduledOutcome,
  type SchedulerStats,
  type TriggerOptions,
} from '../core/scheduling/manager';
import { cursorContext } from '../core/cursor';
import { SINGLE_LINE_MAX_TOKENS, type RequestShape } from '../core/scheduling/shape';

/**
 * The classic multi-line decision of simple providers: the block at an empty line right after a block opener or
 * at the end of an opener; one line everywhere else.
 */
export function classicShape(
  prefix: string,
  suffix: string,
  profile: Pick<BackendProfile, 'maxTokens' | 'stop'>,
): RequestShape {
  const cursor = cursorContext(prefix, suffix);
  const extra = [...(profile.stop ?? [])];
  const single = (why: RequestShape['why']): RequestShape => ({
    multiline: false,
    maxTokens: Math.min(profile.maxTokens, SINGLE_LINE_MAX_TOKENS),
    stop: ['\n', ...extra],
    why,
  });
  const block: RequestShape = { multiline: true, maxTokens: profile.maxTokens, stop: extra, why: 'block-opener' };
  if (cursor.position === 'mid-line') return single('mid-line');
  if (cursor.position === 'empty-line') return cursor.previousLineOpensBlock ? block : single('empty-line');
  return cursor.opensBlock ? block : single('end-of-statement');
}

export interface ReferencePolicy {
  debounceMs: number;
  cancel: 'trigger' | 'never';
}

export class ReferenceScheduler {
  readonly stats: SchedulerStats = noSchedulerStats();
  private readonly running = new Set<AbortController>();

  constructor(
    private readonly opts: { clock: Clock; run: PipelineRunner; profile: BackendProfile; policy: ReferencePolicy },
  ) {}

  shapeAt(prefix: string, suffix: string): RequestShape {
    return classicShape(prefix, suffix, this.opts.profile);
  }

  async complete(snapshot: DocumentSnapshot, options: TriggerOptions): Promise<ScheduledOutcome> {
    const prefix = snapshot.text.slice(0, snapshot.offset);
    const shape = this.shapeAt(prefix, snapshot.text.slice(snapshot.offset));
    this.stats.triggers++;
    const t0 = this.opts.clock.now();
    if (!(await sleep(this.opts.clock, this.opts.policy.debounceMs, options.signal))) {
      return {
        outcome: cancelledOutcome('a newer keystroke arrived during the debounce'),
        servedBy: 'request',
        waitedMs: this.opts.clock.now() - t0,
        shape,
      };
    }
    const ctrl = new AbortController();
    this.running.add(ctrl);
    this.stats.requests++;
    const id = this.stats.requests;
    let finished = false;
    const onTriggerCancelled = () => {
      if (finished || this.opts.policy.cancel !== 'trigger') return;
      this.stats.cancelled++;
      ctrl.abort();
    };
    options.signal.addEventListener('abort', onTriggerCancelled, { once: true });
    try {
      const outcome = await this.opts.run(snapshot, shape, () => {}, ctrl.signal, { id, reason: 'trigger' });
      return { outcome, servedBy: 'request', waitedMs: this.opts.policy.debounceMs, requestId: id, shape };
    } finally {
      finished = true;
      this.running.delete(ctrl);
      options.signal.removeEventListener('abort', onTriggerCancelled);
    }
  }

  dispose(): void {
    for (const c of this.running) c.abort();
    this.running.clear();
  }
}
