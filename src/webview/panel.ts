/**
 * The settings panel, webview side: plain DOM, no framework, no remote resources. Bundled by esbuild into
 * dist/webview/panel.js (an IIFE for the browser); the host (src/vscode/panel/settingsPanel.ts) loads it under a
 * nonce-only CSP.
 *
 * It renders the state the extension host sends; every change goes back as a message that the host validates with
 * the settings' zod schema. The messages both ways, the kinds, their labels and the fields' bounds come from
 * core/panelProtocol.ts and core/config.ts (types only here: the schema itself stays on the host). User data is
 * only ever set through textContent/value, never innerHTML.
 */
import type {
  FieldErrors,
  HostMessage,
  PanelProfile,
  PanelState,
  ProfileDraft,
  ProfileField,
  TestReport,
  WebviewMessageInput,
} from '../core/panelProtocol';

interface VsCodeApi {
  postMessage(message: WebviewMessageInput): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives the panel being hidden and shown again: the open form. */
interface SavedState {
  editor: { index: number | null; draft: ProfileDraft } | null;
}

/**
 * The open form; null when closed. `index` null = a new profile. Errors show for a field once the user has left it
 * (blur) or tried to save or test: never "is required" under a field nobody has typed in yet. Once shown, a
 * field's error follows its value as the user types.
 */
interface Editor {
  index: number | null;
  draft: ProfileDraft;
  errors: FieldErrors;
  warning?: string;
  apiKey: string;
  test?: TestReport;
  testing?: boolean;
  focus?: string;
  advancedOpen?: boolean;
  touched: Set<string>;
  submitted?: boolean;
  scrollToTest?: boolean;
}

const vscode = acquireVsCodeApi();

let state: PanelState | null = null;
let editor: Editor | null = null;
let seq = 0;
let validateTimer: ReturnType<typeof setTimeout> | undefined;
let lastTestSeq = -1;
let notice: { level: 'info' | 'error'; text: string } | null = null;
/** Models seen in the last successful test, for the model field's suggestions. */
let knownModels: string[] = [];

// One default FIM template for every new profile: auto (the settings' default). It uses the server's own FIM when
// the server reports one, else the template of the model family it finds, and native when nothing matches, so it
// is right wherever a fixed choice is, and keeps working when the model changes.
const DEFAULT_FIM = 'auto';
const PRESETS: { label: string; draft: ProfileDraft }[] = [
  {
    label: 'llama.cpp server on this machine',
    draft: {
      name: 'llama.cpp',
      kind: 'openai',
      baseUrl: 'http://127.0.0.1:8012/v1',
      model: 'default',
      fimTemplate: DEFAULT_FIM,
    },
  },
  {
    label: 'Ollama on this machine',
    draft: {
      name: 'ollama',
      kind: 'ollama',
      baseUrl: 'http://127.0.0.1:11434',
      model: 'qwen2.5-coder:1.5b-base',
      fimTemplate: DEFAULT_FIM,
    },
  },
  {
    label: 'Mistral Codestral (API key)',
    draft: {
      name: 'codestral',
      kind: 'codestral',
      baseUrl: 'https://codestral.mistral.ai/v1',
      model: 'codestral-latest',
      fimTemplate: DEFAULT_FIM,
    },
  },
  { label: 'Embedded model from a GGUF file', draft: { name: 'embedded', kind: 'embedded', fimTemplate: DEFAULT_FIM } },
];
// Edit-prediction models for next edits: Zed's open Zeta 2 weights served by llama.cpp or Ollama.
const EDIT_PRESETS: { label: string; draft: ProfileDraft }[] = [
  {
    label: 'Zeta 2 on llama.cpp',
    draft: {
      name: 'zeta',
      kind: 'llamacpp',
      baseUrl: 'http://127.0.0.1:8080',
      editFormat: 'zeta',
      fimTemplate: 'auto',
      temperature: '0',
    },
  },
  {
    label: 'Zeta 2 on Ollama',
    draft: {
      name: 'zeta',
      kind: 'ollama',
      baseUrl: 'http://127.0.0.1:11434',
      model: 'zeta',
      editFormat: 'zeta',
      fimTemplate: 'auto',
      temperature: '0',
    },
  },
];

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, unknown>;

/** Tiny element builder: h('div', {class: 'x', onclick}, child, 'text'). */
function h<K extends keyof HTMLElementTagNameMap>(
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
function valueOf(ev: Event): string {
  return (ev.target as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement).value;
}

function persist(): void {
  vscode.setState({ editor: editor ? { index: editor.index, draft: editor.draft } : null });
}

function openEditor(index: number | null, draft: ProfileDraft, focus = 'name'): void {
  notice = null;
  editor = { index, draft: { ...draft }, errors: {}, apiKey: '', focus, touched: new Set() };
  knownModels = [];
  persist();
  render();
  requestValidation();
}

function closeEditor(): void {
  const back = editor && editor.index !== null ? `edit-${editor.index}` : 'add';
  editor = null;
  persist();
  render();
  document.getElementById(back)?.focus();
}

function requestValidation(): void {
  if (!editor) return;
  clearTimeout(validateTimer);
  validateTimer = setTimeout(() => {
    if (editor) vscode.postMessage({ type: 'validate', seq: ++seq, index: editor.index, draft: editor.draft });
  }, 120);
}

function current(index: number): PanelProfile | undefined {
  return state?.profiles.find((p) => p.index === index);
}

// ─── rendering ──────────────────────────────────────────────────────────────────────────────────────

let rendering = false;

function render(): void {
  rendering = true;
  try {
    renderNow();
  } finally {
    rendering = false;
  }
}

function renderNow(): void {
  const app = document.getElementById('app')!;
  const active = document.activeElement;
  const activeId = active?.id;
  const selStart = active && 'selectionStart' in active ? (active as HTMLInputElement).selectionStart : null;
  app.replaceChildren();
  app.setAttribute('aria-busy', state ? 'false' : 'true');
  if (!state) return;

  app.append(
    h(
      'header',
      { class: 'top' },
      h('h1', {}, 'Tessera: model backends'),
      h(
        'p',
        { class: 'muted' },
        `Profiles live in tessera.backends (${state.target === 'user' ? 'user' : 'workspace'} settings), so this panel, the Settings UI and settings.json show the same thing. API keys go to the OS keychain, never to settings.json. `,
        h(
          'button',
          { class: 'link', type: 'button', onclick: () => vscode.postMessage({ type: 'openSettingsJson' }) },
          'Open settings.json',
        ),
        ' · ',
        h(
          'button',
          { class: 'link', type: 'button', onclick: () => vscode.postMessage({ type: 'showLog' }) },
          'Show log',
        ),
      ),
    ),
  );
  if (state.trustNote)
    app.append(
      h(
        'div',
        { class: 'banner warn', role: 'note', id: 'trust-note' },
        h('strong', {}, 'Restricted mode. '),
        state.trustNote,
      ),
    );
  for (const p of state.problems) app.append(h('div', { class: 'banner error', role: 'alert' }, p));
  if (notice)
    app.append(
      h(
        'div',
        {
          class: `banner ${notice.level === 'info' ? 'ok' : 'error'}`,
          role: notice.level === 'info' ? 'status' : 'alert',
          id: 'notice',
        },
        notice.text,
      ),
    );

  app.append(renderList(state));
  if (editor) app.append(renderEditor(state, editor));
  app.append(renderNextEdits(state));

  // The connection test's result may be below the fold: bring it into view once it arrives.
  if (editor?.scrollToTest && !editor.testing && editor.test) {
    editor.scrollToTest = false;
    document.getElementById('test-result')?.scrollIntoView({ block: 'nearest' });
  }

  // Keep focus and caret across re-renders.
  const want = editor?.focus ? `f-${editor.focus}` : activeId;
  if (editor) editor.focus = undefined;
  if (want) {
    const el = document.getElementById(want);
    if (el) {
      // Re-rendering must not scroll: the user may be about to click something else on the page.
      el.focus({ preventScroll: true });
      if (selStart !== null && 'setSelectionRange' in el && want === activeId) {
        try {
          (el as HTMLInputElement).setSelectionRange(selStart, selStart);
        } catch {
          /* not a text input */
        }
      }
    }
  }
}

function renderList(state: PanelState): HTMLElement {
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
                { type: 'button', id: 'use-builtin', onclick: () => vscode.postMessage({ type: 'useBuiltinModel' }) },
                'Use the built-in model',
              ),
            ),
        editor ? null : h('p', {}, 'Or connect a model server, or add your own profile:'),
        editor
          ? null
          : h(
              'div',
              { class: 'presets', role: 'group', 'aria-label': 'Presets' },
              PRESETS.map((p, i) =>
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary',
                    id: `preset-${i}`,
                    onclick: () => openEditor(null, p.draft, 'name'),
                  },
                  p.label,
                ),
              ),
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
            onchange: () => vscode.postMessage({ type: 'setActive', name: p.name }),
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
                onclick: () => openEditor(p.index, p.draft),
              },
              'Edit',
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                'aria-label': `Duplicate ${p.name}`,
                onclick: () => vscode.postMessage({ type: 'duplicate', index: p.index }),
              },
              'Duplicate',
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'secondary danger',
                'aria-label': `Remove ${p.name}`,
                onclick: () => vscode.postMessage({ type: 'remove', index: p.index }),
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
          { type: 'button', id: 'add', onclick: () => openEditor(null, { kind: 'openai', fimTemplate: DEFAULT_FIM }) },
          'Add profile',
        ),
      ),
    );
  return section;
}

