/**
 * The presets a new profile can start from (common model servers for ghost text, and edit models for next edits),
 * and the group of buttons that offers them.
 */
import type { ProfileDraft } from '../core/panelProtocol';
import { h, type Child } from './dom';

export interface Preset {
  label: string;
  draft: ProfileDraft;
}

// One default FIM template for every new profile: auto (the settings' default). It uses the server's own FIM when
// the server reports one, else the template of the model family it finds, and native when nothing matches, so it
// is right wherever a fixed choice is, and keeps working when the model changes.
export const DEFAULT_FIM = 'auto';
export const PRESETS: Preset[] = [
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
export const EDIT_PRESETS: Preset[] = [
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

/** One button per preset (ids `${idPrefix}-0`, `${idPrefix}-1`, …), after `lead`; `pick` gets the chosen draft. */
export function presetButtons(
  presets: Preset[],
  group: { ariaLabel: string; idPrefix: string; lead?: Child },
  pick: (draft: ProfileDraft) => void,
  label: (preset: Preset) => string = (p) => p.label,
): HTMLElement {
  return h(
    'div',
    { class: 'presets', role: 'group', 'aria-label': group.ariaLabel },
    group.lead,
    presets.map((p, i) =>
      h(
        'button',
        { type: 'button', class: 'secondary', id: `${group.idPrefix}-${i}`, onclick: () => pick(p.draft) },
        label(p),
      ),
    ),
  );
}
