// Runs `npm start` as a user does, for the start scenarios: its own run dir and model cache (fresh temp
// folders), a free port, and no server on the sample profile's port. Output is collected for assertions; the
// process can be signalled like a user or a process manager would (npm alone), and is always cleaned up.
//
//   const s = await runStart(['--model', file], { env, settings });
//   await s.waitForOutput(/ready in \d+ ms/);   s.url, s.folder, s.output
//   await s.signalNpm('SIGTERM'); await s.waitForExit();  s.codeServerAlive()
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BASE_USER_SETTINGS, LITERAL_TYPING_SETTINGS, REPO, freePort, readTesseraLogs, waitFor } from './harness.mjs';

/**
 * options: env (over the defaults below), settings (user settings written before the first start), root (reuse a
 * earlier start's folders), defaultRunDir (no TESSERA_RUN_DIR: HOME is a fresh folder, so the per-user default
 * place is used and checked).
 */
export async function runStart(
  args = [],
  { env = {}, settings = {}, root, defaultRunDir = false, log = () => {} } = {},
) {
  root ??= await fsp.mkdtemp(path.join(os.tmpdir(), 'tessera-start-'));
  const home = path.join(root, 'home');
  const runDir = defaultRunDir ? path.join(home, '.local', 'state', 'tessera', 'start') : path.join(root, 'run');
  const userSettings = path.join(runDir, 'user-data', 'User', 'settings.json');
  if (!fs.existsSync(userSettings)) {
    // The recipe's quiet, literal editor (npm start keeps keys it does not manage).
    fs.mkdirSync(path.dirname(userSettings), { recursive: true });
    fs.writeFileSync(
      userSettings,
      JSON.stringify({ ...BASE_USER_SETTINGS, ...LITERAL_TYPING_SETTINGS, ...settings }, null, 2),
    );
  }
  const port = await freePort();
  const closedPort = await freePort(); // nothing listens there: "no server on the sample profile's port"
  const child = spawn('npm', ['start', '--silent', ...(args.length ? ['--', ...args] : [])], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TESSERA_PORT: String(port),
      ...(defaultRunDir
        ? { HOME: home, XDG_STATE_HOME: undefined, TESSERA_RUN_DIR: undefined }
        : { TESSERA_RUN_DIR: runDir }),
      TESSERA_MODEL_CACHE: path.join(root, 'cache'),
      TESSERA_SERVER_URL: `http://127.0.0.1:${closedPort}/v1`,
      ...env,
    },
  });
  const s = {
    root,
    runDir,
    port,
    child,
    output: '',
    exit: null,
    url: undefined,
    folder: path.join(runDir, 'workspace'),
    modelCache: path.join(root, 'cache'),
    async waitForOutput(re, timeout = 60_000) {
      return waitFor(
        () =>
          re.exec(s.output) ??
          (s.exit ? Promise.reject(new Error(`npm start exited (${JSON.stringify(s.exit)}):\n${s.output}`)) : false),
        { timeout, interval: 100, what: `npm start output ${re}` },
      ).catch((e) => {
        throw new Error(`${e.message}\n--- npm start output:\n${s.output}`);
      });
    },
    async ready(timeout = 120_000) {
      const m = await s.waitForOutput(/^\s+(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)/m, timeout);
      s.url = `http://127.0.0.1:${port}`;
      return m[1];
    },
    codeServerPid() {
      try {
        return Number(fs.readFileSync(path.join(runDir, 'code-server.pid'), 'utf8'));
      } catch {
        return undefined;
      }
    },
    codeServerAlive() {
      const pid = s.codeServerPid();
      if (!pid) return false;
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    },
    /** Signals npm only (not its process group): what a process manager or `kill <pid>` does. */
    signalNpm(sig) {
      process.kill(child.pid, sig);
    },
    async waitForExit(timeout = 15_000) {
      await waitFor(() => s.exit, { timeout, what: 'npm start to exit' });
    },
    /** Tessera's output-channel logs in that VS Code. */
    tesseraLogs() {
      return readTesseraLogs(path.join(runDir, 'user-data'), runDir);
    },
    /** Stops everything this start left (code-server by its pid file), keeps nothing but `keep`. */
    async cleanup({ removeRoot = true } = {}) {
      if (!s.exit) {
        try {
          child.kill('SIGTERM');
        } catch {
          /* gone */
        }
        await s.waitForExit(10_000).catch(() => {});
      }
      const pid = s.codeServerPid();
      if (pid && s.codeServerAlive()) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      if (removeRoot) await fsp.rm(root, { recursive: true, force: true }).catch(() => {});
    },
  };
  const collect = (b) => {
    s.output += b.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  child.on('exit', (code, signal) => {
    s.exit = { code, signal };
    log(`npm start exited (${signal ?? code})`);
  });
  return s;
}