/** The edit model for next edits (tessera.nextEdit.backend) and presets to add one. */
function renderNextEdits(state: PanelState): HTMLElement {
  const models = state.profiles.filter((p) => p.draft.editFormat && Object.keys(p.errors).length === 0);
  const known = models.some((p) => p.name === state.nextEdit);
  const sel = h(
    'select',
    { id: 'next-edit', onchange: (e: Event) => vscode.postMessage({ type: 'setNextEdit', name: valueOf(e) }) },
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
    editor
      ? null
      : h(
          'div',
          { class: 'presets', role: 'group', 'aria-label': 'Edit model presets' },
          EDIT_PRESETS.map((p, i) =>
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                id: `edit-preset-${i}`,
                onclick: () => openEditor(null, p.draft, 'name'),
              },
              `Add ${p.label}`,
            ),
          ),
        ),
  );
}

/** The error to show for a field: only once the user has left it, or tried to save or test. */
function shownError(name: ProfileField | 'form'): string | undefined {
  if (!editor) return undefined;
  return editor.submitted || editor.touched.has(name) ? editor.errors[name] : undefined;
}

function field(state: PanelState, name: ProfileField, control: HTMLElement): HTMLElement {
  const f = state.fields[name];
  const err = shownError(name);
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

/** Fields a connection test's result depends on: once one changes, the result shown is about another server. */
const TESTED_FIELDS = new Set<ProfileField>(['kind', 'baseUrl', 'model']);

/** Drops a connection test's result that no longer describes the form. */
function forgetTestResult(): void {
  if (!editor?.test) return;
  editor.test = undefined;
  document.getElementById('test-result')?.replaceChildren();
}

function onInput(name: ProfileField) {
  return (ev: Event) => {
    if (!editor) return;
    editor.draft[name] = valueOf(ev);
    if (TESTED_FIELDS.has(name)) forgetTestResult();
    persist();
    if (name === 'kind') {
      editor.focus = 'kind';
      render();
    }
    requestValidation();
  };
}

/** Leaving a field shows its error (if any). Not a re-render replacing the focused input (Chromium sends blur then). */
function onBlur(name: ProfileField) {
  return (ev: Event) => {
    if (!editor || editor.touched.has(name) || rendering || !(ev.target as Node).isConnected) return;
    editor.touched.add(name);
    if (editor.errors[name]) render();
  };
}

function textInput(state: PanelState, ed: Editor, name: ProfileField, type = 'text'): HTMLInputElement {
  const f = state.fields[name];
  return h('input', {
    type,
    value: ed.draft[name] ?? '',
    placeholder: f.placeholder,
    inputmode: f.inputmode,
    spellcheck: 'false',
    autocomplete: 'off',
    oninput: onInput(name),
    onblur: onBlur(name),
  });
}

function select(ed: Editor, name: ProfileField, options: [string, string][]): HTMLSelectElement {
  const el = h(
    'select',
    { onchange: onInput(name), onblur: onBlur(name) },
    options.map(([v, label]) => h('option', { value: v }, label)),
  );
  el.value = ed.draft[name] ?? '';
  return el;
}

function renderEditor(state: PanelState, ed: Editor): HTMLElement {
  const stored = ed.index !== null ? current(ed.index) : undefined;
  const title = ed.index === null ? 'New profile' : `Edit “${stored?.name ?? ''}”`;
  const kind = ed.draft.kind ?? 'openai';
  const embedded = kind === 'embedded';
  const text = (name: ProfileField, type?: string) => field(state, name, textInput(state, ed, name, type));

  const modelInput = textInput(state, ed, 'model');
  modelInput.setAttribute('list', 'model-options');
  const datalist = h(
    'datalist',
    { id: 'model-options' },
    knownModels.map((m) => h('option', { value: m })),
  );

  // A new profile can start from a preset, whether or not other profiles exist.
  const presets =
    ed.index === null
      ? h(
          'div',
          { class: 'presets', role: 'group', 'aria-label': 'Start from a preset' },
          h('span', { class: 'muted' }, 'Start from: '),
          PRESETS.map((p, i) =>
            h(
              'button',
              { type: 'button', class: 'secondary', id: `editor-preset-${i}`, onclick: () => usePreset(p.draft) },
              p.label,
            ),
          ),
        )
      : null;
  const form = h(
    'form',
    {
      novalidate: true,
      'aria-labelledby': 'editor-h',
      onsubmit: (e: Event) => {
        e.preventDefault();
        save(false);
      },
    },
    presets,
    h(
      'div',
      { class: 'grid' },
      text('name'),
      field(
        state,
        'kind',
        select(
          ed,
          'kind',
          state.kinds.map((k) => [k, state.kindLabels[k] ?? k]),
        ),
      ),
      embedded ? null : text('baseUrl', 'url'),
      field(state, 'model', modelInput),
      datalist,
      field(
        state,
        'fimTemplate',
        select(
          ed,
          'fimTemplate',
          state.templates.map((t) => [t, t]),
        ),
      ),
      field(
        state,
        'editFormat',
        select(ed, 'editFormat', [
          ['', 'none: a ghost-text (FIM) model'],
          ...state.editFormats.map((f): [string, string] => [f, f]),
        ]),
      ),
    ),
    embedded ? null : renderApiKey(ed, stored),
    h(
      'div',
      { class: 'actions test-actions' },
      h(
        'button',
        { type: 'button', class: 'secondary', id: 'test', disabled: ed.testing || undefined, onclick: test },
        ed.testing ? 'Testing…' : 'Test connection',
      ),
      h('span', { class: 'muted' }, 'Probes the form as it is, unsaved edits included.'),
    ),
    renderTest(ed),
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
          (['maxTokens', 'temperature', 'timeoutMs', 'concurrency', 'stop'] as const).some((f) => shownError(f)) ||
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
          state,
          'stop',
          h('textarea', {
            rows: 2,
            spellcheck: 'false',
            oninput: onInput('stop'),
            onblur: onBlur('stop'),
            value: ed.draft.stop ?? '',
          }),
        ),
      ),
    ),
    shownError('form') ? h('div', { class: 'error-text', role: 'alert' }, ed.errors.form) : null,
    ed.warning ? h('div', { class: 'banner warn', role: 'note' }, ed.warning) : null,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', id: 'save' }, 'Save'),
      h('button', { type: 'button', id: 'save-use', onclick: () => save(true) }, 'Save and use'),
      h('button', { type: 'button', class: 'secondary', id: 'cancel', onclick: closeEditor }, 'Cancel'),
    ),
  );
  return h(
    'section',
    { class: 'editor', 'aria-labelledby': 'editor-h', id: 'editor' },
    h('h2', { id: 'editor-h' }, title),
    form,
  );
}

