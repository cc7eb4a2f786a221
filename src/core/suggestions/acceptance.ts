/**
 * Bookkeeping of the suggestions handed to the editor, to count accepts for the local statistics.
 *
 * VS Code 1.100's stable API runs an item's command on a full accept (Tab), but has no callback for a partial
 * accept (accept next word / line). A partial accept is recognised from the document change it makes: one change
 * that inserts, at the suggestion's position, a strict prefix of the ghost text still shown (of the suggestion or
 * one of its alternatives). Typing through the ghost text makes the same kind of change one character at a time,
 * so a one-character insert counts as typing, and so does an auto-closed bracket pair.
 */

export interface AcceptMeta {
  backend: string;
  language: string;
}

interface Item {
  id: number;
  text: string;
  /** What is still shown as ghost text. */
  rest: string;
  /** Characters accepted word by word / line by line. */
  partialChars: number;
  /** Characters already in the document (accepted or typed through). */
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

export type ChangeVerdict =
  | { kind: 'partial'; chars: number; firstForSuggestion: boolean; meta: AcceptMeta; stillShown: string }
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

export class AcceptLedger {
  private nextId = 0;
  private shown: { uri: string; offset: number; meta: AcceptMeta; items: Item[] } | undefined;
  private readonly byId = new Map<number, { item: Item; meta: AcceptMeta }>();

  constructor(private readonly remember = 200) {}

  /** A suggestion and its alternatives were handed to the editor at `offset`; returns their ids (same order). */
  show(uri: string, offset: number, texts: readonly (string | { text: string; replaceSuffix: number })[], meta: AcceptMeta): number[] {
    const items = texts.map((t) => {
      const { text, replaceSuffix } = typeof t === 'string' ? { text: t, replaceSuffix: 0 } : t;
      return { id: ++this.nextId, text, rest: text, partialChars: 0, consumed: 0, replaceSuffix };
    });
    for (const item of items) this.byId.set(item.id, { item, meta });
    while (this.byId.size > this.remember) this.byId.delete(this.byId.keys().next().value!);
    this.shown = { uri, offset, meta, items };
    return items.map((i) => i.id);
  }

  /**
   * The ghost text still shown at this position (first the item the editor shows first), after partial accepts
   * and typing through; undefined when the suggestion there was accepted, or the document changed otherwise.
   */
  current(uri: string, offset: number): { id: number; text: string; replaceSuffix: number }[] | undefined {
    const s = this.shown;
    if (!s || s.uri !== uri || s.offset !== offset) return undefined;
    const items = s.items.filter((i) => i.rest.trim() !== '').map((i) => ({ id: i.id, text: i.rest, replaceSuffix: i.replaceSuffix }));
    return items.length ? items : undefined;
  }

  /** The editor ran an item's accept command: how much it inserted, and whether it had been partly accepted. */
  accept(id: number): { chars: number; wasPartial: boolean; meta: AcceptMeta } | undefined {
    const rec = this.byId.get(id);
    if (!rec) return undefined;
    this.byId.delete(id);
    this.shown = undefined;
    return { chars: rec.item.text.length - rec.item.consumed, wasPartial: rec.item.partialChars > 0, meta: rec.meta };
  }

  /** A document changed: a partial accept, typing through the ghost text, or something else (forget it). */
  onChange(uri: string, changes: readonly TextChange[]): ChangeVerdict {
    const shown = this.shown;
    if (!shown || uri !== shown.uri || changes.length === 0) return { kind: 'unrelated' };
    const ch = changes[0];
    const matching =
      changes.length === 1 && ch.offset === shown.offset && ch.removed === 0 && ch.text !== ''
        ? shown.items.filter((i) => i.rest.startsWith(ch.text) && i.rest.length > ch.text.length)
        : [];
    if (matching.length === 0) {
      this.shown = undefined;
      return { kind: 'unrelated' };
    }
    const partial = matching.some((i) => isPartialAccept(ch.text, i.rest));
    const firstForSuggestion = partial && !matching.some((i) => i.partialChars > 0);
    for (const i of matching) {
      if (partial) i.partialChars += ch.text.length;
      i.consumed += ch.text.length;
      i.rest = i.rest.slice(ch.text.length);
    }
    shown.items = matching;
    shown.offset += ch.text.length;
    if (!partial) return { kind: 'typed' };
    return { kind: 'partial', chars: ch.text.length, firstForSuggestion, meta: shown.meta, stillShown: matching[0].rest };
  }
}
