/**
 * The CSP nonce of the settings panel's script. It must be unguessable (from the OS's CSPRNG, not Math.random):
 * markup that reached the webview by some other bug could otherwise carry a script with the right nonce.
 */
import { randomBytes } from 'node:crypto';

export function nonce(): string {
  return randomBytes(18).toString('base64url');
}