function renderApiKey(ed: Editor, stored: PanelProfile | undefined): HTMLElement {
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
      forgetTestResult();
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
                onclick: () => vscode.postMessage({ type: 'clearApiKey', name: stored.name }),
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

function renderTest(ed: Editor): HTMLElement {
  const region = h('section', {
    class: 'test',
    id: 'test-result',
    role: 'status',
    'aria-live': 'polite',
    'aria-label': 'Connection test',
  });
  if (ed.testing) {
    region.append(h('p', { class: 'muted' }, 'Testing the connection…'));
    return region;
  }
  const r = ed.test;
  if (!r) return region;
  if (!r.reachable) {
    region.classList.add('fail');
    region.append(
      h('h3', {}, '✗ Not reachable'),
      h('p', { class: 'error-text' }, `${r.error?.kind ?? 'error'}: ${r.error?.message ?? 'no answer'}`),
      h('p', { class: 'muted' }, `after ${r.latencyMs} ms`),
    );
    return region;
  }
  region.classList.add('ok');
  const dl = h(
    'dl',
    {},
    h('dt', {}, 'Latency'),
    h('dd', { id: 'test-latency' }, `${r.latencyMs} ms`),
    h('dt', {}, 'Models'),
    h('dd', { id: 'test-models' }, r.models.length ? `${r.models.length} available` : 'the server lists none'),
    h('dt', {}, 'Fill-in-the-middle'),
    h(
      'dd',
      {},
      r.fimSupported === true
        ? 'supported'
        : r.fimSupported === false
          ? 'not supported by this model/server'
          : 'unknown (the server does not say)',
    ),
  );
  if (r.model) {
    dl.append(
      h('dt', {}, 'Configured model'),
      h(
        'dd',
        {},
        r.modelListed === false
          ? `“${r.model}” is not in the server's list`
          : r.modelListed
            ? `“${r.model}” is available`
            : `“${r.model}”`,
      ),
    );
  }
  region.append(h('h3', {}, '✓ Reachable'), dl);
  if (r.models.length) {
    const pick = h(
      'div',
      { class: 'models', role: 'group', 'aria-label': 'Pick a model' },
      h('span', { class: 'muted' }, 'Pick a model: '),
      r.models.slice(0, 50).map((m) =>
        h(
          'button',
          {
            type: 'button',
            class: `chip${m === ed.draft.model ? ' selected' : ''}`,
            'aria-pressed': m === ed.draft.model ? 'true' : 'false',
            onclick: () => {
              ed.draft.model = m;
              delete ed.errors.model;
              ed.focus = 'model';
              persist();
              render();
              requestValidation();
            },
          },
          m,
        ),
      ),
      r.models.length > 50
        ? h('span', { class: 'muted' }, ` … and ${r.models.length - 50} more (type in the Model field)`)
        : null,
    );
    region.append(pick);
  }
  return region;
}

/** Fills the new profile's form from a preset (a name the user typed is kept). */
function usePreset(draft: ProfileDraft): void {
  if (!editor) return;
  const name = editor.draft.name?.trim() ? editor.draft.name : draft.name;
  editor.draft = { ...draft, name };
  editor.focus = 'name';
  editor.test = undefined;
  knownModels = [];
  persist();
  render();
  requestValidation();
}

/** Whether the last save asked to make the profile active (for the confirmation). */
let savingActive = false;

function save(makeActive: boolean): void {
  if (!editor) return;
  editor.submitted = true;
  savingActive = makeActive;
  render();
  vscode.postMessage({
    type: 'save',
    index: editor.index,
    draft: editor.draft,
    apiKey: editor.apiKey || undefined,
    makeActive,
  });
}

function test(): void {
  if (!editor) return;
  lastTestSeq = ++seq;
  editor.testing = true;
  editor.test = undefined;
  editor.scrollToTest = true;
  render();
  vscode.postMessage({
    type: 'test',
    seq: lastTestSeq,
    index: editor.index,
    draft: editor.draft,
    apiKey: editor.apiKey || undefined,
  });
}

// ─── messages from the host ─────────────────────────────────────────────────────────────────────────

function onHostMessage(m: HostMessage): void {
  switch (m.type) {
    case 'state':
      state = m.state;
      if (editor && editor.index !== null && !current(editor.index)) editor = null;
      render();
      break;
    case 'validation':
      if (editor && m.seq === seq) {
        editor.errors = m.errors;
        editor.warning = m.warning;
        render();
      }
      break;
    case 'saved':
      notice = { level: 'info', text: savingActive ? `Saved “${m.name}”: Tessera now uses it.` : `Saved “${m.name}”.` };
      savingActive = false;
      editor = null;
      persist();
      render();
      setTimeout(() => document.getElementById(`edit-${m.index}`)?.focus(), 0);
      break;
    case 'saveFailed':
      if (editor) {
        editor.errors = m.errors;
        editor.submitted = true;
        const first = Object.keys(m.errors)[0];
        editor.focus = first && first !== 'form' ? first : undefined;
        render();
      }
      break;
    case 'testStarted':
      break;
    case 'testResult':
      if (editor && m.seq === lastTestSeq) {
        editor.testing = false;
        if (m.errors) {
          editor.errors = m.errors;
          editor.submitted = true;
          editor.test = undefined;
        } else {
          editor.test = m.report;
          if (m.report?.models?.length) knownModels = m.report.models;
        }
        render();
      }
      break;
    case 'notice':
      notice = { level: m.level === 'info' ? 'info' : 'error', text: m.text };
      render();
      break;
  }
}

window.addEventListener('message', (ev: MessageEvent<HostMessage | undefined>) => {
  if (ev.data && typeof ev.data === 'object' && 'type' in ev.data) onHostMessage(ev.data);
});

const saved = vscode.getState();
if (saved?.editor)
  editor = { index: saved.editor.index, draft: saved.editor.draft, errors: {}, apiKey: '', touched: new Set() };
vscode.postMessage({ type: 'ready' });
