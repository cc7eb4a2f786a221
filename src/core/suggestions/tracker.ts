/**
 * What happened to each trigger and each suggestion handed to the editor, for the local statistics: the editor
 * shell reports triggers, the items it hands over, accept commands and document changes; this decides what
 * counts (through the ledger: each shown suggestion once, each accepted at most once) and records it.
 */
import type { RejectionReason } from '../reasons';
import type { ScheduledOutcome } from '../scheduling/manager';
import type { Suggestion } from '../types';
import { AcceptLedger, type Candidate, type ChangeVerdict, type ShownItem, type TextChange } from './acceptance';
import { candidateKey } from './alternatives';
import type { UsageStats } from './stats';

export interface ShowOptions {
  /** A manual trigger (Alt+\, Alt+] / Alt+[): the ghost text on screen stays first, so Alt+] moves to another candidate. */
  manual?: boolean;
  /** Text between the items' anchor and the cursor (the word the suggest widget's selected item replaces). */
  typed?: string;
  /** The suggest widget is open (VS Code passed its selected item). */
  withWidget?: boolean;
  /** The document's version. */
  version?: number;
  /** The scheduler's answer this suggestion came from: its timings count as latency when the suggestion is new. */
  scheduled?: Pick<ScheduledOutcome, 'servedBy' | 'waitedMs' | 'outcome'>;
  totalMs?: number;
}

export class SuggestionTracker {
  private readonly ledger = new AcceptLedger();

  constructor(private readonly stats: UsageStats) {}

  /** A trigger the editor's gate stopped before any request (excluded file, snoozed, …). */
  skipped(backend: string, language: string, reason: RejectionReason): void {
    this.stats.recordNothingShown(backend, language, reason);
  }

  /** The scheduler's answer to one trigger: a request, or why nothing showed. */
  scheduled(backend: string, language: string, s: Pick<ScheduledOutcome, 'outcome' | 'servedBy' | 'requestId'>): void {
    this.stats.recordTrigger(backend, language, s);
  }

  /**
   * The items for a suggestion and its alternatives (best first), handed to the editor with the cursor at `offset`;
   * `s` holds texts from the items' anchor (see ShowOptions.typed). Counts the suggestion as shown when it is new.
   */
  show(
    uri: string,
    offset: number,
    language: string,
    backend: string,
    s: Pick<Suggestion, 'text' | 'replaceSuffix' | 'alternatives'>,
    opts: ShowOptions = {},
  ): ShownItem[] {
    let all: Candidate[] = [{ text: s.text, replaceSuffix: s.replaceSuffix }, ...(s.alternatives ?? [])];
    const typed = opts.typed ?? '';
    // Next/previous on a shown suggestion asks again (an explicit trigger) and VS Code then moves from the first
    // item: keep the ghost text on screen first, so Alt+] always moves to a different candidate.
    const onScreen = opts.manual && typed === '' ? this.ledger.current(uri, offset)?.[0] : undefined;
    if (onScreen !== undefined) {
      const same = all.find((a) => candidateKey(a) === candidateKey(onScreen));
      all = [same ?? onScreen, ...all.filter((a) => a !== same)];
    }
    const { items, isNew, retracted } = this.ledger.show(uri, offset, all, { backend, language }, typed, {
      version: opts.version,
      withWidget: opts.withWidget,
    });
    if (retracted) this.stats.retractShown(retracted.backend, retracted.language);
    if (isNew) {
      this.stats.recordShown(backend, language);
      const sch = opts.scheduled;
      if (sch && (sch.servedBy === 'request' || sch.servedBy === 'in-flight'))
        this.stats.recordLatency({ schedule: sch.waitedMs, ...sch.outcome.timings }, opts.totalMs ?? 0);
    }
    return items;
  }

  /** The ghost text still on screen at the cursor (after typing through it or indenting under it), with the items' ids. */
  continuation(uri: string, offset: number): ShownItem[] | undefined {
    return this.ledger.current(uri, offset);
  }

  /** The editor ran an item's accept command (a full accept). */
  accepted(id: number): { chars: number; wasPartial: boolean } | undefined {
    const r = this.ledger.accept(id);
    if (!r) return undefined;
    this.stats.recordAccepted(r.meta.backend, r.meta.language, r.count, r.chars);
    return r;
  }

  /** A document changed: a partial accept is recorded. */
  changed(uri: string, changes: readonly TextChange[]): ChangeVerdict {
    const v = this.ledger.onChange(uri, changes);
    if (v.kind === 'partial') this.stats.recordAccepted(v.meta.backend, v.meta.language, v.count, v.chars);
    return v;
  }

  /** The statistics were reset: the suggestions on screen now are not counted again in the new period. */
  statisticsReset(): void {
    this.ledger.forgetCounts();
  }
}
