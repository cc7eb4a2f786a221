/**
 * Local usage statistics in the editor: UsageStats (src/core/suggestions/stats.ts) kept in `globalState` (this
 * machine only, never sent anywhere), shown as a Markdown preview of a virtual document that refreshes while it
 * is open, and resettable. Commands: "Tessera: Show Statistics", "Tessera: Reset Statistics".
 */
import * as vscode from 'vscode';
import { UsageStats } from '../core/suggestions/stats';

const STATE_KEY = 'tessera.usageStats';
const SCHEME = 'tessera-stats';
export const STATS_URI = vscode.Uri.from({ scheme: SCHEME, path: '/Tessera Statistics.md' });

export class StatsStore implements vscode.Disposable, vscode.TextDocumentContentProvider {
  readonly stats: UsageStats;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly resetListeners: (() => void)[] = [];

  constructor(
    private readonly state: vscode.Memento,
    private readonly log?: vscode.LogOutputChannel,
  ) {
    this.stats = new UsageStats(state.get(STATE_KEY));
    this.disposables.push(
      this.changeEmitter,
      vscode.workspace.registerTextDocumentContentProvider(SCHEME, this),
      vscode.commands.registerCommand('tessera.showStatistics', () => this.show()),
      vscode.commands.registerCommand('tessera.resetStatistics', (confirmed?: unknown) =>
        this.reset(confirmed === true),
      ),
    );
  }

  /** Called after a reset (the tracker forgets what the suggestions on screen counted for). */
  onReset(listener: () => void): void {
    this.resetListeners.push(listener);
  }

  provideTextDocumentContent(): string {
    return this.stats.toMarkdown();
  }

  /** Call after every change: saves soon (batched) and refreshes an open view. */
  changed(): void {
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = undefined;
      void this.save();
    }, 2000);
    this.refreshTimer ??= setTimeout(() => {
      this.refreshTimer = undefined;
      this.changeEmitter.fire(STATS_URI);
    }, 300);
  }

  private async save(): Promise<void> {
    try {
      await this.state.update(STATE_KEY, this.stats.toJSON());
    } catch (err) {
      this.log?.warn(`statistics: could not save (${err instanceof Error ? err.message : String(err)})`);
    }
  }

  async show(): Promise<void> {
    this.changeEmitter.fire(STATS_URI);
    try {
      await vscode.commands.executeCommand('markdown.showPreview', STATS_URI);
    } catch {
      // No Markdown preview (the built-in extension disabled): the Markdown source is readable too.
      const doc = await vscode.workspace.openTextDocument(STATS_URI);
      await vscode.window.showTextDocument(doc, { preview: true });
    }
  }

  async reset(confirmed = false): Promise<void> {
    if (!confirmed) {
      const pick = await vscode.window.showWarningMessage(
        'Reset Tessera statistics? Counts and latency samples are deleted.',
        { modal: true },
        'Reset',
      );
      if (pick !== 'Reset') return;
    }
    this.stats.reset();
    for (const l of this.resetListeners) l();
    await this.save();
    this.changeEmitter.fire(STATS_URI);
    this.log?.info('statistics reset');
  }

  dispose(): void {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      void this.save();
    }
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const d of this.disposables) d.dispose();
  }
}
