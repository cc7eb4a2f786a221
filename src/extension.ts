/**
 * Composition root: activate() builds and wires every part. Nothing else constructs long-lived objects.
 */
import * as vscode from 'vscode';
import { Controller } from './vscode/controller';
import { EmbeddedModelManager } from './vscode/embeddedModel';
import { SyntaxDocuments } from './vscode/documents';
import { TesseraInlineProvider } from './vscode/provider';
import { readWorkspaceSettings, userBackendProfiles } from './vscode/settings';
import { ApiKeys } from './core/apiKeys';
import { askToSendKey } from './vscode/keyQuestion';
import { StatusBar } from './vscode/statusBar';
import { SettingsPanel } from './vscode/panel/settingsPanel';
import { registerControlCommands } from './vscode/statusMenu';
import { StatsStore } from './vscode/stats';
import { SuggestionTracker } from './vscode/acceptance';
import { tickBackendStep } from './vscode/walkthrough';
import { NextEditController } from './vscode/nextEdit/controller';

const TRIGGER = 'editor.action.inlineSuggest.trigger';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Tessera', { log: true });
  const status = new StatusBar('tessera.statusMenu');
  const keys = new ApiKeys(context.secrets, askToSendKey(log));
  void keys
    .migrate(userBackendProfiles())
    .catch((err) => log.error(`API keys: could not move keys saved by name only: ${String(err)}`));
  const controller = new Controller(log, status, keys.lookup);
  context.subscriptions.push(
    log,
    status,
    controller,
    context.secrets.onDidChange((e) => ApiKeys.isKeyEntry(e.key) && keys.forget()),
  );

  const syntaxDocs = new SyntaxDocuments(log); // incremental tree per open document, for the context
  context.subscriptions.push(syntaxDocs);
  const stats = new StatsStore(context.globalState, log); // local statistics: Show/Reset Statistics commands
  const tracker = new SuggestionTracker(stats, log); // accepts (full / word / line) and why nothing showed
  context.subscriptions.push(stats, tracker);

  const embedded = new EmbeddedModelManager(context, controller, log);
  context.subscriptions.push(embedded);
  const nextEdits = new NextEditController(controller, keys.lookup, stats); // tessera.nextEdit.backend: edits beyond the cursor
  context.subscriptions.push(
    nextEdits,
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, nextEdits),
  );
  const reload = () => {
    const { settings, problems, sources } = readWorkspaceSettings();
    controller.applySettings(settings, problems, sources);
    embedded.onSettings(settings);
    nextEdits.onSettings(settings);
  };
  reload();
  const provider = new TesseraInlineProvider(controller, syntaxDocs, tracker);
  context.subscriptions.push(tickBackendStep(() => controller.activeBackend() !== undefined));
  const openPanel = () =>
    SettingsPanel.show({ extensionUri: context.extensionUri, keys, secrets: context.secrets, log });
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('tessera')) reload();
    }),
    provider, // disposing it cancels in-flight requests
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, provider),
    vscode.commands.registerCommand('tessera.showLog', () => log.show()),
    vscode.commands.registerCommand('tessera.openSettings', openPanel),
    vscode.commands.registerCommand('tessera.openSettingsUI', () =>
      vscode.commands.executeCommand('workbench.action.openSettings', '@ext:tessera-dev.tessera'),
    ),
    ...registerControlCommands(controller, openPanel, keys),
    { dispose: () => SettingsPanel.disposeCurrent() },
    // The status bar follows the active editor: "disabled for this language", "excluded file".
    vscode.window.onDidChangeActiveTextEditor(() => controller.refreshStatus()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => controller.refreshStatus()),
    vscode.commands.registerCommand('tessera.toggle', async () => {
      const cfg = vscode.workspace.getConfiguration('tessera');
      await cfg.update('enable', !cfg.get<boolean>('enable', true), vscode.ConfigurationTarget.Global);
    }),
    vscode.commands.registerCommand('tessera.downloadEmbeddedModel', () => embedded.commandDownload(false)),
    vscode.commands.registerCommand('tessera.selectEmbeddedModel', () => embedded.commandDownload(true)),
    // Alt+\\, Alt+] and Alt+[ run VS Code's commands, after making sure VS Code really asks Tessera (see OwnTriggers):
    // VS Code's next/previous only move within what it holds (and need visible ghost text), so hide, ask, then move.
    ...(
      [
        ['tessera.triggerSuggestion', TRIGGER],
        ['tessera.showNextSuggestion', 'editor.action.inlineSuggest.showNext'],
        ['tessera.showPreviousSuggestion', 'editor.action.inlineSuggest.showPrevious'],
      ] as const
    ).map(([id, builtin]) =>
      vscode.commands.registerCommand(id, async () => {
        // Run from the walkthrough or another view: the editor to ask in is not the active one (or there is none).
        const editor = vscode.window.activeTextEditor ?? (await focusSourceEditor());
        if (!editor) return;
        if (editor && provider.askAgain(editor.document, editor.selection.active)) {
          log.debug(`${id}: the suggestion shown came from a trigger Tessera issued; asking again for alternatives`);
          await vscode.commands.executeCommand('editor.action.inlineSuggest.hide');
          await vscode.commands.executeCommand(TRIGGER);
          if (builtin === TRIGGER) return;
        }
        await vscode.commands.executeCommand(builtin);
      }),
    ),
  );
  log.info(
    `Tessera ${context.extension.packageJSON.version} activated (VS Code ${vscode.version}, ${vscode.env.appName})`,
  );
}

/**
 * With no active text editor (the walkthrough or a panel has focus): focus the source editor that is visible, or
 * say what to do. Returns the editor to ask in.
 */
async function focusSourceEditor(): Promise<vscode.TextEditor | undefined> {
  const visible = vscode.window.visibleTextEditors.find(
    (e) => e.document.uri.scheme === 'file' || e.document.uri.scheme === 'untitled',
  );
  if (visible) return vscode.window.showTextDocument(visible.document, visible.viewColumn);
  const pick = await vscode.window.showInformationMessage(
    'Tessera: open a source file first, put the cursor where code should go, then press Alt+\\.',
    'Open File…',
  );
  if (pick) await vscode.commands.executeCommand('workbench.action.quickOpen');
  return undefined;
}

export function deactivate(): void {}
