#!/usr/bin/env node
// `npm start`: build Tessera, make sure code-server is installed, choose a backend, and run a real VS Code
// (code-server) on 127.0.0.1 with Tessera loaded and a sample workspace, until Ctrl+C (or SIGTERM, to this
// process or to npm). See HELP below.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerArgs } from './code-server.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_SERVER_URL = 'http://127.0.0.1:8012/v1';

const HELP = `npm start [-- options]
Builds Tessera and opens a real VS Code (code-server) on 127.0.0.1 with Tessera and a sample workspace.

The backend, unless an option chooses it: a server on the sample profile's port (${DEFAULT_SERVER_URL})
when one answers there; otherwise the built-in model (Qwen2.5-Coder 0.5B, about 530 MB) run inside VS Code,
downloaded once from the terminal before VS Code opens into the per-user model cache
(~/.cache/tessera/models on Linux, ~/Library/Caches/tessera/models on macOS, %LOCALAPPDATA%\\tessera\\models
on Windows), which later starts and the Tessera extension of the same user share.

  --model FILE.gguf   run this GGUF model inside VS Code (the embedded backend)
  --server URL        use the server at URL: llama.cpp, Ollama or OpenAI-compatible (the kind is detected)
  --fake-model        a loopback stand-in server that only completes the sample files' gaps (demos)
  --folder DIR        open DIR instead of the sample workspace
  --reset             fresh copy of the samples and fresh VS Code state (the model cache is kept)
  --watch             rebuild on change (reload the window to pick it up)
  --help              this text

Each start sets tessera.backends in its VS Code's user settings from these options.

Environment:
  TESSERA_PORT          VS Code's port (default 8080, or a free one)
  TESSERA_MODEL_URL     download the default model from this URL instead (a mirror) ...
  TESSERA_MODEL_SHA256  ... whose file must have this SHA-256
  TESSERA_MODEL_CACHE   the model cache folder
  TESSERA_RUN_DIR       VS Code's state and the sample copy (default ~/.local/state/tessera/start)
  TESSERA_SERVER_URL    where to look for a server (default ${DEFAULT_SERVER_URL}); --fake-model listens there
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY, NODE_EXTRA_CA_CERTS  used by the download`;

// ── options ──────────────────────────────────────────────────────────────────────────────────────────────
const FLAGS = new Set(['--fake-model', '--reset', '--watch', '--help', '-h']);
const VALUED = new Set(['--model', '--server', '--folder']);
const opts = {};
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [name, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    if (FLAGS.has(name)) opts[name] = true;
    else if (VALUED.has(name)) {
      const v = inline ?? argv[++i];
      if (!v) fatal(`${name} needs a value (npm start -- --help)`);
      opts[name] = v;
    } else fatal(`unknown option ${a} (npm start -- --help lists them)`);
  }
}
if (opts['--help'] || opts['-h']) {
  console.log(HELP);
  process.exit(0);
}
if ([opts['--model'], opts['--server'], opts['--fake-model']].filter(Boolean).length > 1) {
  fatal('choose one of --model, --server and --fake-model');
}

function say(...a) {
  console.log('[start]', ...a);
}
function fatal(msg) {
  console.error(`[start] ${msg}`);
  process.exit(2);
}

/** Per-user folder for VS Code's state and the sample copy: outside the repository, so the sample's language
 *  services never see Tessera's own node_modules. */
function runDir() {
  if (process.env.TESSERA_RUN_DIR) return path.resolve(process.env.TESSERA_RUN_DIR);
  const home = os.homedir();
  if (process.platform === 'win32')
    return path.join(process.env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'tessera', 'start');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'tessera', 'start');
  const state =
    process.env.XDG_STATE_HOME && path.isAbsolute(process.env.XDG_STATE_HOME)
      ? process.env.XDG_STATE_HOME
      : path.join(home, '.local', 'state');
  return path.join(state, 'tessera', 'start');
}

// ── stopping: Ctrl+C, SIGTERM, and npm's own end ─────────────────────────────────────────────────────────────
// npm forwards SIGINT/SIGTERM to its child, a `sh -c` that would keep them from this process: package.json
// `exec`s node so this process is that child. Should the parent still go away (npm killed outright), this process
// is re-parented: the parent is watched too, and when it goes, everything stops.
const children = [];
const cleanups = [];
// Assigned once code-server is spawned (below); the exit handler reads it before and after that.
// eslint-disable-next-line prefer-const
let cs;
let stopping = false;
const startAbort = new AbortController();
function shutdown(code = 0, why = 'stopping') {
  if (stopping) return;
  stopping = true;
  startAbort.abort();
  say(why);
  for (const c of children) {
    try {
      c.kill('SIGTERM');
    } catch {
      /* gone */
    }
  }
  for (const f of cleanups) {
    try {
      f();
    } catch {
      /* best effort */
    }
  }
  if (!cs || cs.exitCode !== null || cs.signalCode !== null) process.exit(code);
  try {
    process.kill(-cs.pid, 'SIGTERM');
  } catch {
    /* gone */
  }
  const force = setTimeout(() => {
    try {
      process.kill(-cs.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    process.exit(code);
  }, 5000);
  cs.once('exit', () => {
    clearTimeout(force);
    process.exit(code);
  });
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => shutdown(0, `${sig}: stopping`));
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) shutdown(0, 'the parent process (npm) ended: stopping');
}, 500).unref();

