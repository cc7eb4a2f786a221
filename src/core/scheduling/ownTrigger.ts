/**
 * Bookkeeping for the triggers Tessera issues itself when VS Code missed an automatic one (the provider's
 * watchdog runs VS Code's "trigger inline suggestion" command).
 *
 * VS Code sees such a trigger as explicit, Tessera serves it as automatic (one candidate, no alternatives). Two
 * consequences this class keeps straight:
 *  - VS Code's own automatic call for the same version can still arrive after the watchdog fired: only an
 *    explicit call is the watchdog's; and the user may type another key before VS Code runs the command: the
 *    explicit call while the command runs is the watchdog's, at that version or a later one;
 *  - VS Code keeps an explicit result and does not ask again at the same position and version for the next
 *    explicit request (Alt+\, Alt+], Alt+[): the user's ask would silently reuse the single automatic answer.
 *    `askAgain` tells the command to clear it first, so the ask reaches Tessera as a manual trigger;
 *  - the user may ask while the watchdog's command has not reached Tessera yet: VS Code then serves both with one
 *    explicit call, which is the user's (a manual trigger, that says why when it shows nothing).
 */
export interface TriggerAt {
  uri: string;
  version: number;
  offset: number;
}

export class OwnTriggers {
  private pending: { uri: string; version: number } | undefined;
  private served: TriggerAt | undefined;

  /** The watchdog is about to run VS Code's trigger command for this document version. */
  issued(uri: string, version: number): void {
    this.pending = { uri, version };
  }

  /** That command finished (VS Code asked, or decided not to). */
  settled(uri: string, version: number): void {
    if (this.pending?.uri === uri && this.pending.version === version) this.pending = undefined;
  }

  /** A provider call: true when it is the watchdog's trigger (to be served as automatic). */
  onCall(at: TriggerAt, explicit: boolean): boolean {
    const own = explicit && this.pending?.uri === at.uri && at.version >= this.pending.version;
    if (own) this.pending = undefined;
    this.served = own ? { ...at } : undefined;
    return own;
  }

  /**
   * Before a user's explicit ask at this position: true (once) when what VS Code holds there came from the
   * watchdog's trigger, so it must be cleared for VS Code to ask again. The next explicit call is the user's.
   */
  askAgain(at: TriggerAt): boolean {
    const s = this.served;
    this.served = undefined;
    this.pending = undefined;
    return !!s && s.uri === at.uri && s.version === at.version && s.offset === at.offset;
  }
}
