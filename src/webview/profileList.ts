/** The list of profiles (or, with none yet, the built-in model and presets to start from), with their actions. */
import type { PanelState } from '../core/panelProtocol';
import { h } from './dom';
import type { PanelView } from './panelView';
import { DEFAULT_FIM, presetButtons, PRESETS } from './presets';

export function renderList(view: PanelView, state: PanelState): HTMLElement {
  const editor = view.editor;
  const section = h(
    'section',
    { 'aria-labelledby': 'profiles-h', class: 'profiles' },
    h('h2', { id: 'profiles-h' }, 'Profiles'),
  );
  if (state.profiles.length === 0) {
    section.append(
      h(
        'div',
        { class: 'empty', id: 'empty-state' },
        h('p', {}, h('strong', {}, 'No backend yet.'), ' Tessera needs a model to complete code.'),
        editor
          ? null
          : h(
              'div',
              { class: 'builtin', role: 'group', 'aria-labelledby': 'builtin-h' },
              h('h3', { id: 'builtin-h' }, 'Zero setup: the built-in model'),
              h(
                'p',
                {},
                'A small code model (Qwen2.5-Coder 0.5B, about 530 MB, downloaded once and checked) runs inside VS Code: no server, no account, your code stays on this machine. It is what Tessera uses while no profile exists.',
              ),
              h(
                'button',
                { type: 'button', id: 'use-builtin', onclick: () => view.post({ type: 'useBuiltinModel' }) },
                'Use the built-in model',
              ),
            ),
        editor ? null : h('p', {}, 'Or connect a model server, or add your own profile:'),
        editor
          ? null
          : presetButtons(PRESETS, { ariaLabel: 'Presets', idPrefix: 'preset' }, (draft) =>
              view.openEditor(null, draft, 'name'),
            ),
      ),
    );
  } else {
    const list = h('ul', { class: 'list', 'aria-label': 'Backend profiles' });
    for (const p of state.profiles) {
      const isActive = p.name === state.active;
      const invalid = Object.keys(p.errors).length > 0;
      // An edit model is picked under "Next edits", never as the ghost-text model.
      const editModel = !!p.draft.editFormat;
      const badges: HTMLElement[] = [];
      if (isActive) badges.push(h('span', { class: 'badge active' }, 'active'));
      if (editModel && p.name === state.nextEdit) badges.push(h('span', { class: 'badge active' }, 'next edits'));
      if (p.hasApiKey) badges.push(h('span', { class: 'badge' }, 'API key stored'));
      if (invalid) badges.push(h('span', { class: 'badge error' }, 'invalid'));
      if (p.blockedReason) badges.push(h('span', { class: 'badge warn' }, 'not used here'));
      const problems = invalid
        ? Object.entries(p.errors)
            .map(([f, msg]) => `${f}: ${msg}`)
            .join('; ')
        : '';
      list.append(
        h(
          'li',
          { class: `row${isActive ? ' is-active' : ''}`, 'data-name': p.name },
          h('input', {
            type: 'radio',
            name: 'active',
            id: `use-${p.index}`,
            checked: isActive,
            disabled: invalid || editModel,
            'aria-label': `Use ${p.name}`,
            onchange: () => view.post({ type: 'setActive', name: p.name }),
          }),
          h(
            'div',
            { class: 'row-main' },
            h('label', { for: `use-${p.index}`, class: 'row-name' }, p.name, ' ', badges),
            h('div', { class: 'muted summary' }, p.summary),
            problems ? h('div', { class: 'error-text' }, problems) : null,
            p.blockedReason ? h('div', { class: 'warn-text' }, p.blockedReason) : null,
          ),
          h(
            'div',
            { class: 'row-actions' },
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                id: `edit-${p.index}`,
                'aria-label': `Edit ${p.name}`,
                onclick: () => view.openEditor(p.index, p.draft),
              },
              'Edit',
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                'aria-label': `Duplicate ${p.name}`,
                onclick: () => view.post({ type: 'duplicate', index: p.index }),
              },
              'Duplicate',
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'secondary danger',
                'aria-label': `Remove ${p.name}`,
                onclick: () => view.post({ type: 'remove', index: p.index }),
              },
              'Remove',
            ),
          ),
        ),
      );
    }
    section.append(list);
  }
  if (!editor)
    section.append(
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            id: 'add',
            onclick: () => view.openEditor(null, { kind: 'openai', fimTemplate: DEFAULT_FIM }),
          },
          'Add profile',
        ),
      ),
    );
  return section;
}
