/**
 * The question core `ApiKeys` asks before a key goes to an origin it was not saved for: a notification, so typing
 * is not interrupted; requests go without the key until the answer is yes.
 */
import * as vscode from 'vscode';
import type { KeyQuestion } from '../core/apiKeys';

export function askToSendKey(log: vscode.LogOutputChannel): (q: KeyQuestion) => Promise<boolean> {
  return async (q) => {
    const saved =
      q.savedFor.length > 0
        ? `It was saved for ${q.savedFor.join(', ')}`
        : 'It was saved before Tessera tied keys to a server';
    log.warn(
      `API key of "${q.profileName}" held back from ${q.origin}: ${saved.toLowerCase()}; asking whether to send it`,
    );
    const send = `Send to ${q.origin.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')}`; // an origin is scheme://host[:port]
    const pick = await vscode.window.showWarningMessage(
      `Tessera: send the API key of profile "${q.profileName}" to ${q.origin}? ${saved}. Until you agree, requests go there without it.`,
      send,
      "Don't Send",
    );
    const yes = pick === send;
    log.info(`API key of "${q.profileName}" ${yes ? 'will be sent' : 'not sent'} to ${q.origin}`);
    return yes;
  };
}
