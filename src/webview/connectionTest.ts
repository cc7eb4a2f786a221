/**
 * The connection test's result, under the form: reachable or why not, latency, the models the server lists (a click
 * picks one) and whether it does fill-in-the-middle. A result is dropped once the form describes another server.
 */
import type { ProfileField } from '../core/panelProtocol';
import { h } from './dom';
import type { Editor, PanelView } from './panelView';

/** Fields a connection test's result depends on: once one changes, the result shown is about another server. */
export const TESTED_FIELDS = new Set<ProfileField>(['kind', 'baseUrl', 'model']);

/** Drops a connection test's result that no longer describes the form. */
export function forgetTestResult(editor: Editor | null): void {
  if (!editor?.test) return;
  editor.test = undefined;
  document.getElementById('test-result')?.replaceChildren();
}

export function renderTest(view: PanelView, ed: Editor): HTMLElement {
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
              view.persist();
              view.render();
              view.requestValidation();
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
