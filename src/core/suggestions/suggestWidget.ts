/**
 * Ghost text while the suggest widget (the editor's word list) is open.
 *
 * VS Code shows inline ghost text together with the widget only when the ghost text extends the item selected in
 * the widget; any other ghost text stays hidden until the widget closes, and the first Tab takes the widget's item.
 * So, as Copilot does, the completion is asked for as if the selected item were already inserted, and handed back
 * as one edit that replaces the item's range with the item's text followed by the completion: the ghost text
 * continues the word the user is about to take (`fmt` → `fmt.Println(…)`).
 */
import type { DocumentSnapshot, Suggestion } from '../types';

/** The suggest widget's selected item, in document offsets: it would replace [start, end) with `text`. */
export interface SelectedItem {
  start: number;
  end: number;
  text: string;
}

/** The document as it will be once the selected item is inserted, the cursor after it; undefined if the item's range does not hold the cursor. */
export function asIfInserted(snapshot: DocumentSnapshot, item: SelectedItem): DocumentSnapshot | undefined {
  if (item.start > snapshot.offset || item.end < snapshot.offset || item.start < 0 || item.end > snapshot.text.length)
    return undefined;
  return {
    ...snapshot,
    text: snapshot.text.slice(0, item.start) + item.text + snapshot.text.slice(item.end),
    offset: item.start + item.text.length,
    // The version identifies the real document's text; this one is not it.
    version: undefined,
  };
}

/**
 * A suggestion for the `asIfInserted` document, as the edit for the real one: from the item's start, the item's
 * text then the suggestion, replacing up to the item's end plus what the suggestion replaces after it.
 * `replaceSuffix` is counted from the real cursor (`offset`).
 */
export function withSelectedItem<S extends Pick<Suggestion, 'text' | 'replaceSuffix' | 'alternatives'>>(
  s: S,
  item: SelectedItem,
  offset: number,
): S {
  const wrap = (c: { text: string; replaceSuffix: number }) => ({
    text: item.text + c.text,
    replaceSuffix: item.end - offset + c.replaceSuffix,
  });
  return { ...s, ...wrap(s), alternatives: s.alternatives?.map(wrap) };
}

/**
 * Can the user see this edit next to the widget? Only if it starts where the item does and its text begins with
 * the item's text: VS Code hides any other ghost text while the widget is open (so it is not counted as shown).
 */
export function visibleWithItem(edit: { start: number; text: string }, item: SelectedItem): boolean {
  return edit.start === item.start && edit.text.startsWith(item.text) && edit.text.length > item.text.length;
}
