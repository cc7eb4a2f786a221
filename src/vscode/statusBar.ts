/**
 * The status bar item: what Tessera is doing, and what the last trigger gave (core/statusView.ts has the words).
 */
import * as vscode from 'vscode';
import { StatusModel, type LastResult, type TesseraState } from '../core/statusView';

export type { TesseraState } from '../core/statusView';

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly model = new StatusModel();

  constructor(command?: string) {
    this.item = vscode.window.createStatusBarItem('tessera.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Tessera';
    this.item.command = command;
    this.render();
    this.item.show();
  }

  /** The backend in use; another one starts without the old one's latency and last result. */
  setBackend(name: string): void {
    this.model.setBackend(name);
    this.render();
  }

  set(state: TesseraState): void {
    this.model.state = state;
    this.render();
  }

  get current(): TesseraState {
    return this.model.state;
  }

  /** The last trigger's result (undefined: forget it, e.g. after a switch that makes its explanation stale). */
  result(last: LastResult | undefined): void {
    this.model.last = last;
    this.render();
  }

  private render(): void {
    const v = this.model.view((t) => new Date(t).toLocaleTimeString());
    this.item.text = v.text;
    this.item.tooltip = v.tooltip;
    this.item.accessibilityInformation = { label: v.ariaLabel };
    this.item.backgroundColor = v.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
