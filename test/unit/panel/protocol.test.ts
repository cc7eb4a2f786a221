import { describe, expect, it } from 'vitest';
import { readSettings } from '../../../src/core/config';
import {
  buildPanelState,
  draftFromRaw,
  draftToInput,
  mergeIntoRaw,
  numberBounds,
  parseWebviewMessage,
  PROFILE_FIELDS,
  profileFieldSpecs,
  uniqueName,
  validateDraft,
} from '../../../src/core/panelProtocol';

const good = {
  name: 'local',
  kind: 'openai',
  baseUrl: 'http://127.0.0.1:8012/v1',
  model: 'qwen',
  fimTemplate: 'native',
};

describe('webview messages', () => {
  it('accepts each documented message and strips unknown draft fields', () => {
    const r = parseWebviewMessage({
      type: 'save',
      index: null,
      draft: { name: 'a', kind: 'openai', evil: 'x' },
      apiKey: 'sk-1',
    });
    expect(r).toEqual({
      ok: true,
      message: { type: 'save', index: null, draft: { name: 'a', kind: 'openai' }, apiKey: 'sk-1' },
    });
    for (const m of [
      { type: 'ready' },
      { type: 'validate', seq: 3, index: 0, draft: {} },
      { type: 'remove', index: 2 },
      { type: 'duplicate', index: 0 },
      { type: 'setActive', name: 'local' },
      { type: 'test', seq: 1, index: null, draft: { name: 'x' } },
      { type: 'clearApiKey', name: 'local' },
      { type: 'openSettingsJson' },
      { type: 'showLog' },
      { type: 'useBuiltinModel' },
    ]) {
      expect(parseWebviewMessage(m).ok, JSON.stringify(m)).toBe(true);
    }
  });

  it.each([
    [null],
    ['save'],
    [{ type: 'rm -rf' }],
    [{ type: 'remove', index: -1 }],
    [{ type: 'remove', index: '0' }],
    [{ type: 'save', index: null, draft: { name: 5 } }],
    [{ type: 'setActive', name: '' }],
  ])('rejects malformed %j with a reason', (m) => {
    const r = parseWebviewMessage(m);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^malformed panel message/);
  });
});

describe('form validation with the settings schema', () => {
  it('a valid form yields the same profile the settings reader builds', () => {
    const draft = { ...good, maxTokens: '64', temperature: '0.1', stop: '\\n\\n\n</s>' };
    const v = validateDraft(draft);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.profile).toMatchObject({ maxTokens: 64, temperature: 0.1, stop: ['\n\n', '</s>'], timeoutMs: 10_000 });
    const viaSettings = readSettings({ backends: [v.input] });
    expect(viaSettings.problems).toEqual([]);
    expect(viaSettings.settings.backends[0]).toEqual(v.profile);
  });

  it('puts each error next to its field', () => {
    const v = validateDraft({
      name: ' ',
      kind: 'openai',
      baseUrl: 'ftp://x',
      maxTokens: 'lots',
      temperature: '3',
      timeoutMs: '1.5',
    });
    expect(v.ok).toBe(false);
    expect(v.errors.name).toBe('is required');
    expect(v.errors.baseUrl).toMatch(/http\(s\) URL/);
    expect(v.errors.maxTokens).toBe('must be a whole number');
    expect(v.errors.temperature).toBe('must be at most 2');
    expect(v.errors.timeoutMs).toMatch(/whole number|at least/);
    // Cross-field rules (model required for openai) run once the fields themselves parse, as in the settings.
    expect(validateDraft({ name: 'a', kind: 'openai', baseUrl: 'http://127.0.0.1:1/v1' }).errors).toEqual({
      model: 'is required for kind "openai"',
    });
  });

  it('requires baseUrl for a server kind but not for the embedded one', () => {
    expect(validateDraft({ name: 'e', kind: 'embedded' }).ok).toBe(true);
    expect(validateDraft({ name: 'o', kind: 'ollama', model: 'q' }).errors.baseUrl).toMatch(
      /required for kind "ollama"/,
    );
    expect(validateDraft({ name: 'o', kind: 'gpt' }).errors.kind).toMatch(/must be one of openai/);
  });

  it('names must be unique among the other profiles', () => {
    expect(validateDraft(good, ['local']).errors.name).toMatch(/used by another profile/);
    expect(validateDraft(good, ['other']).ok).toBe(true);
  });

  it('warns (without refusing) about a remote backend in an untrusted workspace', () => {
    const v = validateDraft({ ...good, baseUrl: 'https://api.example.com/v1' }, [], { trusted: false });
    expect(v.ok).toBe(true);
    expect(v.warning).toMatch(/not trusted/);
    expect(validateDraft(good, [], { trusted: false }).warning).toBeUndefined();
  });

  it('draft round-trips through the raw settings entry', () => {
    const raw = { ...good, maxTokens: 64, stop: ['\n\n', 'a\\b'] };
    const d = draftFromRaw(raw);
    expect(d).toMatchObject({ maxTokens: '64', stop: '\\n\\n\na\\\\b' });
    expect(draftToInput(d)).toEqual(raw);
  });

  it('merging keeps hand-written unknown keys and drops fields emptied in the form', () => {
    const stored = { ...good, maxTokens: 64, xCustom: 1 };
    const v = validateDraft({ ...draftFromRaw(stored), maxTokens: '', model: 'other' });
    expect(v.ok).toBe(true);
    const merged = mergeIntoRaw(stored, draftToInput({ ...draftFromRaw(stored), maxTokens: '', model: 'other' }));
    expect(merged).toEqual({
      name: 'local',
      kind: 'openai',
      baseUrl: 'http://127.0.0.1:8012/v1',
      model: 'other',
      fimTemplate: 'native',
      xCustom: 1,
    });
    expect(Object.keys(merged)[0]).toBe('name');
  });

  it('duplicate names', () => {
    expect(uniqueName('local', ['local'])).toBe('local copy');
    expect(uniqueName('local', ['local', 'local copy', 'local copy 2'])).toBe('local copy 3');
  });
});

