/**
 * Every reason a trigger can end with no ghost text, and the words a user reads for it. The status bar, the
 * statistics, the log and the README's troubleshooting table all take their wording from here, so a reason is
 * added in one place: one entry below (the type `RejectionReason` follows from the keys).
 *
 * `says` completes "No suggestion: …" (lower case, no code names); `fix` says what to do about it, when there is
 * something to do. `kind` sorts the reasons for the places that treat them differently:
 *  - `superseded`: the next keystroke replaced the trigger — request economy, never reported as a problem;
 *  - `choice`: the user's own switch (disabled, manual mode) — explained, but not counted in the statistics;
 *  - `nothing`: the request ran (or was not needed) and there was nothing worth showing;
 *  - `failure`: the backend failed — it pauses with a back-off and the status bar shows an error;
 *  - `blocked`: Tessera would not send this file or use this backend here (exclusions, trust, snooze, setup);
 *  - `bug`: Tessera itself failed.
 */

export type ReasonKind = 'superseded' | 'choice' | 'nothing' | 'failure' | 'blocked' | 'bug';

export interface ReasonText {
  kind: ReasonKind;
  says: string;
  fix?: string;
}

export const REJECTION_REASONS = {
  cancelled: { kind: 'superseded', says: 'a newer keystroke replaced this request' },

  disabled: {
    kind: 'choice',
    says: 'Tessera is turned off',
    fix: 'turn it on in the status bar menu, or set `tessera.enable` to true',
  },
  'manual-only': {
    kind: 'choice',
    says: 'automatic suggestions are off',
    fix: '`tessera.triggerMode` is "manual": press Alt+\\ to ask for a suggestion',
  },
  'language-disabled': {
    kind: 'blocked',
    says: 'turned off for this language',
    fix: 'status bar menu → Enable for this language (`tessera.languages`)',
  },
  excluded: {
    kind: 'blocked',
    says: 'this file is never sent to a model',
    fix: 'it matches a built-in secret pattern or `tessera.exclude`; a `!pattern` in `tessera.exclude` re-allows it',
  },
  untrusted: {
    kind: 'blocked',
    says: 'this backend is not used in an untrusted workspace',
    fix: 'trust the workspace, or use a backend on this machine (localhost) or the embedded model',
  },
  snoozed: {
    kind: 'blocked',
    says: 'suggestions are snoozed',
    fix: 'status bar menu → Resume now (or **Tessera: Resume Suggestions**); Alt+\\ still asks',
  },
  'no-backend': {
    kind: 'blocked',
    says: 'no backend is set up',
    fix: 'add one in **Tessera: Open Settings Panel**, or run **Tessera: Download Embedded Model**',
  },
  backoff: {
    kind: 'blocked',
    says: 'the backend failed a moment ago; Tessera waits before asking again',
    fix: 'it retries by itself after a growing pause; Alt+\\ asks at once',
  },

  'line-complete': { kind: 'nothing', says: 'the line is already complete', fix: 'Alt+\\ asks anyway' },
  'nothing-here': {
    kind: 'nothing',
    says: 'the model had nothing for this spot a moment ago',
    fix: 'the same spot is not asked again automatically for 20 s: Alt+\\ asks anyway',
  },
  empty: {
    kind: 'nothing',
    says: 'the model returned nothing',
    fix: 'normal now and then; if it is always so, check the model is a code model with FIM',
  },
  'chat-prose': {
    kind: 'nothing',
    says: 'the model answered in prose, like a chat model',
    fix: 'use a base/FIM model (e.g. Qwen2.5-Coder base), not a chat or instruct model, or set `fimTemplate` to its family',
  },
  'suffix-duplicate': {
    kind: 'nothing',
    says: 'the suggestion only repeated the code after the cursor',
    fix: 'nothing to do: the code there is already what the model would write',
  },
  'parse-error': {
    kind: 'nothing',
    says: 'every version of the suggestion broke the syntax',
    fix: 'usually a half-written construct nearby, or a file already broken above the cursor',
  },
  'hidden-by-widget': {
    kind: 'nothing',
    says: "the suggestion does not continue the word list's selected item",
    fix: 'VS Code hides such ghost text while the word list is open: Esc closes the list',
  },
  repetition: {
    kind: 'nothing',
    says: 'the model repeated itself or the lines above the cursor',
    fix: 'often a sign of a small model or a too-high `maxTokens`',
  },
  'no-change': { kind: 'nothing', says: 'the edit model suggests no change here' },
  'undoes-last-edit': { kind: 'nothing', says: 'the edit model only suggested undoing your last edit' },

  unreachable: {
    kind: 'failure',
    says: 'the backend is not reachable',
    fix: 'the server is not running, or the port or base URL is wrong. Tessera pauses requests to a failing backend with a growing back-off, tells you once per failure episode, and recovers by itself once the server answers',
  },
  auth: {
    kind: 'failure',
    says: 'the backend refused the API key',
    fix: 'missing or wrong API key: **Tessera: Set API Key…** (a key saved for another server is not sent there until you agree)',
  },
  'rate-limited': {
    kind: 'failure',
    says: 'the backend asked Tessera to slow down',
    fix: "requests pause for the server's `Retry-After`",
  },
  timeout: {
    kind: 'failure',
    says: 'the backend took too long to answer',
    fix: "raise the profile's `timeoutMs`, or use a smaller model",
  },
  'server-error': { kind: 'failure', says: 'the backend had an internal error', fix: "see the server's own log" },
  'bad-response': {
    kind: 'failure',
    says: 'the backend gave an answer Tessera cannot use',
    fix: 'with a 404 the message names the base URL that kind expects (a missing or extra `/v1` is the usual mistake); for Ollama, check that the model is pulled',
  },
  config: {
    kind: 'failure',
    says: 'the backend cannot do what the profile asks',
    fix: '"does not support insert" / "cannot do /infill": the model has no native FIM: set `fimTemplate` to its family',
  },

  internal: {
    kind: 'bug',
    says: 'an internal error in Tessera',
    fix: 'the Tessera log has the details; please report it',
  },
} as const satisfies Record<string, ReasonText>;

