// E2E harness: one real VS Code (code-server 4.100.3) with Tessera loaded, driven by headless Chromium
// through playwright-core. See /work/shared/E2E-RECIPE.md for why this setup.
//
//   const h = await startHarness();                 // code-server + Chromium, Tessera in the extensions dir
//   const w = await h.openWindow({ files: {'a.py': ''}, settings: {...} });  // fresh workspace + window
//   await w.openFile('a.py'); await w.typeText('def f():\n    ');
//   const ghost = await w.waitForGhostText();
//   await w.pressKey('Tab'); const text = await w.saveAndRead('a.py');
//   await w.close(); await h.stop();
//
// Every wait is bounded by a timeout; h.stop() kills Chromium and code-server (also installed as an
// exit/signal hook, so a crash or Ctrl+C does not leave processes behind).
// TESSERA_E2E_TRACE=1 starts code-server with `--log trace`: the Tessera log then has every trigger and request.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { CODE_SERVER_ENTRY, codeServerArgs } from '../../scripts/code-server.mjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS_DIR = path.join(REPO, 'test-results', 'e2e');
/** Is `p` the repository or inside it? (By path segments: /tmp/x-tmp is not inside /tmp/x.) */
export const insideRepo = (p) => {
  const rel = path.relative(REPO, p);
  return !rel.startsWith('..') && !path.isAbsolute(rel);
};
const CHROMIUM = process.env.TESSERA_E2E_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** User settings every window gets (recipe: no welcome page, no suggest widget stealing Esc, no telemetry). */
export const BASE_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
  'editor.wordBasedSuggestions': 'off',
  'editor.suggestOnTriggerCharacters': false,
  'editor.parameterHints.enabled': false,
  'editor.hover.enabled': false,
  'editor.inlineSuggest.enabled': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'files.autoSave': 'off',
  'files.insertFinalNewline': false,
  'files.trimTrailingWhitespace': false,
  'window.restoreWindows': 'none',
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
};

/** Makes typed text land literally (no auto-indent, no auto-closed brackets/quotes); a scenario may override. */
export const LITERAL_TYPING_SETTINGS = {
  'editor.autoIndent': 'none',
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoClosingComments': 'never',
  'editor.autoSurround': 'never',
  'editor.formatOnType': false,
  'editor.detectIndentation': false,
  'editor.insertSpaces': true,
  'editor.tabSize': 4,
};

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls fn until it returns a truthy value; throws `what` after timeoutMs. */
export async function waitFor(fn, { timeout = 10_000, interval = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`,
      );
    }
    await sleep(interval);
  }
}

/**
 * Clicks until `started()` says the click took effect. A webview is laid out again some frames after the window
 * or its content changes, and a click in between lands outside it; clicking again must be harmless.
 */
export async function clickUntil(locator, started, what) {
  await waitFor(async () => (await started()) || (await locator.click({ timeout: 2000 }), started()), { what });
}

/** The settings panel's Test connection, clicked until this test has started (see clickUntil); call it after changing a field the test depends on (the panel then drops the old result). */
export async function clickTestConnection(frame) {
  const started = async () =>
    /Testing/.test(await frame.locator('#test').innerText()) || (await frame.locator('#test-result h3').count()) > 0;
  await clickUntil(frame.locator('#test'), started, 'Test connection to start');
}

/**
 * The settings panel's Save and use (or Save), clicked until the save is sent: the button waits while a save is in
 * flight and the form closes when it is done; a click that a re-render of the form swallowed is clicked again. Only
 * where the save is expected to succeed (a refused save re-enables the button).
 */
export async function clickSave(frame, selector = '#save-use') {
  const button = frame.locator(selector);
  const sent = async () =>
    (await button.count()) === 0 || (await button.isDisabled({ timeout: 500 }).catch(() => true));
  await clickUntil(button, sent, `${selector} to send the save`);
}

/** Rejects after ms with a clear message. */
export function withTimeout(promise, ms, what) {
  let t;
  return Promise.race([
    promise.finally(() => clearTimeout(t)),
    new Promise((_, reject) => {
      t = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]);
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function httpOk(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return res.status < 500;
  } catch {
    return false;
  }
}

/** Pids of all descendants of pid (via /proc), deepest first. */
function descendants(pid) {
  const children = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(d));
    } catch {
      /* gone */
    }
  }
  const out = [];
  const walk = (p) => {
    for (const c of children.get(p) ?? []) {
      walk(c);
      out.push(c);
    }
  };
  walk(pid);
  return out;
}

function cmdline(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/**
 * Puts the built extension into extDir as `publisher.name-version`: package.json and dist/ are copied (the
 * extension host maps `require('vscode')` to an extension by the *real* path of the requiring file, so a
 * symlinked dist/ would resolve to the repo and get the anonymous API), while grammars/, media/ and
 * node_modules/ (modules loaded at run time, e.g. node-llama-cpp) are symlinks to the repo.
 */
export function installExtension(extDir, repo = REPO) {
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  const main = path.join(repo, pkg.main ?? 'dist/extension.js');
  if (!fs.existsSync(main)) throw new Error(`${path.relative(repo, main)} is missing: run \`npm run build\` first`);
  const id = `${pkg.publisher}.${pkg.name}`;
  const dir = path.join(extDir, `${id}-${pkg.version}`);
  fs.rmSync(dir, { recursive: true, force: true }); // our own earlier copy; rm never follows symlinks
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of ['package.json', 'dist', 'README.md', 'LICENSE']) {
    const src = path.join(repo, entry);
    if (fs.existsSync(src)) fs.cpSync(src, path.join(dir, entry), { recursive: true });
  }
  for (const entry of ['grammars', 'media', 'node_modules']) {
    const src = path.join(repo, entry);
    if (fs.existsSync(src)) fs.symlinkSync(src, path.join(dir, entry));
  }
  return { id, version: pkg.version, dir };
}
export const linkExtension = installExtension;