// ── 1. build (when the sources changed), code-server and Chromium's dependencies ────────────────────────────
function newest(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of fs.readdirSync(p)) m = Math.max(m, newest(path.join(p, e)));
  return m;
}
const built = ['dist/extension.js', 'dist/start.js', 'dist/embedded-worker.mjs'].map((f) => path.join(REPO, f));
const builtAt = Math.min(...built.map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0)));
const sourcesAt = Math.max(
  newest(path.join(REPO, 'src')),
  ...['package.json', 'esbuild.config.mjs'].map((f) => fs.statSync(path.join(REPO, f)).mtimeMs),
);
if (sourcesAt > builtAt || opts['--watch']) {
  say('building the extension');
  execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: REPO, stdio: 'inherit' });
}
execFileSync(path.join(REPO, 'scripts/ensure-e2e.sh'), { stdio: 'inherit' });
const require = createRequire(import.meta.url);
const start = require('../dist/start.js');

// ── 2. state: VS Code's user data, extensions, the sample copy ──────────────────────────────────────────────
const RUN = runDir();
const dirs = {
  userData: path.join(RUN, 'user-data'),
  extensions: path.join(RUN, 'extensions'),
  xdgConfig: path.join(RUN, 'xdg-config'),
  xdgData: path.join(RUN, 'xdg-data'),
  xdgCache: path.join(RUN, 'xdg-cache'),
};
const sampleCopy = path.join(RUN, 'workspace');
if (opts['--reset']) {
  // Only what this script creates (TESSERA_RUN_DIR may point anywhere).
  for (const d of [...Object.values(dirs), sampleCopy]) fs.rmSync(d, { recursive: true, force: true });
  say(`reset: fresh samples and VS Code state in ${RUN} (the model cache is kept)`);
}
for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
if (fs.existsSync(path.join(REPO, '.tessera-run')))
  say(`${path.join(REPO, '.tessera-run')} (the old place of this state) is no longer used: delete it`);

const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
// Copies package.json + dist/ into the extensions dir (symlinks for grammars/, media/, node_modules/).
const { installExtension } = await import('../test/e2e/harness.mjs');
const current = installExtension(dirs.extensions);
for (const e of fs.readdirSync(dirs.extensions)) {
  // Earlier versions we put there (rm never follows the symlinks inside).
  if (e.toLowerCase().startsWith(`${current.id.toLowerCase()}-`) && path.join(dirs.extensions, e) !== current.dir) {
    fs.rmSync(path.join(dirs.extensions, e), { recursive: true, force: true });
  }
}

const folder = opts['--folder'] ? path.resolve(opts['--folder']) : sampleCopy;
if (!opts['--folder'] && !fs.existsSync(sampleCopy)) {
  fs.cpSync(path.join(REPO, 'samples/workspace'), sampleCopy, { recursive: true });
  say(`sample workspace copied to ${sampleCopy} (npm start -- --reset restores it)`);
}

// ── 3. port ─────────────────────────────────────────────────────────────────────────────────────────────────
const portFree = (port) =>
  new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
let port = Number(process.env.TESSERA_PORT ?? 8080);
if (!(await portFree(port))) {
  if (process.env.TESSERA_PORT) fatal(`port ${port} (TESSERA_PORT) is in use`);
  port = await new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
  say(`port 8080 is in use; using ${port}`);
}

// ── 4. the backend ───────────────────────────────────────────────────────────────────────────────────────────
const serverUrl = process.env.TESSERA_SERVER_URL || DEFAULT_SERVER_URL;
let backends = [];
let backendLine;
if (opts['--fake-model']) {
  const { startFakeModel } = await import('./fake-model.mjs');
  try {
    const fake = await startFakeModel(Number(new URL(serverUrl).port || 80));
    cleanups.push(() => fake.close());
    backends = [{ name: 'fake-model', kind: 'openai', baseUrl: fake.baseUrl, model: 'm', fimTemplate: 'native' }];
    backendLine = `a fake model server on ${fake.baseUrl} (it completes the sample files' gaps only)`;
  } catch (err) {
    fatal(`could not start the fake model server on ${serverUrl}: ${err.message}`);
  }
} else if (opts['--server']) {
  const found = await start.detectServer(opts['--server'], { env: process.env, signal: startAbort.signal });
  if (!found.ok) fatal(`--server: ${found.message}`);
  backends = [found.profile];
  backendLine = found.description;
} else if (opts['--model']) {
  const file = path.resolve(opts['--model']);
  try {
    const info = await start.readGgufInfo(file);
    if (!info.fim)
      fatal(
        `--model: ${file} has no fill-in-the-middle tokens: use a FIM-trained code model (e.g. Qwen2.5-Coder base)`,
      );
    backendLine = `${file} inside VS Code (${info.name ?? info.architecture}, ${start.formatBytes(info.fileBytes)})`;
  } catch (err) {
    fatal(`--model: ${err.message}`);
  }
  backends = [{ name: 'model', kind: 'embedded', modelPath: file }];
} else {
  const found = await start.detectServer(serverUrl, { env: process.env, timeoutMs: 1500, signal: startAbort.signal });
  if (found.ok) {
    backends = [{ ...found.profile, name: 'local' }];
    backendLine = `${found.description} (found on the sample profile's port)`;
  } else {
    say(`no server on ${serverUrl}: using the built-in model`);
    const model = await start.ensureDefaultModel({
      env: process.env,
      out: { write: (t) => process.stdout.write(t), isTTY: !!process.stdout.isTTY },
      signal: startAbort.signal,
    });
    if (model.ok)
      backendLine = `the built-in model ${model.path} inside VS Code${model.downloaded ? '' : ' (from the cache)'}`;
    else {
      console.log(`\n${model.paragraph}\n`);
      backendLine = `none yet: ${model.line}`;
    }
    backends = []; // no profile: the extension's zero-setup path runs the built-in model from the shared cache
  }
}

