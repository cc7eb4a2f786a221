/**
 * What the status bar item says: its text, tooltip and accessible label, from Tessera's state and the result of
 * the last trigger. Pure, so every wording is tested without an editor; src/vscode/statusBar.ts only applies it.
 */
import { explainReason, reasonKind } from './reasons';

export type TesseraState =
  | { kind: 'idle'; detail?: string }
  | { kind: 'working' }
  | { kind: 'loading'; detail: string }
  | { kind: 'disabled'; detail: string }
  | { kind: 'snoozed'; until: number }
  | { kind: 'error'; detail: string };

/** The last trigger that got an answer: a suggestion shown (and how long the backend takes), or why nothing showed. */
export type LastResult = { shown: true; latencyMs?: number } | { shown: false; reason: string; detail?: string };

export interface StatusView {
  text: string;
  tooltip: string;
  ariaLabel: string;
  /** Drawn with the warning background. */
  warning: boolean;
}

const MENU_HINT = 'Click for the menu: enable/disable, snooze, backend, settings, log, statistics';

/** How to end a snooze, said where the snooze is shown. */
export const RESUME_HINT =
  'To resume now: click here and choose "Resume now", or run "Tessera: Resume Suggestions". Alt+\\ still asks for a suggestion.';

/** "No suggestion: <reason>" for the last trigger, or undefined when it showed one. */
export function lastResultLine(last: LastResult | undefined): string | undefined {
  if (!last || last.shown) return undefined;
  return `Last: no suggestion — ${explainReason(last.reason, last.detail)}`;
}

export function statusView(
  state: TesseraState,
  last: LastResult | undefined,
  backend: string,
  timeOf: (ms: number) => string,
): StatusView {
  const on = backend ? ` · ${backend}` : '';
  let icon = '$(sparkle)';
  let label = 'ready';
  let suffix = '';
  let tooltip: string[];
  switch (state.kind) {
    case 'working':
      icon = '$(loading~spin)';
      label = 'working';
      tooltip = [`Tessera: asking the model${on}`];
      break;
    case 'loading':
      icon = '$(loading~spin)';
      label = 'loading model';
      suffix = ' loading model';
      tooltip = [`Tessera: loading model${on} — ${state.detail}; the first suggestion comes when it is in memory`];
      break;
    case 'disabled':
      icon = '$(circle-slash)';
      label = 'off';
      tooltip = [`Tessera: off — ${state.detail}`, MENU_HINT];
      break;
    case 'snoozed':
      icon = '$(clock)';
      label = 'snoozed';
      tooltip = [`Tessera: snoozed until ${timeOf(state.until)}`, RESUME_HINT];
      break;
    case 'error':
      icon = '$(warning)';
      label = 'error';
      tooltip = [`Tessera: error${on} — ${state.detail}`, MENU_HINT];
      break;
    case 'idle': {
      // The last request at a glance: its latency when it showed something, "no suggestion" when it did not (the
      // user's own switches, such as manual mode, are not a missing suggestion).
      const quiet =
        last && !last.shown && reasonKind(last.reason) !== 'choice' && reasonKind(last.reason) !== 'superseded';
      if (last?.shown && last.latencyMs !== undefined) suffix = ` ${Math.round(last.latencyMs)} ms`;
      else if (quiet) suffix = ': no suggestion';
      const head =
        last?.shown && last.latencyMs !== undefined
          ? `Tessera: ready${on} · last suggestion in ${Math.round(last.latencyMs)} ms`
          : `Tessera: ready${on}`;
      tooltip = [head, ...(state.detail ? [state.detail] : []), MENU_HINT];
      break;
    }
  }
  const why = state.kind !== 'error' ? lastResultLine(last) : undefined;
  if (why) tooltip.splice(1, 0, why);
  const text = `${icon} Tessera${suffix}`;
  const joined = tooltip.join('\n');
  return {
    text,
    tooltip: joined,
    ariaLabel: `Tessera ${label}. ${joined.replace(/\n/g, '. ')}`,
    warning: state.kind === 'error',
  };
}

/**
 * The status bar's state: what Tessera is doing, the backend in use and the result of the last trigger. Another
 * backend starts without the old one's latency and "Last: …" line (they describe the old backend).
 */
export class StatusModel {
  state: TesseraState = { kind: 'idle' };
  last: LastResult | undefined;
  backend = '';

  setBackend(name: string): void {
    if (name !== this.backend) this.last = undefined;
    this.backend = name;
  }

  view(timeOf: (ms: number) => string): StatusView {
    return statusView(this.state, this.last, this.backend, timeOf);
  }
}
