/**
 * Bookkeeping of the suggestions handed to the editor: what is on screen, and what counts for the statistics.
 *
 * A *shown suggestion* is one piece of ghost text the user saw appear. The editor asks again on every keystroke,
 * after a partial accept, when the suggest widget's selection changes, and on a manual trigger; when what it gets
 * back continues the ghost text already on screen (the rest after typing through it, the rest after accepting a
 * word, the same text with alternatives added), it is the same shown suggestion. Each shown suggestion is counted
 * once, and accepted at most once: its first partial accept counts it as partly accepted, a full accept counts it
 * as accepted (moving it from "partly"), and nothing counts it again. So acceptance can never exceed 100%.
 *
 * VS Code 1.100's stable API runs an item's command on a full accept (Tab), but has no callback for a partial
 * accept (accept next word / line). A partial accept is recognised from the document change it makes: one change
 * that inserts, at the cursor, a strict prefix of the ghost text still shown (of the suggestion or one of its
 * alternatives). Typing through the ghost text makes the same kind of change one character at a time, so a
 * one-character insert counts as typing, and so does an auto-closed bracket pair.
 */

export interface AcceptMeta {
  backend: string;
  language: string;
}

/** What a change of the statistics an accept makes: the ledger decides, the statistics only add. */
export type AcceptCount =
  /** First accept of this suggestion, in full. */
  | 'full'
  /** First accept of this suggestion, a word or line of it. */
  | 'partial'
  /** A full accept of a suggestion already counted as partly accepted. */
  | 'partial-to-full'
  /** Already counted (or shown before the statistics were reset): characters only. */
  | 'none';

/** One shown suggestion: counted once as shown, and at most once as accepted. */
interface Shown {
  meta: AcceptMeta;
  accepted: 'no' | 'partial' | 'full';
  /** Shown before the statistics were reset: its accepts are not counted in the new period. */
  stale: boolean;
}

interface Item {
  id: number;
  shown: Shown;
  /** The item's whole text from its anchor (the start of the range it replaces). */
  full: string;
  /** Characters of `full` already in the document (typed before the item was shown, typed through, accepted). */
  consumed: number;
  /** Characters after the cursor the item replaces. */
  replaceSuffix: number;
}

/** One edit of the document, in offsets before the edit. */
export interface TextChange {
  offset: number;
  /** Characters replaced. */
  removed: number;
  text: string;
}

/** A candidate handed to the editor: `text` replaces the document from `anchor` (default: the cursor) to `replaceSuffix` characters after the cursor. */
export interface Candidate {
  text: string;
  replaceSuffix: number;
}

export interface ShownItem {
  id: number;
  /** The item's text from `anchor`. */
  text: string;
  anchor: number;
  /** Characters after the cursor the item replaces. */
  replaceSuffix: number;
}

export type ChangeVerdict =
  | { kind: 'partial'; chars: number; count: AcceptCount; meta: AcceptMeta; stillShown: string }
  | { kind: 'typed' }
  | { kind: 'unrelated' };

const AUTO_CLOSE_PAIRS = new Set(['()', '[]', '{}', '""', "''", '``', '<>']);

/** Is `inserted` (one change at the suggestion's position) a partial accept of the ghost text `rest`? */
export function isPartialAccept(inserted: string, rest: string): boolean {
  if (inserted.length < 2 || inserted.length >= rest.length || !rest.startsWith(inserted)) return false;
  // Tab in the leading whitespace indents (VS Code keeps the ghost text): typing, not accepting.
  if (inserted.trim() === '') return false;
  return !AUTO_CLOSE_PAIRS.has(inserted);
}

const restOf = (i: Item) => i.full.slice(i.consumed);

export class AcceptLedger {
  private nextId = 0;
  /** What is on screen: items anchored at `anchor`, the cursor at `offset`, in document `version`. */
  private screen:
    { uri: string; anchor: number; offset: number; items: Item[]; version?: number; withWidget: boolean } | undefined;
  private readonly byId = new Map<number, Item>();

  constructor(private readonly remember = 200) {}

