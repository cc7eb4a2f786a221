/**
 * The missed-trigger watchdog. VS Code creates an editor's inline-suggest controller lazily (when idle after the
 * editor opens): keys typed right after a file opens never reach the provider, and nothing asks again until the
 * next key. When a typing edit is not followed by a provider call for that document version within
 * MISSED_TRIGGER_MS, the watchdog asks VS Code for one, and looks again a few times (the controller may not exist
 * yet either).
 */
import type { Clock, TimerHandle } from './scheduling/clock';

export const MISSED_TRIGGER_MS = 300;
/** Asks per typing edit at most (the first after MISSED_TRIGGER_MS, each next one 2 × MISSED_TRIGGER_MS later). */
export const MISSED_TRIGGER_ATTEMPTS = 3;

/** What the shell tells the watchdog about the editor, and how it asks VS Code. */
export interface MissedTriggerHooks {
  /** The document is still open, at this version, in the active editor. */
  unchanged(uri: string, version: number): boolean;
  /** Tessera would show nothing here anyway (disabled, excluded, snoozed…): asking is pointless. */
  gated(uri: string): boolean;
  /** Run VS Code's "trigger inline suggestion" for this document version. */
  ask(uri: string, version: number): void;
}

/**
 * Typing only — one change of a few characters, Enter with its indentation, an auto-closed pair — and not undo,
 * redo, a paste or a formatter (those come with a `reason`, or as several or larger changes).
 */
export function isTypingEdit(changes: readonly { text: string }[], reason: unknown): boolean {
  return changes.length === 1 && reason === undefined && /^(?:[^\n]{1,8}|\r?\n[ \t]*)$/.test(changes[0].text);
}

export class MissedTriggerWatchdog {
  /** Per document: the version the provider was last called for. */
  private readonly calledFor = new Map<string, number>();
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly hooks: MissedTriggerHooks,
  ) {}

  /** The provider was called for this document version: no need to ask for it. */
  providerCalled(uri: string, version: number): void {
    this.calledFor.set(uri, version);
  }

  /** The user typed in the active editor (see isTypingEdit): expect a provider call for this version. */
  typed(uri: string, version: number): void {
    this.cancel();
    this.timer = this.clock.setTimeout(() => this.check(uri, version, 1), MISSED_TRIGGER_MS);
  }

  forget(uri: string): void {
    this.calledFor.delete(uri);
  }

  dispose(): void {
    this.cancel();
  }

  private cancel(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private check(uri: string, version: number, attempt: number): void {
    this.timer = undefined;
    if (!this.hooks.unchanged(uri, version)) return;
    if ((this.calledFor.get(uri) ?? -1) >= version || this.hooks.gated(uri)) return;
    this.hooks.ask(uri, version);
    if (attempt < MISSED_TRIGGER_ATTEMPTS) {
      this.timer = this.clock.setTimeout(() => this.check(uri, version, attempt + 1), MISSED_TRIGGER_MS * 2);
    }
  }
}
