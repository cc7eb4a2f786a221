/** The edit model for next edits (tessera.nextEdit.backend), picked among the profiles with an edit format. */
import type { PanelState } from '../core/panelProtocol';
import { h, valueOf } from './dom';
import type { PanelView } from './panelView';
import { EDIT_PRESETS, presetButtons } from './presets';

/** The edit model for next edits (tessera.nextEdit.backend) and presets to add one. */
export function renderNextEdits(view: PanelView, state: PanelState): HTMLElement {
  const models = state.profiles.filter((p) => p.draft.editFormat && Object.keys(p.errors).length === 0);
  const known = models.some((p) => p.name === state.nextEdit);
  const sel = h(
    'select',
    { id: 'next-edit', onchange: (e: Event) => view.post({ type: 'setNextEdit', name: valueOf(e) }) },
    h('option', { value: '' }, 'Off'),
    models.map((p) => h('option', { value: p.name }, p.name)),
    state.nextEdit && !known
      ? h('option', { value: state.nextEdit }, `${state.nextEdit} (not a valid edit model)`)
      : null,
  );
  sel.value = state.nextEdit;
  return h(
    'section',
    { class: 'next-edits', 'aria-labelledby': 'next-edits-h' },
    h('h2', { id: 'next-edits-h' }, 'Next edits'),
    h(
      'p',
      { class: 'muted' },
      'An edit-prediction model proposes the rest of a change near the cursor (the other uses of a renamed name, a parameter added at each call) and Tessera shows it where it applies: Tab goes there, Tab again applies it, Esc dismisses. It receives your recent edits and the code around the cursor; excluded and secret files are never sent.',
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'next-edit' }, 'Edit model'),
      sel,
      h(
        'div',
        { class: 'hint muted' },
        models.length ? 'Profiles with an edit format.' : 'No edit model yet: add one (a profile with an edit format).',
      ),
    ),
    view.editor
      ? null
      : presetButtons(
          EDIT_PRESETS,
          { ariaLabel: 'Edit model presets', idPrefix: 'edit-preset' },
          (draft) => view.openEditor(null, draft, 'name'),
          (p) => `Add ${p.label}`,
        ),
  );
}