/** The Tessera output-channel logs of a code-server user-data dir, each headed by its path relative to `relTo`. */
export async function readTesseraLogs(userData, relTo) {
  const out = [];
  const walk = async (d) => {
    for (const e of await fsp.readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (/tessera/i.test(e.name) && e.name.endsWith('.log'))
        out.push(`--- ${path.relative(relTo, p)}\n${await fsp.readFile(p, 'utf8')}`);
    }
  };
  await walk(path.join(userData, 'logs'));
  return out.join('\n');
}

/** Writes a set of files {relPath: content} under dir. */
async function writeFiles(dir, files = {}) {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    await fsp.mkdir(path.dirname(p), { recursive: true });
    await fsp.writeFile(p, content);
  }
}

/**
 * Starts code-server (fresh XDG/user-data/extensions dirs in a temp run dir) and headless Chromium.
 * options: { log: fn, keepRunDir: bool, env: {} }
 */
export async function startHarness(options = {}) {
  const log = options.log ?? ((...a) => console.log('[e2e]', ...a));
  if (!fs.existsSync(CODE_SERVER_ENTRY)) throw new Error('code-server is not installed: run scripts/ensure-e2e.sh');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/ensure-e2e.sh`);
  const require = createRequire(path.join(REPO, 'package.json'));
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch {
    throw new Error('playwright-core is missing (a devDependency): run `npm ci` in the repo');
  }

  const runDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tessera-e2e-'));
  const dirs = {
    run: runDir,
    xdgConfig: path.join(runDir, 'xdg-config'),
    xdgData: path.join(runDir, 'xdg-data'),
    xdgCache: path.join(runDir, 'xdg-cache'),
    userData: path.join(runDir, 'user-data'),
    extensions: path.join(runDir, 'extensions'),
    workspaces: path.join(runDir, 'workspaces'),
    chromium: path.join(runDir, 'chromium'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const ext = installExtension(dirs.extensions);

  const settingsPath = path.join(dirs.userData, 'User', 'settings.json');
  const writeUserSettings = (extra = {}) =>
    fsp.writeFile(settingsPath, JSON.stringify({ ...BASE_USER_SETTINGS, ...extra }, null, 2));
  await writeUserSettings();

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const csLog = fs.openSync(path.join(runDir, 'code-server.log'), 'a');
  const started = Date.now();
  const cs = spawn(
    process.execPath,
    codeServerArgs(port, dirs, process.env.TESSERA_E2E_TRACE ? ['--log', 'trace'] : []),
    {
      cwd: runDir,
      detached: true,
      stdio: ['ignore', csLog, csLog],
      env: {
        ...process.env,
        XDG_CONFIG_HOME: dirs.xdgConfig,
        XDG_DATA_HOME: dirs.xdgData,
        XDG_CACHE_HOME: dirs.xdgCache,
        HOME: process.env.HOME,
        PASSWORD: undefined,
        HASHED_PASSWORD: undefined,
        VSCODE_PROXY_URI: undefined,
        ...options.env,
      },
    },
  );
  fs.closeSync(csLog);
  let csExited = null;
  cs.on('exit', (code, signal) => {
    csExited = { code, signal };
  });

  let browser;
  let stopped = false;
  const windows = new Set();

  // Kill code-server's whole tree: we started it detached, so its pid is the process group id.
  const killTree = (sig) => {
    if (csExited) return;
    const pids = descendants(cs.pid);
    try {
      process.kill(-cs.pid, sig);
    } catch {
      /* already gone */
    }
    for (const p of pids) {
      try {
        process.kill(p, sig);
      } catch {
        /* gone */
      }
    }
  };
  const onExit = () => {
    killTree('SIGKILL');
  };
  const onSignal = (sig) => {
    log(`${sig}: stopping`);
    stop().finally(() => process.exit(130));
  };
  process.on('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  async function stop({ keepRunDir = options.keepRunDir } = {}) {
    if (stopped) return;
    stopped = true;
    for (const w of windows) await w.close().catch(() => {});
    if (browser) await withTimeout(browser.close(), 10_000, 'closing Chromium').catch((e) => log(String(e)));
    killTree('SIGTERM');
    await waitFor(() => csExited, { timeout: 5000, what: 'code-server exit' }).catch(() => killTree('SIGKILL'));
    await waitFor(() => csExited, { timeout: 2000, what: 'code-server exit after SIGKILL' }).catch(() => {});
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (!keepRunDir) await fsp.rm(runDir, { recursive: true, force: true }).catch(() => {});
    else log(`run dir kept: ${runDir}`);
  }

  try {
    await waitFor(
      async () => {
        if (csExited)
          throw new Error(`code-server exited early (${JSON.stringify(csExited)}); log: ${runDir}/code-server.log`);
        return httpOk(`${url}/healthz`);
      },
      { timeout: 30_000, interval: 150, what: 'code-server /healthz' },
    ).catch((e) => {
      if (csExited) throw new Error(`code-server exited early; see ${runDir}/code-server.log`);
      throw e;
    });
    log(`code-server up on ${url} in ${Date.now() - started} ms`);
    browser = await withTimeout(
      chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        timeout: 30_000,
      }),
      35_000,
      'launching Chromium',
    );
  } catch (err) {
    await stop({ keepRunDir: true });
    throw err;
  }

  let windowSeq = 0;
  const h = {
    url,
    port,
    dirs,
    ext,
    log,
    runDir,
    get browser() {
      return browser;
    },
    writeUserSettings,
    stop,
    /**
     * A fresh workspace folder (files written first) and a fresh browser context/window on it, waited until
     * the workbench shows the folder and Tessera's status bar item is there (the extension is active).
     * opts: { name, files: {rel: content}, settings: user settings merged over BASE_USER_SETTINGS,
     *         workspaceSettings: written to .vscode/settings.json, waitForTessera: true, timeout,
     *         workspaceTrust: false — true turns workspace trust on for this window only (see enableWorkspaceTrust) }
     */
    async openWindow(opts = {}) {
      const seq = ++windowSeq;
      const name = (opts.name ?? `ws${seq}`).replace(/[^\w.-]+/g, '-');
      const folder = path.join(dirs.workspaces, `${String(seq).padStart(2, '0')}-${name}`);
      await fsp.mkdir(folder, { recursive: true });
      await writeFiles(folder, opts.files ?? { 'README.md': '# e2e\n' });
      if (opts.workspaceSettings)
        await writeFiles(folder, { '.vscode/settings.json': JSON.stringify(opts.workspaceSettings, null, 2) });
      await writeUserSettings(opts.settings ?? {});
      const w = await openWindow(h, {
        folder,
        seq,
        timeout: opts.timeout ?? 45_000,
        waitForTessera: opts.waitForTessera ?? true,
        workspaceTrust: !!opts.workspaceTrust,
        exthostsBefore: extensionHosts(),
      });
      windows.add(w);
      w.onClose(() => windows.delete(w));
      return w;
    },
    /**
     * A window on another code-server of this machine (one `npm start` runs, say), in this harness's Chromium.
     * Its extension hosts belong to that server: closing the window leaves them to it.
     */
    async openWindowAt(serverUrl, folder, opts = {}) {
      const other = { ...h, url: serverUrl, extensionHosts: () => [] };
      return openWindow(other, {
        folder,
        seq: ++windowSeq,
        timeout: opts.timeout ?? 45_000,
        waitForTessera: opts.waitForTessera ?? true,
        workspaceTrust: false,
        exthostsBefore: [],
      });
    },
    /** Pids of the extension host processes under our code-server. */
    extensionHosts,
    /** Contents of the Tessera output channel logs written so far (all windows), for diagnostics. */
    async tesseraLogs() {
      return readTesseraLogs(dirs.userData, runDir);
    },
  };

  function extensionHosts() {
    if (csExited) return [];
    return descendants(cs.pid).filter((p) =>
      /--type=extensionHost|extensionHostProcess|bootstrap-fork.*extensionHost/.test(cmdline(p)),
    );
  }

  return h;
}

/**
 * Workspace trust for one window. code-server runs with --disable-workspace-trust (so the other scenarios never
 * meet a trust prompt); the flag's only effect is `enableWorkspaceTrust: false` in the web configuration that the
 * server embeds in the workbench page (meta#vscode-workbench-web-configuration[data-settings]). An init script
 * flips it where the workbench reads it, so this window gets exactly what a server without the flag gives; the
 * window's settings then decide (`security.workspace.trust.enabled`, `.startupPrompt`). (Rewriting the page with
 * request interception does not work: Chromium then blocks the workbench's WebSocket to 127.0.0.1 by its local
 * network access checks.) openWindow fails unless the flag was flipped, so a scenario never silently runs trusted.
 */
async function enableWorkspaceTrust(context) {
  await context.addInitScript(() => {
    const get = Element.prototype.getAttribute;
    Element.prototype.getAttribute = function (name) {
      const v = get.call(this, name);
      if (name !== 'data-settings' || this.id !== 'vscode-workbench-web-configuration' || typeof v !== 'string')
        return v;
      const config = JSON.parse(v);
      if (config.enableWorkspaceTrust !== false) return v;
      globalThis.__e2eWorkspaceTrustEnabled = true;
      return JSON.stringify({ ...config, enableWorkspaceTrust: true });
    };
  });
}

/** One VS Code window (browser context + page) on a folder. */
async function openWindow(h, { folder, seq, timeout, waitForTessera, workspaceTrust, exthostsBefore }) {
  const t0 = Date.now();
  const context = await h.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.setDefaultTimeout(10_000);
  const closeHooks = [];
  let closed = false;

  const w = {
    page,
    context,
    folder,
    consoleErrors,
    onClose(fn) {
      closeHooks.push(fn);
    },
    /** Closes the window and ends the extension host it left behind on the server. */
    async close() {
      if (closed) return;
      closed = true;
      const mine = h.extensionHosts().filter((p) => !exthostsBefore.includes(p));
      await withTimeout(context.close(), 10_000, 'closing browser context').catch(() => {});
      // code-server keeps a disconnected window's extension host for minutes (reconnection grace time):
      // end the ones this window started (by pid; they are our own children).
      for (const p of mine) {
        try {
          process.kill(p, 'SIGTERM');
        } catch {
          /* gone */
        }
      }
      for (const fn of closeHooks) fn();
    },
    /** Active editor element. */
    editor() {
      return page.locator('.editor-group-container.active .monaco-editor').first();
    },

    async screenshot(name) {
      await fsp.mkdir(RESULTS_DIR, { recursive: true });
      const file = path.join(RESULTS_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
      await page.screenshot({ path: file, timeout: 10_000 });
      return file;
    },

    /** Opens a workspace file with Quick Open (Ctrl+P); cursor: 'start' | 'end' | {line, column} (1-based). */
    async openFile(rel, { cursor = 'end', timeout: to = 10_000 } = {}) {
      const base = path.basename(rel);
      await w.focusWorkbench();
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: to });
      await input.fill(rel);
      // Wait until the result list shows the file, then open it.
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: base }).first().waitFor({ timeout: to });
      await page.keyboard.press('Enter');
      await page
        .locator(
          `.tabs-container .tab.active[data-resource-name="${base}"], .tabs-container .tab.active:has-text("${base}")`,
        )
        .first()
        .waitFor({ timeout: to });
      const editorFocused = () => page.evaluate(() => !!document.activeElement?.closest('.monaco-editor'));
      // Coming from a webview (the settings panel), VS Code sometimes activates the tab but leaves the focus
      // where it was: focus the active editor group (Ctrl+1) then.
      const focused = await waitFor(editorFocused, { timeout: 3000 }).catch(() => false);
      if (!focused) {
        await page.keyboard.press('Control+1');
        await waitFor(editorFocused, { timeout: to, what: `focus in the editor of ${rel}` });
      }
      if (cursor === 'end') await page.keyboard.press('Control+End');
      else if (cursor === 'start') await page.keyboard.press('Control+Home');
      else if (cursor) await w.goTo(cursor.line, cursor.column ?? 1);
      return w.editor();
    },

    /** Moves the cursor with Go to Line (Ctrl+G) to line:column (1-based). */
    async goTo(line, column = 1) {
      await page.keyboard.press('Control+G');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      // Ctrl+G opens Quick Open in go-to-line mode (value ":"); keep the ":" prefix.
      await input.fill(`:${line}:${column}`);
      await page
        .locator('.quick-input-widget .quick-input-message, .quick-input-widget .monaco-list-row', {
          hasText: `${line}`,
        })
        .first()
        .waitFor({ timeout: 5000 })
        .catch(() => {});
      await page.keyboard.press('Enter');
      await input.waitFor({ state: 'hidden', timeout: 5000 });
      await waitFor(() => page.evaluate(() => !!document.activeElement?.closest('.monaco-editor')), {
        timeout: 5000,
        what: 'focus back in the editor after Go to Line',
      });
    },

    async focusWorkbench() {
      // Quick Open needs the workbench focused (not e.g. a notification).
      await page.locator('.monaco-workbench').waitFor({ timeout: 10_000 });
    },

    /** Types like a user, key by key (\n is Enter). */
    async typeText(text, { delay = 15 } = {}) {
      await page.keyboard.type(text, { delay });
    },

    async pressKey(key) {
      await page.keyboard.press(key);
    },

    /** Runs a command through the command palette (label as shown, e.g. "Trigger Inline Suggestion"). */
    async runCommand(label, { timeout: to = 10_000 } = {}) {
      await page.keyboard.press('Control+Shift+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: to });
      await input.fill(`>${label}`);
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first().waitFor({ timeout: to });
      await page.keyboard.press('Enter');
      await input.waitFor({ state: 'hidden', timeout: to });
    },

    /** Asks VS Code for an inline suggestion at the cursor (Alt+\, editor.action.inlineSuggest.trigger). */
    async triggerSuggest() {
      await page.keyboard.press('Alt+Backslash');
    },

    /**
     * Ghost text currently shown in the active editor ('' if none), all of its lines; nbsp normalized to spaces.
     * VS Code 1.100 draws the first line inline (ghost-text decorations inside the editor's view line) and the
     * further lines in a view zone below it (`.view-zones > div > .suggest-preview-text > .view-line…`, whose
     * inner spans carry the ghost-text class): each zone holding ghost text is read line by line, top to bottom.
     */
    async ghostText() {
      return page.evaluate(() => {
        const ed = document.querySelector('.editor-group-container.active .monaco-editor');
        if (!ed) return '';
        const ghost = '[class*="ghost-text"]';
        const top = (el) => el.getBoundingClientRect().top; // where it is drawn: DOM order need not be line order
        // Inline part (first line): outermost ghost-text decorations inside the view lines.
        const inline = [...ed.querySelectorAll(`.view-lines ${ghost}`)]
          .filter((e) => !e.parentElement?.closest(ghost))
          .map((e) => e.textContent ?? '')
          .join('');
        // Further lines: the view zones (direct children of .view-zones) that hold ghost text.
        const zones = [...(ed.querySelector('.view-zones')?.children ?? [])]
          .filter((z) => z.matches(ghost) || z.querySelector(ghost))
          .sort((a, b) => top(a) - top(b))
          .flatMap((z) => {
            const lines = [...z.querySelectorAll('.view-line')].sort((a, b) => top(a) - top(b));
            return lines.length ? lines.map((l) => l.textContent ?? '') : [z.textContent ?? ''];
          });
        const text = zones.length ? [inline, ...zones].join('\n') : inline;
        return text.replace(/\u00a0/g, ' ');
      });
    },

    /** Waits until ghost text is visible and stable; returns it. */
    async waitForGhostText(to = 5000) {
      let last = '';
      let stableSince = 0;
      return waitFor(
        async () => {
          const g = await w.ghostText();
          if (!g) {
            last = '';
            return false;
          }
          if (g !== last) {
            last = g;
            stableSince = Date.now();
            return false;
          }
          return Date.now() - stableSince >= 150 ? g : false; // streamed text settles
        },
        { timeout: to, interval: 50, what: 'ghost text' },
      );
    },

    async waitForNoGhostText(to = 3000) {
      await waitFor(async () => (await w.ghostText()) === '', {
        timeout: to,
        interval: 50,
        what: 'ghost text to disappear',
      });
    },

    /** Text of the active editor's visible lines without ghost text (for short files; disk is authoritative). */
    async editorText() {
      return page.evaluate(() => {
        const ed = document.querySelector('.editor-group-container.active .monaco-editor');
        const lines = [...(ed?.querySelectorAll('.view-lines .view-line') ?? [])]
          .map((l) => {
            const c = l.cloneNode(true);
            c.querySelectorAll('[class*="ghost-text"]').forEach((g) => g.remove());
            return { top: parseFloat(l.style.top) || 0, text: c.textContent ?? '' };
          })
          .sort((a, b) => a.top - b.top);
        return lines
          .map((l) => l.text)
          .join('\n')
          .replace(/\u00a0/g, ' ');
      });
    },

    /** Saves the active editor (Ctrl+S), waits until it is no longer dirty, returns the file from disk. */
    async saveAndRead(rel, { timeout: to = 5000 } = {}) {
      const file = path.isAbsolute(rel) ? rel : path.join(folder, rel);
      await page.keyboard.press('Control+S');
      await waitFor(async () => (await page.locator('.tabs-container .tab.active.dirty').count()) === 0, {
        timeout: to,
        what: `${rel} saved (tab not dirty)`,
      });
      await sleep(100);
      return fsp.readFile(file, 'utf8');
    },

    /** Waits for Tessera's status bar item (present once the extension is active). */
    async waitForTessera(to = 30_000) {
      await page.locator('.statusbar [aria-label^="Tessera "]').first().waitFor({ state: 'attached', timeout: to });
    },

    /** aria-label of Tessera's status bar item. */
    async tesseraStatus() {
      return page
        .locator('.statusbar [aria-label^="Tessera "]')
        .first()
        .getAttribute('aria-label', { timeout: 2000 })
        .catch(() => null);
    },
  };

  try {
    const u = `${h.url}/?folder=${encodeURIComponent(folder)}`;
    if (workspaceTrust) await enableWorkspaceTrust(context);
    await page.goto(u, { timeout, waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor({ timeout });
    if (workspaceTrust && !(await page.evaluate(() => globalThis.__e2eWorkspaceTrustEnabled === true))) {
      throw new Error('workspaceTrust: the workbench read no enableWorkspaceTrust:false to flip');
    }
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout });
    const tWb = Date.now() - t0;
    if (waitForTessera) await w.waitForTessera(timeout);
    h.log(`window ${seq}: workbench ${tWb} ms, Tessera active ${Date.now() - t0} ms`);
  } catch (err) {
    await w.screenshot(`window-${seq}-startup-failure`).catch(() => {});
    await w.close();
    throw err;
  }
  return w;
}