  /**
   * A suggestion and its alternatives were handed to the editor with the cursor at `offset`. `typed` is the text
   * already in the document between the items' anchor and the cursor (the word the suggest widget's item
   * replaces; '' when the items start at the cursor), and each candidate's text starts from the anchor.
   * Returns the items (same order) and whether this is a new shown suggestion (false: it continues the ghost text
   * already on screen here).
   *
   * `where.withWidget`: the suggest widget is open. When it opens right after a keystroke, VS Code first asks without
   * it, then again, for the same text, with it; the ghost text of the first answer is hidden by the widget before the
   * user can see it. That suggestion is `retracted`: it was never shown.
   */
  show(
    uri: string,
    offset: number,
    candidates: readonly Candidate[],
    meta: AcceptMeta,
    typed = '',
    where: { version?: number; withWidget?: boolean } = {},
  ): { items: ShownItem[]; isNew: boolean; retracted?: AcceptMeta } {
    const anchor = offset - typed.length;
    const prev = this.screen;
    const onScreen = this.current(uri, offset) ?? [];
    const continued = onScreen
      .flatMap((o) => this.byId.get(o.id) ?? [])
      .find((i) =>
        candidates.some((c) =>
          sameSuggestion(restOf(i), c.text.startsWith(typed) ? c.text.slice(typed.length) : c.text),
        ),
      );
    const shown: Shown = continued?.shown ?? { meta, accepted: 'no', stale: false };
    const items = candidates.map((c): Item => ({
      id: ++this.nextId,
      shown,
      full: c.text,
      consumed: c.text.startsWith(typed) ? typed.length : 0,
      replaceSuffix: c.replaceSuffix,
    }));
    for (const item of items) this.byId.set(item.id, item);
    while (this.byId.size > this.remember) this.byId.delete(this.byId.keys().next().value!);
    const hidden = prev?.items[0]?.shown;
    const retract =
      !continued &&
      !!where.withWidget &&
      prev !== undefined &&
      !prev.withWidget &&
      prev.uri === uri &&
      prev.offset === offset &&
      where.version !== undefined &&
      prev.version === where.version &&
      hidden !== undefined &&
      hidden.accepted === 'no' &&
      !hidden.stale;
    if (retract) hidden.stale = true;
    this.screen = { uri, anchor, offset, items, version: where.version, withWidget: !!where.withWidget };
    return {
      items: items.map((i) => ({ id: i.id, text: i.full, anchor, replaceSuffix: i.replaceSuffix })),
      isNew: !continued,
      retracted: retract ? hidden.meta : undefined,
    };
  }

  /**
   * The ghost text still shown at this position (first the item the editor shows first), after partial accepts
   * and typing through, as items anchored at the cursor; undefined when the suggestion there was accepted, or the
   * document changed otherwise.
   */
  current(uri: string, offset: number): ShownItem[] | undefined {
    const s = this.screen;
    if (!s || s.uri !== uri || s.offset !== offset) return undefined;
    const items = s.items.filter((i) => i.consumed === s.offset - s.anchor && restOf(i).trim() !== '');
    return items.length
      ? items.map((i) => ({ id: i.id, text: restOf(i), anchor: offset, replaceSuffix: i.replaceSuffix }))
      : undefined;
  }

  /** The editor ran an item's accept command: how much it inserted, and what that counts for. */
  accept(id: number): { chars: number; count: AcceptCount; meta: AcceptMeta; wasPartial: boolean } | undefined {
    const item = this.byId.get(id);
    if (!item) return undefined;
    this.byId.delete(id);
    this.screen = undefined;
    const s = item.shown;
    const was = s.accepted;
    s.accepted = 'full';
    const count: AcceptCount = s.stale || was === 'full' ? 'none' : was === 'partial' ? 'partial-to-full' : 'full';
    return { chars: item.full.length - item.consumed, count, meta: s.meta, wasPartial: was === 'partial' };
  }

  /** The statistics were reset: what is on screen now counts in the old period only. */
  forgetCounts(): void {
    for (const item of this.byId.values()) item.shown.stale = true;
  }

  /**
   * A document changed: a partial accept, typing through the ghost text (or the suggest widget inserting the item
   * the ghost text continues), or something else (forget it).
   */
  onChange(uri: string, changes: readonly TextChange[]): ChangeVerdict {
    const s = this.screen;
    if (!s || uri !== s.uri || changes.length === 0) return { kind: 'unrelated' };
    const ch = changes[0];
    // One change that ends at the cursor and starts within the items' text: the text from the anchor is then
    // what the items had before `ch.offset`, followed by what the change inserted.
    const applies =
      changes.length === 1 && ch.text !== '' && ch.offset >= s.anchor && ch.offset + ch.removed === s.offset;
    const typedNow = (i: Item) => i.full.slice(0, ch.offset - s.anchor) + ch.text;
    const matching = applies
      ? s.items.filter(
          (i) =>
            i.consumed === s.offset - s.anchor && i.full.startsWith(typedNow(i)) && i.full.length > typedNow(i).length,
        )
      : [];
    if (matching.length === 0) {
      this.screen = undefined;
      return { kind: 'unrelated' };
    }
    const atCursor = ch.removed === 0 && ch.offset === s.offset;
    const partial = atCursor && matching.some((i) => isPartialAccept(ch.text, restOf(i)));
    for (const i of matching) i.consumed = typedNow(i).length;
    s.items = matching;
    s.offset = ch.offset + ch.text.length;
    if (!partial) return { kind: 'typed' };
    const shown = matching[0].shown;
    const count: AcceptCount = shown.stale || shown.accepted !== 'no' ? 'none' : 'partial';
    if (shown.accepted === 'no') shown.accepted = 'partial';
    return { kind: 'partial', chars: ch.text.length, count, meta: shown.meta, stillShown: restOf(matching[0]) };
  }
}

/** Does the ghost text `next` continue `onScreen` (the same suggestion, shorter or longer)? */
function sameSuggestion(onScreen: string, next: string): boolean {
  if (onScreen.trim() === '' || next.trim() === '') return false;
  return next.startsWith(onScreen) || onScreen.startsWith(next);
}
