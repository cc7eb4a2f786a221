#!/usr/bin/env node
// `npm start`: build Tessera, make sure code-server is installed, and run a real VS Code (code-server) on
// 127.0.0.1 with Tessera loaded and a sample workspace. Runs until Ctrl+C.
//
//   npm start                          # http://127.0.0.1:8080 (or a free port if 8080 is taken)
//   TESSERA_PORT=9000 npm start        # a fixed port
//   npm start -- --fake-model          # also a loopback stand-in model server on 127.0.0.1:8012
//   npm start -- --watch               # rebuild on change (reload the window to pick it up)
//   npm start -- --folder /some/dir    # open another folder instead of the sample workspace
//
// State lives in .tessera-run/ (gitignored): user data (settings, secrets), extensions dir, and a copy of
// samples/workspace/ made on first start (your edits there survive restarts; delete it to reset).
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUN = path.join(REPO, '.tessera-run');
const CODE_SERVER_ENTRY = path.join(REPO, '.vscode-test/code-server/node_modules/code-server/out/node/entry.js');
const args = process.argv.slice(2);
const flag = (f) => args.includes(f);
const option = (f) => { const i = args.indexOf(f); return i >= 0 ? args[i + 1] : undefined; };
const say = (...a) => console.log('[start]', ...a);

if (flag('--help') || flag('-h')) {
  console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 12).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
}

// 1. Build.
say('building the extension');
execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: REPO, stdio: 'inherit' });

// 2. code-server, Chromium etc. (a no-op when present).
execFileSync(path.join(REPO, 'scripts/ensure-e2e.sh'), { stdio: 'inherit' });

// 3. Dirs, extension, workspace.
const dirs = {
  userData: path.join(RUN, 'user-data'),
  extensions: path.join(RUN, 'extensions'),
  xdgConfig: path.join(RUN, 'xdg-config'),
  xdgData: path.join(RUN, 'xdg-data'),
  xdgCache: path.join(RUN, 'xdg-cache'),
};
for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });

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

const userSettings = path.join(dirs.userData, 'User', 'settings.json');
if (!fs.existsSync(userSettings)) {
  fs.mkdirSync(path.dirname(userSettings), { recursive: true });
  fs.writeFileSync(userSettings, JSON.stringify({
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'security.workspace.trust.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
  }, null, 2));
}

let folder = option('--folder');
if (folder) folder = path.resolve(folder);
else {
  folder = path.join(RUN, 'workspace');
  if (!fs.existsSync(folder)) {
    fs.cpSync(path.join(REPO, 'samples/workspace'), folder, { recursive: true });
    say(`sample workspace copied to ${path.relative(REPO, folder)}/`);
  }
}

// 4. Port.
const portFree = (port) => new Promise((resolve) => {
  const s = net.createServer();
  s.once('error', () => resolve(false));
  s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
});
let port = Number(process.env.TESSERA_PORT ?? 8080);
if (!(await portFree(port))) {
  if (process.env.TESSERA_PORT) { console.error(`[start] port ${port} (TESSERA_PORT) is in use`); process.exit(1); }
  port = await new Promise((resolve) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
  say(`port 8080 is in use; using ${port}`);
}

// 5. Optional extras: a fake model server, esbuild --watch.
const children = [];
let fakeModel;
if (flag('--fake-model')) {
  const { startModelServer } = await import('../test/e2e/model-server.mjs');
  // Completes the holes of the sample files; empty otherwise.
  const answers = [
    [/def area\(self\) -> float:\n\s+$/, 'return self.width * self.height'],
    [/total\(\): number \{\n\s+$/, 'return this.items.reduce((sum, i) => sum + i.price * i.quantity, 0);'],
    [/if \(n < 2\) return n;\n\s+$/, 'return fibonacci(n - 1) + fibonacci(n - 2);'],
    [/runes := \[\]rune\(s\)\n\s+$/, 'for i, j := 0, len(runes)-1; i < j; i, j = i+1, j-1 {\n\t\trunes[i], runes[j] = runes[j], runes[i]\n\t}'],
    [/fn gcd\(a: u64, b: u64\) -> u64 \{\n\s+$/, 'if b == 0 { a } else { gcd(b, a % b) }'],
  ];
  try {
    fakeModel = await startModelServer({
      port: 8012,
      // Also continues an answer the user has started typing at the gap ("ret" → "urn self.width * …").
      respond: (body) => {
        const prompt = String(body?.prompt ?? '');
        for (const [re, answer] of answers) {
          for (let k = 0; k <= answer.length; k++) {
            if (!prompt.endsWith(answer.slice(0, k))) break;
            if (re.test(prompt.slice(0, prompt.length - k))) return answer.slice(k);
          }
        }
        return '';
      },
    });
    say(`fake model server on ${fakeModel.baseUrl} (completes the sample files' gaps)`);
  } catch (err) {
    say(`could not start the fake model server on 8012: ${err.message}`);
  }
}
if (flag('--watch')) {
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
      }
      catch (err) { say(`could not copy the rebuilt extension: ${err.message}`); }
    }, 500);
  });
}

// 6. code-server.
const cs = spawn(process.execPath, [
  CODE_SERVER_ENTRY,
  '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
  '--disable-workspace-trust', '--disable-getting-started-override',
  '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions,
  folder,
], {
  cwd: REPO,
  detached: true, // its own process group, so Ctrl+C here can end the whole tree
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData, XDG_CACHE_HOME: dirs.xdgCache },
});
const csLog = fs.createWriteStream(path.join(RUN, 'code-server.log'), { flags: 'a' });
cs.stdout.pipe(csLog);
cs.stderr.pipe(csLog);

const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
let ready = false;
const started = Date.now();
const poll = setInterval(async () => {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
    if (res.ok && !ready) {
      ready = true;
      clearInterval(poll);
      say(`VS Code (code-server ${'4.100.3'}) with Tessera ${pkg.version} is ready in ${Date.now() - started} ms:`);
      console.log(`\n    ${url}\n`);
      say(`folder: ${folder}`);
      say(`logs: ${path.relative(REPO, path.join(RUN, 'code-server.log'))}, Tessera's own log: Output panel → "Tessera"`);
      say('Ctrl+C to stop');
    }
  } catch { /* not yet */ }
  if (!ready && Date.now() - started > 60_000) { say('code-server did not come up within 60 s; see .tessera-run/code-server.log'); shutdown(1); }
}, 250);

let stopping = false;
function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  clearInterval(poll);
  say('stopping');
  for (const c of children) { try { c.kill('SIGTERM'); } catch { /* gone */ } }
  fakeModel?.close();
  try { process.kill(-cs.pid, 'SIGTERM'); } catch { /* gone */ }
  const force = setTimeout(() => { try { process.kill(-cs.pid, 'SIGKILL'); } catch { /* gone */ } process.exit(code); }, 5000);
  cs.once('exit', () => { clearTimeout(force); process.exit(code); });
  if (cs.exitCode !== null || cs.signalCode !== null) process.exit(code);
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
cs.on('exit', (code, signal) => {
  if (stopping) return;
  say(`code-server exited (${signal ?? code}); see .tessera-run/code-server.log`);
  stopping = true;
  for (const c of children) { try { c.kill('SIGTERM'); } catch { /* gone */ } }
  fakeModel?.close();
  process.exit(code || 1);
});