describe('form fields in the panel', () => {
  it('show the bounds and defaults the settings schema enforces, so the hint and the error agree', () => {
    const f = profileFieldSpecs();
    expect(f.maxTokens).toMatchObject({ hint: '1–4096, default 128', placeholder: '128', inputmode: 'numeric' });
    expect(f.temperature).toMatchObject({ hint: '0–2, default 0.2', inputmode: 'decimal' });
    expect(f.contextSize.hint).toBe('256–131072');
    // The hint's upper bound is the one validation rejects just above.
    const max = numberBounds('maxTokens')!.max!;
    expect(validateDraft({ ...good, maxTokens: String(max) }).ok).toBe(true);
    expect(validateDraft({ ...good, maxTokens: String(max + 1) }).errors.maxTokens).toBe(`must be at most ${max}`);
  });

  it('every field has a label, and every kind a name, in the state the webview renders', () => {
    const s = buildPanelState({
      rawBackends: [],
      activeSetting: '',
      keyNames: new Set(),
      trusted: true,
      target: 'user',
    });
    expect(Object.keys(s.fields)).toEqual([...PROFILE_FIELDS]);
    for (const f of PROFILE_FIELDS) expect(s.fields[f].label.length).toBeGreaterThan(0);
    for (const k of s.kinds) expect(s.kindLabels[k]).toBeTruthy();
    expect(s.kindLabels.llamacpp).toBe('llama.cpp /infill');
  });
});

describe('panel state', () => {
  it('empty settings: no profiles, nothing active', () => {
    const s = buildPanelState({
      rawBackends: [],
      activeSetting: '',
      keyNames: new Set(),
      trusted: true,
      target: 'user',
    });
    expect(s.profiles).toEqual([]);
    expect(s.active).toBe('');
    expect(s.trustNote).toBeUndefined();
  });

  it('lists invalid entries with their errors, marks keys, picks the active one as readSettings does', () => {
    const rawBackends = [
      { name: 'broken', kind: 'openai', baseUrl: 'nope' },
      good,
      { ...good, name: 'cloud', baseUrl: 'https://api.example.com/v1' },
    ];
    const s = buildPanelState({
      rawBackends,
      activeSetting: 'cloud',
      keyNames: new Set(['cloud']),
      trusted: true,
      target: 'user',
    });
    expect(s.profiles.map((p) => p.name)).toEqual(['broken', 'local', 'cloud']);
    expect(s.profiles[0].errors.baseUrl).toMatch(/http\(s\) URL/);
    expect(s.profiles[1].errors).toEqual({});
    expect(s.profiles[2].hasApiKey).toBe(true);
    expect(s.profiles[1].summary).toBe('openai · http://127.0.0.1:8012/v1 · qwen');
    expect(s.active).toBe('cloud');
  });

  it('an activeBackend naming nothing falls back to the first valid profile and says so', () => {
    const s = buildPanelState({
      rawBackends: [good],
      activeSetting: 'gone',
      keyNames: new Set(),
      trusted: true,
      target: 'user',
    });
    expect(s.active).toBe('local');
    expect(s.problems[0]).toMatch(/"gone"/);
  });

  it('untrusted workspace: remote profiles are marked with the reason', () => {
    const rawBackends = [good, { ...good, name: 'cloud', baseUrl: 'https://api.example.com/v1' }];
    const s = buildPanelState({ rawBackends, activeSetting: '', keyNames: new Set(), trusted: false, target: 'user' });
    expect(s.trustNote).toMatch(/not trusted/);
    expect(s.profiles[0].blockedReason).toBeUndefined();
    expect(s.profiles[1].blockedReason).toMatch(/api\.example\.com/);
  });
});

describe('next edits in the panel', () => {
  const zeta = { name: 'zeta', kind: 'llamacpp', baseUrl: 'http://127.0.0.1:8080', editFormat: 'zeta' };

  it('an edit model is a profile with an edit format; the state carries tessera.nextEdit.backend and the formats', () => {
    expect(validateDraft(draftFromRaw(zeta)).ok).toBe(true);
    expect(validateDraft({ ...draftFromRaw(zeta), editFormat: 'nope' }).errors.editFormat).toBe(
      'must be one of zeta, zeta-merge',
    );
    const state = buildPanelState({
      rawBackends: [good, zeta],
      activeSetting: 'local',
      keyNames: new Set(),
      trusted: true,
      target: 'user',
      nextEditSetting: 'zeta',
    });
    expect(state.nextEdit).toBe('zeta');
    expect(state.editFormats).toEqual(['zeta', 'zeta-merge']);
    expect(state.profiles[1].summary).toBe('llamacpp · http://127.0.0.1:8080 · edit model (zeta)');
    // Ghost text never falls back to an edit model, even one listed first.
    expect(
      buildPanelState({
        rawBackends: [zeta, good],
        activeSetting: '',
        keyNames: new Set(),
        trusted: true,
        target: 'user',
      }).active,
    ).toBe('local');
  });

  it('accepts picking an edit model for next edits, and turning them off', () => {
    expect(parseWebviewMessage({ type: 'setNextEdit', name: 'zeta' })).toEqual({
      ok: true,
      message: { type: 'setNextEdit', name: 'zeta' },
    });
    expect(parseWebviewMessage({ type: 'setNextEdit', name: '' }).ok).toBe(true);
    expect(parseWebviewMessage({ type: 'setNextEdit' }).ok).toBe(false);
  });
});
