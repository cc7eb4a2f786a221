/** Building the panel's DOM without a framework: user data only ever goes in through textContent/value. */

export type Child = Node | string | number | null | undefined | false | Child[];
export type Attrs = Record<string, unknown>;

/** Tiny element builder: h('div', {class: 'x', onclick}, child, 'text'). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'class') el.className = String(v);
    else if (k === 'value') (el as unknown as { value: unknown }).value = v;
    else if (k === 'checked') (el as unknown as { checked: boolean }).checked = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  const append = (c: Child) => {
    if (c === undefined || c === null || c === false) return;
    if (Array.isArray(c)) c.forEach(append);
    else el.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  };
  children.forEach(append);
  return el;
}

/** The value of the form control an event came from. */
export function valueOf(ev: Event): string {
  return (ev.target as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement).value;
}