// ── 5. user settings: the recipe's quiet workbench, and the backend chosen above ────────────────────────────
const userSettings = path.join(dirs.userData, 'User', 'settings.json');
fs.mkdirSync(path.dirname(userSettings), { recursive: true });
let settings = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};
if (fs.existsSync(userSettings)) {
  try {
    settings = parseJsonc(fs.readFileSync(userSettings, 'utf8'));
  } catch (err) {
    fatal(`${userSettings} is not valid JSON (${err.message}): fix it, or start with --reset`);
  }
}
settings['tessera.backends'] = backends;
settings['tessera.activeBackend'] = backends[0]?.name ?? '';
fs.writeFileSync(userSettings, `${JSON.stringify(settings, null, 2)}\n`);

/** settings.json may have comments and trailing commas (VS Code allows them). */
function parseJsonc(text) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i));
      if (!m) throw new Error('unterminated string');
      out += m[0];
      i += m[0].length - 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1') || '{}');
}

// ── 6. esbuild --watch ───────────────────────────────────────────────────────────────────────────────────────
if (opts['--watch']) {
  children.push(spawn(process.execPath, ['esbuild.config.mjs', '--watch'], { cwd: REPO, stdio: 'inherit' }));
  // Re-copy dist/ into the extensions dir after each rebuild; "Developer: Reload Window" picks it up.
  let timer;
  let copied = fs.statSync(path.join(REPO, 'dist/extension.js')).mtimeMs;
  fs.watch(path.join(REPO, 'dist'), () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      try {
        const m = fs.statSync(path.join(REPO, 'dist/extension.js')).mtimeMs;
        if (m === copied) return;
        copied = m;
        installExtension(dirs.extensions);
        say('rebuilt: reload the window (Developer: Reload Window) to use it');
      } catch (err) {
        say(`could not copy the rebuilt extension: ${err.message}`);
      }
    }, 500);
  });
}

// ── 7. code-server ───────────────────────────────────────────────────────────────────────────────────────────
const csLogPath = path.join(RUN, 'code-server.log');
cs = spawn(process.execPath, codeServerArgs(port, dirs, [folder]), {
  cwd: RUN,
  detached: true, // its own process group, so stopping ends the whole tree
  stdio: ['ignore', 'pipe', 'pipe'],
  env: {
    ...process.env,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    // code-server's own XDG folders are private to this run; the model cache is the user's, shared.
    TESSERA_MODEL_CACHE: start.modelCacheDir(process.env),
  },
});
fs.writeFileSync(path.join(RUN, 'code-server.pid'), String(cs.pid));
const csLog = fs.createWriteStream(csLogPath, { flags: 'a' });
cs.stdout.pipe(csLog);
cs.stderr.pipe(csLog);
// code-server has exited by now, so shutdown() stops the rest and exits at once.
cs.on('exit', (code, signal) => shutdown(code || 1, `code-server exited (${signal ?? code}); see ${csLogPath}`));

const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
let ready = false;
const started = Date.now();
const poll = setInterval(async () => {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
    if (res.ok && !ready && !stopping) {
      ready = true;
      clearInterval(poll);
      say(`VS Code (code-server 4.100.3) with Tessera ${pkg.version} is ready in ${Date.now() - started} ms:`);
      console.log(`\n    ${url}\n`);
      say(`folder: ${folder}`);
      say(`backend: ${backendLine}`);
      say(`logs: ${csLogPath}; Tessera's own log: Output panel → "Tessera"`);
      say('Ctrl+C to stop');
    }
  } catch {
    /* not yet */
  }
  if (!ready && Date.now() - started > 60_000) {
    clearInterval(poll);
    shutdown(1, `code-server did not come up within 60 s; see ${csLogPath}`);
  }
}, 250);
cleanups.push(() => clearInterval(poll));
