/**
 * The schedulers the replay can run on a trace: Tessera's RequestManager (what the extension runs) and the
 * simplest baselines (see reference.ts), by name (`tessera replay --policy NAME`).
 */
import type { BackendProfile } from '../core/config';
import type { Logger } from '../core/log';
import type { Clock } from '../core/scheduling/clock';
import type { PartialFilterResult, PipelineRunner } from '../core/scheduling/flights';
import {
  RequestManager,
  type ScheduledOutcome,
  type SchedulerStats,
  type TriggerOptions,
} from '../core/scheduling/manager';
import { decideShape, type RequestShape } from '../core/scheduling/shape';
import { ReferenceScheduler, type ReferencePolicy } from './reference';

/** What the replay needs of a scheduler. */
export interface SimScheduler {
  readonly stats: SchedulerStats;
  complete(snapshot: Parameters<RequestManager['complete']>[0], options: TriggerOptions): Promise<ScheduledOutcome>;
  /** The request shape this scheduler asks for at a position (to tell the pauses where a perfect model has an answer). */
  shapeAt(prefix: string, suffix: string): RequestShape;
  dispose(): void;
}

export interface SchedulerDeps {
  clock: Clock;
  run: PipelineRunner;
  profile: BackendProfile;
  local: boolean;
  debounceMs: number;
  prefetch: boolean;
  speculate?: boolean;
  log?: Logger;
  postfilter: (
    language: string,
    prefix: string,
    suffix: string,
    completion: string,
  ) => Promise<PartialFilterResult | undefined>;
}

export interface SimPolicy {
  /** One line for the benchmark's legend. */
  description: string;
  create(deps: SchedulerDeps): SimScheduler;
}

function reference(policy: ReferencePolicy, description: string): SimPolicy {
  return {
    description,
    create: (d) => new ReferenceScheduler({ clock: d.clock, run: d.run, profile: d.profile, policy }),
  };
}

export const POLICIES: Record<string, SimPolicy> = {
  tessera: {
    description: "Tessera's scheduler, as the extension runs it",
    create: (d) => {
      const m = new RequestManager(d);
      return Object.assign(m, {
        shapeAt: (prefix: string, suffix: string) => decideShape(prefix, suffix, d.profile, d.local),
      });
    },
  },
  fixed350: reference(
    { debounceMs: 350, cancel: 'never' },
    'a fixed 350 ms debounce, no cache, no reuse; superseded requests run to their end',
  ),
  cancel75: reference(
    { debounceMs: 75, cancel: 'trigger' },
    'a 75 ms debounce; a superseded request is cancelled; nothing is reused',
  ),
};
