// Tessera settings panel (webview side). Plain DOM, no framework, no remote resources.
// Renders the state the extension host sends; every change goes back as a message that the host validates
// with the settings' zod schema. User data is only ever set through textContent/value, never innerHTML.
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();

  /** @type {any} */
  let state = null;
  /** Editor: null when closed; index null = a new profile. */
  // Errors show for a field once the user has left it (blur) or tried to save or test: never "is required" under a
  // field nobody has typed in yet. Once shown, a field's error follows its value as the user types.
  /** @type {{index: number|null, draft: Record<string,string>, errors: Record<string,string>, warning?: string, apiKey: string, test?: any, testing?: boolean, focus?: string, advancedOpen?: boolean, touched: Set<string>, submitted?: boolean, scrollToTest?: boolean} | null} */
  let editor = null;
  let seq = 0;
  let validateTimer = 0;
  let lastTestSeq = -1;
  /** @type {{level: 'info'|'error', text: string}|null} */
  let notice = null;
  /** Models seen in the last successful test, for the model field's suggestions. */
  /** @type {string[]} */
  let knownModels = [];

  const KIND_LABELS = {
    openai: 'OpenAI-compatible',
    ollama: 'Ollama',
    llamacpp: 'llama.cpp /infill',
    codestral: 'Mistral Codestral',
    deepseek: 'DeepSeek',
    embedded: 'Embedded model',
  };
  // One default FIM template for every new profile: auto (the settings' default). It uses the server's own FIM when
  // the server reports one, else the template of the model family it finds, and native when nothing matches, so it
  // is right wherever a fixed choice is, and keeps working when the model changes.
  const DEFAULT_FIM = 'auto';
  const PRESETS = [
    { label: 'llama.cpp server on this machine', draft: { name: 'llama.cpp', kind: 'openai', baseUrl: 'http://127.0.0.1:8012/v1', model: 'default', fimTemplate: DEFAULT_FIM } },
    { label: 'Ollama on this machine', draft: { name: 'ollama', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434', model: 'qwen2.5-coder:1.5b-base', fimTemplate: DEFAULT_FIM } },
    { label: 'Mistral Codestral (API key)', draft: { name: 'codestral', kind: 'codestral', baseUrl: 'https://codestral.mistral.ai/v1', model: 'codestral-latest', fimTemplate: DEFAULT_FIM } },
    { label: 'Embedded model from a GGUF file', draft: { name: 'embedded', kind: 'embedded', fimTemplate: DEFAULT_FIM } },
  ];
  // Edit-prediction models for next edits: Zed's open Zeta 2 weights served by llama.cpp or Ollama.
  const EDIT_PRESETS = [
    { label: 'Zeta 2 on llama.cpp', draft: { name: 'zeta', kind: 'llamacpp', baseUrl: 'http://127.0.0.1:8080', editFormat: 'zeta', fimTemplate: 'auto', temperature: '0' } },
    { label: 'Zeta 2 on Ollama', draft: { name: 'zeta', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434', model: 'zeta', editFormat: 'zeta', fimTemplate: 'auto', temperature: '0' } },
  ];
  const FIELDS = {
    name: { label: 'Name', hint: 'Unique; tessera.activeBackend refers to it.' },
    kind: { label: 'Kind', hint: 'Wire protocol. OpenAI-compatible: llama.cpp server, vLLM, LM Studio…; Embedded runs inside VS Code.' },
    baseUrl: { label: 'Base URL', hint: 'As the service documents it, e.g. http://127.0.0.1:8080/v1', placeholder: 'http://127.0.0.1:8080/v1' },
    model: { label: 'Model', hint: 'Model id sent to the server. Test connection lists the available ones.' },
    fimTemplate: { label: 'FIM template', hint: 'auto (default): the server’s own fill-in-the-middle when it reports one, else the template of the model family, else native — right unless you know better. native: the server’s suffix field. A family: that model’s FIM tokens.' },
    maxTokens: { label: 'Max tokens', hint: '1–4096, default 128', placeholder: '128', inputmode: 'numeric' },
    temperature: { label: 'Temperature', hint: '0–2, default 0.2', placeholder: '0.2', inputmode: 'decimal' },
    timeoutMs: { label: 'Timeout (ms)', hint: '100–300000, default 10000', placeholder: '10000', inputmode: 'numeric' },
    concurrency: { label: 'Concurrency', hint: 'Requests in flight, 1–8 (default 1 local, 2 remote)', inputmode: 'numeric' },
    stop: { label: 'Extra stop sequences', hint: 'One per line; write a newline as \\n.' },
    modelPath: { label: 'Model file (GGUF)', hint: 'Path to a local .gguf file; empty: the bundled default.' },
    threads: { label: 'Threads', hint: 'Default: cores − 1', inputmode: 'numeric' },
    contextSize: { label: 'Context size (tokens)', hint: '256–131072', inputmode: 'numeric' },
    editFormat: { label: 'Edit format', hint: 'Only for an edit-prediction model (next edits), e.g. Zeta 2: the prompt layout it was trained on.' },
  };

  /** Tiny element builder: h('div', {class: 'x', onclick}, child, 'text'). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs ?? {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = String(v);
      else if (k === 'value') /** @type {any} */ (el).value = v;
      else if (k === 'checked') /** @type {any} */ (el).checked = !!v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      el.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return el;
  }

  function persist() {
    vscode.setState({ editor: editor ? { index: editor.index, draft: editor.draft } : null });
  }

  function openEditor(index, draft, focus = 'name') {
    notice = null;
    editor = { index, draft: { ...draft }, errors: {}, apiKey: '', focus, touched: new Set() };
    knownModels = [];
    persist();
    render();
    requestValidation();
  }

  function closeEditor() {
    const back = editor && editor.index !== null ? `edit-${editor.index}` : 'add';
    editor = null;
    persist();
    render();
    const el = document.getElementById(back);
    if (el) el.focus();
  }

  function requestValidation() {
    if (!editor) return;
    clearTimeout(validateTimer);
    validateTimer = /** @type {any} */ (setTimeout(() => {
      if (editor) vscode.postMessage({ type: 'validate', seq: ++seq, index: editor.index, draft: editor.draft });
    }, 120));
  }

  function current(index) {
    return state?.profiles.find((p) => p.index === index);
  }

  // ─── rendering ──────────────────────────────────────────────────────────────────────────────────────

  let rendering = false;

  function render() {
    rendering = true;
    try {
      renderNow();
    } finally {
      rendering = false;
    }
  }

  function renderNow() {
    const app = /** @type {HTMLElement} */ (document.getElementById('app'));
    const active = document.activeElement;
    const activeId = active && active.id;
    const selStart = active && 'selectionStart' in active ? /** @type {any} */ (active).selectionStart : null;
    app.replaceChildren();
    app.setAttribute('aria-busy', state ? 'false' : 'true');
    if (!state) return;

    app.append(
      h('header', { class: 'top' },
        h('h1', {}, 'Tessera: model backends'),
        h('p', { class: 'muted' },
          `Profiles live in tessera.backends (${state.target === 'user' ? 'user' : 'workspace'} settings), so this panel, the Settings UI and settings.json show the same thing. API keys go to the OS keychain, never to settings.json. `,
          h('button', { class: 'link', type: 'button', onclick: () => vscode.postMessage({ type: 'openSettingsJson' }) }, 'Open settings.json'),
          ' · ',
          h('button', { class: 'link', type: 'button', onclick: () => vscode.postMessage({ type: 'showLog' }) }, 'Show log'),
        ),
      ),
    );
    if (state.trustNote) app.append(h('div', { class: 'banner warn', role: 'note', id: 'trust-note' }, h('strong', {}, 'Restricted mode. '), state.trustNote));
    for (const p of state.problems) app.append(h('div', { class: 'banner error', role: 'alert' }, p));
    if (notice) app.append(h('div', { class: `banner ${notice.level === 'info' ? 'ok' : 'error'}`, role: notice.level === 'info' ? 'status' : 'alert', id: 'notice' }, notice.text));

    app.append(renderList());
    if (editor) app.append(renderEditor());
    app.append(renderNextEdits());

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
          try { /** @type {any} */ (el).setSelectionRange(selStart, selStart); } catch { /* not a text input */ }
        }
      }
    }
  }

  function renderList() {
    const section = h('section', { 'aria-labelledby': 'profiles-h', class: 'profiles' }, h('h2', { id: 'profiles-h' }, 'Profiles'));
    if (state.profiles.length === 0) {
      section.append(
        h('div', { class: 'empty', id: 'empty-state' },
          h('p', {}, h('strong', {}, 'No backend yet.'), ' Tessera needs a model to complete code.'),
          editor ? null : h('div', { class: 'builtin', role: 'group', 'aria-labelledby': 'builtin-h' },
            h('h3', { id: 'builtin-h' }, 'Zero setup: the built-in model'),
            h('p', {}, 'A small code model (Qwen2.5-Coder 0.5B, about 530 MB, downloaded once and checked) runs inside VS Code: no server, no account, your code stays on this machine. It is what Tessera uses while no profile exists.'),
            h('button', { type: 'button', id: 'use-builtin', onclick: () => vscode.postMessage({ type: 'useBuiltinModel' }) }, 'Use the built-in model'),
          ),
          editor ? null : h('p', {}, 'Or connect a model server, or add your own profile:'),
          editor ? null : h('div', { class: 'presets', role: 'group', 'aria-label': 'Presets' },
            PRESETS.map((p, i) => h('button', { type: 'button', class: 'secondary', id: `preset-${i}`, onclick: () => openEditor(null, p.draft, 'name') }, p.label)),
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
        const badges = [];
        if (isActive) badges.push(h('span', { class: 'badge active' }, 'active'));
        if (editModel && p.name === state.nextEdit) badges.push(h('span', { class: 'badge active' }, 'next edits'));
        if (p.hasApiKey) badges.push(h('span', { class: 'badge' }, 'API key stored'));
        if (invalid) badges.push(h('span', { class: 'badge error' }, 'invalid'));
        if (p.blockedReason) badges.push(h('span', { class: 'badge warn' }, 'not used here'));
        const problems = invalid ? Object.entries(p.errors).map(([f, msg]) => `${f}: ${msg}`).join('; ') : '';
        list.append(
          h('li', { class: `row${isActive ? ' is-active' : ''}`, 'data-name': p.name },
            h('input', {
              type: 'radio', name: 'active', id: `use-${p.index}`, checked: isActive, disabled: invalid || editModel,
              'aria-label': `Use ${p.name}`,
              onchange: () => vscode.postMessage({ type: 'setActive', name: p.name }),
            }),
            h('div', { class: 'row-main' },
              h('label', { for: `use-${p.index}`, class: 'row-name' }, p.name, ' ', badges),
              h('div', { class: 'muted summary' }, p.summary),
              problems ? h('div', { class: 'error-text' }, problems) : null,
              p.blockedReason ? h('div', { class: 'warn-text' }, p.blockedReason) : null,
            ),
            h('div', { class: 'row-actions' },
              h('button', { type: 'button', class: 'secondary', id: `edit-${p.index}`, 'aria-label': `Edit ${p.name}`, onclick: () => openEditor(p.index, p.draft) }, 'Edit'),
              h('button', { type: 'button', class: 'secondary', 'aria-label': `Duplicate ${p.name}`, onclick: () => vscode.postMessage({ type: 'duplicate', index: p.index }) }, 'Duplicate'),
              h('button', { type: 'button', class: 'secondary danger', 'aria-label': `Remove ${p.name}`, onclick: () => vscode.postMessage({ type: 'remove', index: p.index }) }, 'Remove'),
            ),
          ),
        );
      }
      section.append(list);
    }
    if (!editor) section.append(h('div', { class: 'actions' }, h('button', { type: 'button', id: 'add', onclick: () => openEditor(null, { kind: 'openai', fimTemplate: DEFAULT_FIM }) }, 'Add profile')));
    return section;
  }

  /** The edit model for next edits (tessera.nextEdit.backend) and presets to add one. */
  function renderNextEdits() {
    const models = state.profiles.filter((p) => p.draft.editFormat && Object.keys(p.errors).length === 0);
    const known = models.some((p) => p.name === state.nextEdit);
    const sel = h('select', { id: 'next-edit', onchange: (e) => vscode.postMessage({ type: 'setNextEdit', name: e.target.value }) },
      h('option', { value: '' }, 'Off'),
      models.map((p) => h('option', { value: p.name }, p.name)),
      state.nextEdit && !known ? h('option', { value: state.nextEdit }, `${state.nextEdit} (not a valid edit model)`) : null,
    );
    /** @type {HTMLSelectElement} */ (sel).value = state.nextEdit;
    return h('section', { class: 'next-edits', 'aria-labelledby': 'next-edits-h' },
      h('h2', { id: 'next-edits-h' }, 'Next edits'),
      h('p', { class: 'muted' },
        'An edit-prediction model proposes the rest of a change near the cursor (the other uses of a renamed name, a parameter added at each call) and Tessera shows it where it applies: Tab goes there, Tab again applies it, Esc dismisses. It receives your recent edits and the code around the cursor; excluded and secret files are never sent.'),
      h('div', { class: 'field' },
        h('label', { for: 'next-edit' }, 'Edit model'),
        sel,
        h('div', { class: 'hint muted' }, models.length ? 'Profiles with an edit format.' : 'No edit model yet: add one (a profile with an edit format).'),
      ),
      editor ? null : h('div', { class: 'presets', role: 'group', 'aria-label': 'Edit model presets' },
        EDIT_PRESETS.map((p, i) => h('button', { type: 'button', class: 'secondary', id: `edit-preset-${i}`, onclick: () => openEditor(null, p.draft, 'name') }, `Add ${p.label}`)),
      ),
    );
  }

  /** The error to show for a field: only once the user has left it, or tried to save or test. */
  function shownError(name) {
    if (!editor) return undefined;
    return editor.submitted || editor.touched.has(name) ? editor.errors[name] : undefined;
  }

  function field(name, control) {
    const f = FIELDS[name];
    const err = shownError(name);
    const hintId = `h-${name}`;
    const errId = `e-${name}`;
    control.id = `f-${name}`;
    control.setAttribute('aria-describedby', err ? `${errId} ${hintId}` : hintId);
    if (err) control.setAttribute('aria-invalid', 'true');
    return h('div', { class: `field${err ? ' has-error' : ''}`, 'data-field': name },
      h('label', { for: `f-${name}` }, f.label),
      control,
      err ? h('div', { class: 'error-text', id: errId, role: 'alert' }, err) : null,
      h('div', { class: 'hint muted', id: hintId }, f.hint),
    );
  }

  /** Fields a connection test's result depends on: once one changes, the result shown is about another server. */
  const TESTED_FIELDS = new Set(['kind', 'baseUrl', 'model']);

  /** Drops a connection test's result that no longer describes the form. */
  function forgetTestResult() {
    if (!editor?.test) return;
    editor.test = undefined;
    document.getElementById('test-result')?.replaceChildren();
  }

  function onInput(name) {
    return (ev) => {
      if (!editor) return;
      editor.draft[name] = ev.target.value;
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
  function onBlur(name) {
    return (ev) => {
      if (!editor || editor.touched.has(name) || rendering || !ev.target.isConnected) return;
      editor.touched.add(name);
      if (editor.errors[name]) render();
    };
  }

  function textInput(name, type = 'text') {
    const f = FIELDS[name];
    return h('input', { type, value: editor.draft[name] ?? '', placeholder: f.placeholder, inputmode: f.inputmode, spellcheck: 'false', autocomplete: 'off', oninput: onInput(name), onblur: onBlur(name) });
  }

  function select(name, options) {
    const value = editor.draft[name] ?? '';
    const el = h('select', { onchange: onInput(name), onblur: onBlur(name) }, options.map(([v, label]) => h('option', { value: v }, label)));
    /** @type {HTMLSelectElement} */ (el).value = value;
    return el;
  }

  function renderEditor() {
    const ed = /** @type {NonNullable<typeof editor>} */ (editor);
    const stored = ed.index !== null ? current(ed.index) : undefined;
    const title = ed.index === null ? 'New profile' : `Edit “${stored?.name ?? ''}”`;
    const kind = ed.draft.kind ?? 'openai';
    const embedded = kind === 'embedded';

    const modelInput = textInput('model');
    modelInput.setAttribute('list', 'model-options');
    const datalist = h('datalist', { id: 'model-options' }, knownModels.map((m) => h('option', { value: m })));

    // A new profile can start from a preset, whether or not other profiles exist.
    const presets = ed.index === null
      ? h('div', { class: 'presets', role: 'group', 'aria-label': 'Start from a preset' },
        h('span', { class: 'muted' }, 'Start from: '),
        PRESETS.map((p, i) => h('button', { type: 'button', class: 'secondary', id: `editor-preset-${i}`, onclick: () => usePreset(p.draft) }, p.label)))
      : null;
    const form = h('form', { novalidate: true, 'aria-labelledby': 'editor-h', onsubmit: (e) => { e.preventDefault(); save(false); } },
      presets,
      h('div', { class: 'grid' },
        field('name', textInput('name')),
        field('kind', select('kind', state.kinds.map((k) => [k, KIND_LABELS[k] ?? k]))),
        embedded ? null : field('baseUrl', textInput('baseUrl', 'url')),
        field('model', modelInput),
        datalist,
        field('fimTemplate', select('fimTemplate', state.templates.map((t) => [t, t]))),
        field('editFormat', select('editFormat', [['', 'none: a ghost-text (FIM) model'], ...state.editFormats.map((f) => [f, f])])),
      ),
      embedded ? null : renderApiKey(stored),
      h('div', { class: 'actions test-actions' },
        h('button', { type: 'button', class: 'secondary', id: 'test', disabled: ed.testing || undefined, onclick: test }, ed.testing ? 'Testing…' : 'Test connection'),
        h('span', { class: 'muted' }, 'Probes the form as it is, unsaved edits included.'),
      ),
      renderTest(),
      embedded
        ? h('fieldset', {}, h('legend', {}, 'Embedded model'), h('div', { class: 'grid' }, field('modelPath', textInput('modelPath')), field('threads', textInput('threads')), field('contextSize', textInput('contextSize'))))
        : null,
      h('details', {
        open: ed.advancedOpen || ['maxTokens', 'temperature', 'timeoutMs', 'concurrency', 'stop'].some((f) => shownError(f)) || undefined,
        ontoggle: (e) => { ed.advancedOpen = e.target.open; },
      },
        h('summary', {}, 'Limits and stop sequences'),
        h('div', { class: 'grid' },
          field('maxTokens', textInput('maxTokens')),
          field('temperature', textInput('temperature')),
          field('timeoutMs', textInput('timeoutMs')),
          field('concurrency', textInput('concurrency')),
          field('stop', h('textarea', { rows: 2, spellcheck: 'false', oninput: onInput('stop'), onblur: onBlur('stop'), value: ed.draft.stop ?? '' })),
        ),
      ),
      shownError('form') ? h('div', { class: 'error-text', role: 'alert' }, ed.errors.form) : null,
      ed.warning ? h('div', { class: 'banner warn', role: 'note' }, ed.warning) : null,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', id: 'save' }, 'Save'),
        h('button', { type: 'button', id: 'save-use', onclick: () => save(true) }, 'Save and use'),
        h('button', { type: 'button', class: 'secondary', id: 'cancel', onclick: closeEditor }, 'Cancel'),
      ),
    );
    return h('section', { class: 'editor', 'aria-labelledby': 'editor-h', id: 'editor' },
      h('h2', { id: 'editor-h' }, title),
      form,
    );
  }

  function renderApiKey(stored) {
    const ed = /** @type {NonNullable<typeof editor>} */ (editor);
    const has = !!stored?.hasApiKey;
    const input = h('input', {
      type: 'password', id: 'f-apiKey', value: ed.apiKey, autocomplete: 'off', spellcheck: 'false',
      placeholder: has ? '•••••••• (stored; type to replace)' : 'none (local servers need none)',
      'aria-describedby': 'h-apiKey',
      oninput: (e) => { ed.apiKey = e.target.value; forgetTestResult(); },
    });
    return h('div', { class: 'apikey' },
      h('div', { class: 'field' },
        h('label', { for: 'f-apiKey' }, 'API key'),
        h('div', { class: 'inline' }, input,
          has ? h('button', { type: 'button', class: 'secondary', id: 'clear-key', onclick: () => vscode.postMessage({ type: 'clearApiKey', name: stored.name }) }, 'Remove stored key') : null),
        h('div', { class: 'hint muted', id: 'h-apiKey' }, has ? 'A key is stored in the OS keychain (SecretStorage). It is never shown again nor written to settings.' : 'Stored in the OS keychain (SecretStorage) when you save; never written to settings.json.'),
      ),
    );
  }

  function renderTest() {
    const ed = /** @type {NonNullable<typeof editor>} */ (editor);
    const region = h('section', { class: 'test', id: 'test-result', role: 'status', 'aria-live': 'polite', 'aria-label': 'Connection test' });
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
    const dl = h('dl', {},
      h('dt', {}, 'Latency'), h('dd', { id: 'test-latency' }, `${r.latencyMs} ms`),
      h('dt', {}, 'Models'), h('dd', { id: 'test-models' }, r.models.length ? `${r.models.length} available` : 'the server lists none'),
      h('dt', {}, 'Fill-in-the-middle'), h('dd', {}, r.fimSupported === true ? 'supported' : r.fimSupported === false ? 'not supported by this model/server' : 'unknown (the server does not say)'),
    );
    if (r.model) {
      dl.append(h('dt', {}, 'Configured model'), h('dd', {}, r.modelListed === false ? `“${r.model}” is not in the server's list` : r.modelListed ? `“${r.model}” is available` : `“${r.model}”`));
    }
    region.append(h('h3', {}, '✓ Reachable'), dl);
    if (r.models.length) {
      const pick = h('div', { class: 'models', role: 'group', 'aria-label': 'Pick a model' },
        h('span', { class: 'muted' }, 'Pick a model: '),
        r.models.slice(0, 50).map((m) => h('button', {
          type: 'button', class: `chip${m === ed.draft.model ? ' selected' : ''}`, 'aria-pressed': m === ed.draft.model ? 'true' : 'false',
          onclick: () => { ed.draft.model = m; delete ed.errors.model; ed.focus = 'model'; persist(); render(); requestValidation(); },
        }, m)),
        r.models.length > 50 ? h('span', { class: 'muted' }, ` … and ${r.models.length - 50} more (type in the Model field)`) : null,
      );
      region.append(pick);
    }
    return region;
  }

  /** Fills the new profile's form from a preset (a name the user typed is kept). */
  function usePreset(draft) {
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

  function save(makeActive) {
    if (!editor) return;
    editor.submitted = true;
    savingActive = makeActive;
    render();
    vscode.postMessage({ type: 'save', index: editor.index, draft: editor.draft, apiKey: editor.apiKey || undefined, makeActive });
  }

  function test() {
    if (!editor) return;
    lastTestSeq = ++seq;
    editor.testing = true;
    editor.test = undefined;
    editor.scrollToTest = true;
    render();
    vscode.postMessage({ type: 'test', seq: lastTestSeq, index: editor.index, draft: editor.draft, apiKey: editor.apiKey || undefined });
  }

  // ─── messages from the host ─────────────────────────────────────────────────────────────────────────

  window.addEventListener('message', (ev) => {
    const m = ev.data;
    switch (m?.type) {
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
  });

  const saved = vscode.getState();
  if (saved?.editor) editor = { index: saved.editor.index, draft: saved.editor.draft, errors: {}, apiKey: '', touched: new Set() };
  vscode.postMessage({ type: 'ready' });
})();
