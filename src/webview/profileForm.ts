/**
 * The form that edits one profile: its fields (labels, hints and bounds from the state the host sends), the API key,
 * the connection test, and the limits folded away. Errors show for a field once the user has left it or tried to
 * save or test (see Editor).
 */
import type { PanelProfile, PanelState, ProfileField } from '../core/panelProtocol';
import { forgetTestResult, renderTest, TESTED_FIELDS } from './connectionTest';
import { h, valueOf } from './dom';
import { profileAt, type Editor, type PanelView } from './panelView';
import { presetButtons, PRESETS } from './presets';

/** The error to show for a field: only once the user has left it, or tried to save or test. */
function shownError(editor: Editor | null, name: ProfileField | 'form'): string | undefined {
  if (!editor) return undefined;
  return editor.submitted || editor.touched.has(name) ? editor.errors[name] : undefined;
}

function field(view: PanelView, state: PanelState, name: ProfileField, control: HTMLElement): HTMLElement {
  const f = state.fields[name];
  const err = shownError(view.editor, name);
  const hintId = `h-${name}`;
  const errId = `e-${name}`;
  control.id = `f-${name}`;
  control.setAttribute('aria-describedby', err ? `${errId} ${hintId}` : hintId);
  if (err) control.setAttribute('aria-invalid', 'true');
  return h(
    'div',
    { class: `field${err ? ' has-error' : ''}`, 'data-field': name },
    h('label', { for: `f-${name}` }, f.label),
    control,
    err ? h('div', { class: 'error-text', id: errId, role: 'alert' }, err) : null,
    h('div', { class: 'hint muted', id: hintId }, f.hint),
  );
}

function onInput(view: PanelView, name: ProfileField) {
  return (ev: Event) => {
    const editor = view.editor;
    if (!editor) return;
    editor.draft[name] = valueOf(ev);
    if (TESTED_FIELDS.has(name)) forgetTestResult(editor);
    view.persist();
    if (name === 'kind') {
      editor.focus = 'kind';
      view.render();
    }
    view.requestValidation();
  };
}

/**
 * Leaving a field shows its error (if any). Not a re-render replacing the focused input (Chromium sends blur then).
 * The render waits for the focus to land: rendered inside the blur, it would replace the field being focused
 * before it has the focus, and the keys typed next would go nowhere.
 */
function onBlur(view: PanelView, name: ProfileField) {
  return (ev: Event) => {
    const editor = view.editor;
    if (!editor || editor.touched.has(name) || view.rendering || !(ev.target as Node).isConnected) return;
    editor.touched.add(name);
    if (editor.errors[name]) setTimeout(() => view.editor === editor && view.render(), 0);
  };
}

function textInput(
  view: PanelView,
  state: PanelState,
  ed: Editor,
  name: ProfileField,
  type = 'text',
): HTMLInputElement {
  const f = state.fields[name];
  return h('input', {
    type,
    value: ed.draft[name] ?? '',
    placeholder: f.placeholder,
    inputmode: f.inputmode,
    spellcheck: 'false',
    autocomplete: 'off',
    oninput: onInput(view, name),
    onblur: onBlur(view, name),
  });
}

function select(view: PanelView, ed: Editor, name: ProfileField, options: [string, string][]): HTMLSelectElement {
  const el = h(
    'select',
    { onchange: onInput(view, name), onblur: onBlur(view, name) },
    options.map(([v, label]) => h('option', { value: v }, label)),
  );
  el.value = ed.draft[name] ?? '';
  return el;
}

