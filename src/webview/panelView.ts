/**
 * What the panel's renderers see: the open form, and the actions their controls call. The page's state lives in
 * panel.ts (the webview's entry), which hands the renderers this view of it.
 */
import type {
  FieldErrors,
  PanelProfile,
  PanelState,
  ProfileDraft,
  TestReport,
  WebviewMessageInput,
} from '../core/panelProtocol';

/**
 * The open form; null when closed. `index` null = a new profile. Errors show for a field once the user has left it
 * (blur) or tried to save or test: never "is required" under a field nobody has typed in yet. Once shown, a
 * field's error follows its value as the user types.
 */
export interface Editor {
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
  /** A save was sent and the host has not answered yet: the save buttons wait (no second save of the same form). */
  saving?: boolean;
  scrollToTest?: boolean;
}

export interface PanelView {
  /** The open form; null when closed. */
  readonly editor: Editor | null;
  /** Models seen in the last successful test, for the model field's suggestions. */
  readonly knownModels: readonly string[];
  /** True while the page is being replaced: a blur then is not the user leaving a field. */
  readonly rendering: boolean;
  post(message: WebviewMessageInput): void;
  openEditor(index: number | null, draft: ProfileDraft, focus?: string): void;
  closeEditor(): void;
  /** Fills the new profile's form from a preset (a name the user typed is kept). */
  usePreset(draft: ProfileDraft): void;
  save(makeActive: boolean): void;
  /** Tests the connection the form describes, unsaved edits included. */
  test(): void;
  /** Remembers the open form across the panel being hidden and shown again. */
  persist(): void;
  render(): void;
  /** Asks the host to validate the form (debounced); its answer sets the form's errors. */
  requestValidation(): void;
}

/** The stored profile at `index` (the list's order in the settings). */
export function profileAt(state: PanelState | null, index: number): PanelProfile | undefined {
  return state?.profiles.find((p) => p.index === index);
}
