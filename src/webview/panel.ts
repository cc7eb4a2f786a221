/**
 * The settings panel, webview side: plain DOM, no framework, no remote resources. Bundled by esbuild into
 * dist/webview/panel.js (an IIFE for the browser); the host (src/vscode/panel/settingsPanel.ts) loads it under a
 * nonce-only CSP.
 *
 * It renders the state the extension host sends; every change goes back as a message that the host validates with
 * the settings' zod schema. The messages both ways, the kinds, their labels and the fields' bounds come from
 * core/panelProtocol.ts and core/config.ts (types only here: the schema itself stays on the host). User data is
 * only ever set through textContent/value, never innerHTML.
 *
 * This file holds the page's state, the form's life (open, validate, save, test), the messages from the host and
 * the page's frame; the parts of the page are drawn by profileList.ts, profileForm.ts (with connectionTest.ts) and
 * nextEdits.ts, through the PanelView this file hands them.
 */
import type { HostMessage, PanelState, ProfileDraft, WebviewMessageInput } from '../core/panelProtocol';
import { h } from './dom';
import { renderNextEdits } from './nextEdits';
import { profileAt, type Editor, type PanelView } from './panelView';
import { renderEditor } from './profileForm';
import { renderList } from './profileList';

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

const vscode = acquireVsCodeApi();

let state: PanelState | null = null;
let editor: Editor | null = null;
let seq = 0;
let validateTimer: ReturnType<typeof setTimeout> | undefined;
let lastTestSeq = -1;
let notice: { level: 'info' | 'error'; text: string } | null = null;
/** Models seen in the last successful test, for the model field's suggestions. */
let knownModels: string[] = [];
/** True while render() replaces the page. */
let rendering = false;

const view: PanelView = {
  get editor() {
    return editor;
  },
  get knownModels() {
    return knownModels;
  },
  get rendering() {
    return rendering;
  },
  post: (message) => vscode.postMessage(message),
  openEditor,
  closeEditor,
  usePreset,
  save,
  test,
  persist,
  render,
  requestValidation,
};

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

// ─── rendering ──────────────────────────────────────────────────────────────────────────────────────

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

  app.append(renderList(view, state));
  if (editor) app.append(renderEditor(view, state, editor));
  app.append(renderNextEdits(view, state));

  // The connection test's result may be below the fold: bring it into view once it arrives.
  if (editor?.scrollToTest && !editor.testing && editor.test) {
    editor.scrollToTest = false;
    document.getElementById('test-result')?.scrollIntoView({ block: 'nearest' });
  }

  // Keep focus and caret across re-renders, while the panel has the focus: a render for a message from the host
  // (the settings changed, a late answer) must not pull the focus out of the editor or the command palette.
  const want = editor?.focus ? `f-${editor.focus}` : activeId;
  if (editor) editor.focus = undefined;
  if (want && document.hasFocus()) {
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
  if (!editor || editor.saving) return;
  editor.submitted = true;
  editor.saving = true;
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
      if (editor && editor.index !== null && !profileAt(state, editor.index)) editor = null;
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
      setTimeout(() => document.hasFocus() && document.getElementById(`edit-${m.index}`)?.focus(), 0);
      break;
    case 'saveFailed':
      if (editor) {
        editor.saving = false;
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