export function renderEditor(view: PanelView, state: PanelState, ed: Editor): HTMLElement {
  const stored = ed.index !== null ? profileAt(state, ed.index) : undefined;
  const title = ed.index === null ? 'New profile' : `Edit “${stored?.name ?? ''}”`;
  const kind = ed.draft.kind ?? 'openai';
  const embedded = kind === 'embedded';
  const text = (name: ProfileField, type?: string) => field(view, state, name, textInput(view, state, ed, name, type));

  const modelInput = textInput(view, state, ed, 'model');
  modelInput.setAttribute('list', 'model-options');
  const datalist = h(
    'datalist',
    { id: 'model-options' },
    view.knownModels.map((m) => h('option', { value: m })),
  );

  // A new profile can start from a preset, whether or not other profiles exist.
  const presets =
    ed.index === null
      ? presetButtons(
          PRESETS,
          {
            ariaLabel: 'Start from a preset',
            idPrefix: 'editor-preset',
            lead: h('span', { class: 'muted' }, 'Start from: '),
          },
          (draft) => view.usePreset(draft),
        )
      : null;
  const form = h(
    'form',
    {
      novalidate: true,
      'aria-labelledby': 'editor-h',
      onsubmit: (e: Event) => {
        e.preventDefault();
        view.save(false);
      },
    },
    presets,
    h(
      'div',
      { class: 'grid' },
      text('name'),
      field(
        view,
        state,
        'kind',
        select(
          view,
          ed,
          'kind',
          state.kinds.map((k) => [k, state.kindLabels[k] ?? k]),
        ),
      ),
      embedded ? null : text('baseUrl', 'url'),
      field(view, state, 'model', modelInput),
      datalist,
      field(
        view,
        state,
        'fimTemplate',
        select(
          view,
          ed,
          'fimTemplate',
          state.templates.map((t) => [t, t]),
        ),
      ),
      field(
        view,
        state,
        'editFormat',
        select(view, ed, 'editFormat', [
          ['', 'none: a ghost-text (FIM) model'],
          ...state.editFormats.map((f): [string, string] => [f, f]),
        ]),
      ),
    ),
    embedded ? null : renderApiKey(view, ed, stored),
    h(
      'div',
      { class: 'actions test-actions' },
      h(
        'button',
        { type: 'button', class: 'secondary', id: 'test', disabled: ed.testing || undefined, onclick: view.test },
        ed.testing ? 'Testing…' : 'Test connection',
      ),
      h('span', { class: 'muted' }, 'Probes the form as it is, unsaved edits included.'),
    ),
    renderTest(view, ed),
    embedded
      ? h(
          'fieldset',
          {},
          h('legend', {}, 'Embedded model'),
          h('div', { class: 'grid' }, text('modelPath'), text('threads'), text('contextSize')),
        )
      : null,
    h(
      'details',
      {
        open:
          ed.advancedOpen ||
          (['maxTokens', 'temperature', 'timeoutMs', 'concurrency', 'stop'] as const).some((f) => shownError(ed, f)) ||
          undefined,
        ontoggle: (e: Event) => {
          ed.advancedOpen = (e.target as HTMLDetailsElement).open;
        },
      },
      h('summary', {}, 'Limits and stop sequences'),
      h(
        'div',
        { class: 'grid' },
        text('maxTokens'),
        text('temperature'),
        text('timeoutMs'),
        text('concurrency'),
        field(
          view,
          state,
          'stop',
          h('textarea', {
            rows: 2,
            spellcheck: 'false',
            oninput: onInput(view, 'stop'),
            onblur: onBlur(view, 'stop'),
            value: ed.draft.stop ?? '',
          }),
        ),
      ),
    ),
    shownError(ed, 'form') ? h('div', { class: 'error-text', role: 'alert' }, ed.errors.form) : null,
    ed.warning ? h('div', { class: 'banner warn', role: 'note' }, ed.warning) : null,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', id: 'save', disabled: ed.saving || undefined }, 'Save'),
      h(
        'button',
        { type: 'button', id: 'save-use', disabled: ed.saving || undefined, onclick: () => view.save(true) },
        'Save and use',
      ),
      h('button', { type: 'button', class: 'secondary', id: 'cancel', onclick: view.closeEditor }, 'Cancel'),
    ),
  );
  return h(
    'section',
    { class: 'editor', 'aria-labelledby': 'editor-h', id: 'editor' },
    h('h2', { id: 'editor-h' }, title),
    form,
  );
}

function renderApiKey(view: PanelView, ed: Editor, stored: PanelProfile | undefined): HTMLElement {
  const has = !!stored?.hasApiKey;
  const input = h('input', {
    type: 'password',
    id: 'f-apiKey',
    value: ed.apiKey,
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: has ? '•••••••• (stored; type to replace)' : 'none (local servers need none)',
    'aria-describedby': 'h-apiKey',
    oninput: (e: Event) => {
      ed.apiKey = valueOf(e);
      forgetTestResult(view.editor);
    },
  });
  return h(
    'div',
    { class: 'apikey' },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'f-apiKey' }, 'API key'),
      h(
        'div',
        { class: 'inline' },
        input,
        has && stored
          ? h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                id: 'clear-key',
                onclick: () => view.post({ type: 'clearApiKey', name: stored.name }),
              },
              'Remove stored key',
            )
          : null,
      ),
      h(
        'div',
        { class: 'hint muted', id: 'h-apiKey' },
        has
          ? 'A key is stored in the OS keychain (SecretStorage). It is never shown again nor written to settings.'
          : 'Stored in the OS keychain (SecretStorage) when you save; never written to settings.json.',
      ),
    ),
  );
}
