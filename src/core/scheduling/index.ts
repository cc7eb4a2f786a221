export { CompletionCache, cacheKey, type CachedCompletion, type CacheHit } from './cache';
export { realClock, sleep, VirtualClock, type Clock } from './clock';
export { AdaptiveDebounce } from './debounce';
export { type PipelineRunner } from './flights';
export {
  concurrencyLimit,
  RequestManager,
  type ManagerOptions,
  type ScheduledOutcome,
  type SchedulerStats,
  type ServedBy,
  type TriggerOptions,
} from './manager';
export { decideShape, type RequestShape } from './shape';