/** Why nothing was shown: the one union of reasons (core stages, backend errors, the editor's gate). */
export type RejectionReason = keyof typeof REJECTION_REASONS;

/** The reasons of one kind, as a type (e.g. the gate's `blocked` and `choice` reasons). */
export type ReasonsOfKind<K extends ReasonKind> = {
  [R in RejectionReason]: (typeof REJECTION_REASONS)[R]['kind'] extends K ? R : never;
}[RejectionReason];

export function isRejectionReason(x: string): x is RejectionReason {
  return Object.prototype.hasOwnProperty.call(REJECTION_REASONS, x);
}

/** The words for a reason; an unknown one (stored by an older or newer version) is shown as it is. */
export function reasonSays(reason: string): string {
  return isRejectionReason(reason) ? REJECTION_REASONS[reason].says : reason;
}

export function reasonKind(reason: string): ReasonKind | undefined {
  return isRejectionReason(reason) ? REJECTION_REASONS[reason].kind : undefined;
}

/**
 * "No suggestion: <says>" plus the rejection's own detail when it adds something (a URL, a rule, a file), for
 * the status bar and notifications. Markdown emphasis in `fix` texts is dropped: the status bar shows plain text.
 */
export function explainReason(reason: string, detail?: string): string {
  const says = reasonSays(reason);
  const more = detail && detail.trim() !== '' && !sameWords(detail, says) ? ` (${detail.trim()})` : '';
  return `${says}${more}`;
}

/** What to do about a reason, as plain text (no markdown). */
export function reasonFix(reason: string): string | undefined {
  const fix = isRejectionReason(reason) ? (REJECTION_REASONS[reason] as ReasonText).fix : undefined;
  return fix?.replace(/\*\*|`/g, '');
}

/** Does the detail only say the reason again in other words (it starts like it: "the model returned no text")? */
function sameWords(detail: string, says: string): boolean {
  const words = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim()
      .split(' ');
  const d = words(detail);
  const r = words(says);
  return r.slice(0, 3).every((w, i) => d[i] === w);
}

/** The README's troubleshooting rows for the reasons (every reason but `superseded` ones), as a Markdown table. */
export function reasonsMarkdownTable(): string {
  const rows = (Object.entries(REJECTION_REASONS) as [RejectionReason, ReasonText][])
    .filter(([, r]) => r.kind !== 'superseded')
    .map(([, r]) => `| ${r.says} | ${r.fix ?? '–'} |`);
  return ['| "No suggestion: …" | what it means / what to do |', '| --- | --- |', ...rows].join('\n');
}
