/**
 * The status bar item: what Tessera is doing, and why nothing showed.
 */
import * as vscode from 'vscode';

export type TesseraState =
  | { kind: 'idle'; detail?: string; latencyMs?: number }
  | { kind: 'working' }
  | { kind: 'loading'; detail: string }
  | { kind: 'disabled'; detail: string }
  | { kind: 'snoozed'; until: number }
  | { kind: 'error'; detail: string };

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private state: TesseraState = { kind: 'idle' };
  private lastLatencyMs: number | undefined;
  private lastExplanation: string | undefined;
  private backendName = '';

  constructor(command?: string) {
    this.item = vscode.window.createStatusBarItem('tessera.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Tessera';
    this.item.command = command;
    this.render();
    this.item.show();
  }

  setBackend(name: string): void {
    this.backendName = name;
    this.render();
  }

  set(state: TesseraState): void {
    if (state.kind === 'idle' && state.latencyMs !== undefined) this.lastLatencyMs = state.latencyMs;
    this.state = state;
    this.render();
  }

  get current(): TesseraState {
    return this.state;
  }

  /** Why the last trigger showed nothing (or undefined when it showed a suggestion). */
  explain(reason: string | undefined): void {
    this.lastExplanation = reason;
    this.render();
  }

  private render(): void {
    const s = this.state;
    const backend = this.backendName ? ` · ${this.backendName}` : '';
    const latency = this.lastLatencyMs !== undefined ? ` · last ${Math.round(this.lastLatencyMs)} ms` : '';
    let icon = '$(sparkle)';
    let label = 'ready';
    let tooltip = `Tessera: ready${backend}${latency}\nClick for the menu: enable/disable, snooze, backend, settings, log`;
    this.item.backgroundColor = undefined;
    switch (s.kind) {
      case 'working':
        icon = '$(loading~spin)';
        label = 'working';
        tooltip = `Tessera: asking the model${backend}`;
        break;
      case 'loading':
        icon = '$(loading~spin)';
        label = 'loading model';
        tooltip = `Tessera: loading model${backend} — ${s.detail}; the first suggestion comes when it is in memory`;
        break;
      case 'disabled':
        icon = '$(circle-slash)';
        label = 'off';
        tooltip = `Tessera: disabled — ${s.detail}`;
        break;
      case 'snoozed':
        icon = '$(clock)';
        label = 'snoozed';
        tooltip = `Tessera: snoozed until ${new Date(s.until).toLocaleTimeString()}`;
        break;
      case 'error':
        icon = '$(warning)';
        label = 'error';
        tooltip = `Tessera: error${backend} — ${s.detail}`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        break;
      case 'idle':
        if (s.detail) tooltip += `\n${s.detail}`;
        break;
    }
    if (this.lastExplanation && s.kind !== 'error') tooltip += `\nLast: ${this.lastExplanation}`;
    // Last latency at a glance while ready (the tooltip has the details).
    const shownLatency = s.kind === 'idle' && this.lastLatencyMs !== undefined ? ` ${Math.round(this.lastLatencyMs)} ms` : '';
    this.item.text = `${icon} Tessera${shownLatency}${s.kind === 'loading' ? ' loading model' : ''}`;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `Tessera ${label}. ${tooltip.replace(/\n/g, '. ')}` };
  }

  dispose(): void {
    this.item.dispose();
  }
}
