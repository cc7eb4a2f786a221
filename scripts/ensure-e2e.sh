#!/usr/bin/env bash
# Make sure the real-VS-Code E2E environment is present (see /work/shared/E2E-RECIPE.md):
#   - Debian packages: chromium, ripgrep, libkrb5-dev
#   - code-server@4.100.3 in .vscode-test/code-server/ (its own package.json, not the project's deps)
# Idempotent; when everything is already there it returns in well under a second.
# Works on a fresh Debian 12 / Node 20 machine as root with only the npm registry and apt reachable.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
RIPGREP_CACHE_VERSION=1.15.11                      # @vscode/ripgrep version used by code-server 4.100.3
RIPGREP_ARCHIVE=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CS_DIR="$ROOT/.vscode-test/code-server"
CS_MARKER="$CS_DIR/.installed-$CODE_SERVER_VERSION"
APT_PKGS=(chromium ripgrep libkrb5-dev)

log() { echo "[ensure-e2e] $*"; }

have_apt_pkgs() {
  command -v chromium >/dev/null 2>&1 || return 1
  command -v rg >/dev/null 2>&1 || return 1
  [ -e /usr/include/krb5.h ] || [ -e /usr/include/krb5/krb5.h ] || return 1
}
have_code_server() {
  [ -f "$CS_MARKER" ] && [ -x "$CS_DIR/node_modules/.bin/code-server" ]
}

# Fast path: nothing to do.
if have_apt_pkgs && have_code_server; then
  exit 0
fi

mkdir -p "$ROOT/.vscode-test"
# Serialize concurrent runs (several engineers / scenarios may call this at once).
exec 9>"$ROOT/.vscode-test/.ensure-e2e.lock"
flock 9

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
fi

if ! have_apt_pkgs; then
  log "installing Debian packages: ${APT_PKGS[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! $SUDO apt-get install -y -q "${APT_PKGS[@]}" >/tmp/ensure-e2e-apt.log 2>&1; then
    log "apt-get install failed; running apt-get update and retrying"
    $SUDO apt-get update -q >>/tmp/ensure-e2e-apt.log 2>&1
    $SUDO apt-get install -y -q "${APT_PKGS[@]}" >>/tmp/ensure-e2e-apt.log 2>&1 || {
      tail -20 /tmp/ensure-e2e-apt.log; log "apt-get install failed (log: /tmp/ensure-e2e-apt.log)"; exit 1; }
  fi
  have_apt_pkgs || { log "packages installed but chromium/rg/krb5.h still missing"; exit 1; }
  log "Debian packages ok"
fi

if ! have_code_server; then
  log "installing code-server@$CODE_SERVER_VERSION into .vscode-test/code-server (~1-2 min)"
  mkdir -p "$CS_DIR"
  if [ ! -f "$CS_DIR/package.json" ]; then
    cat >"$CS_DIR/package.json" <<EOF
{
  "name": "tessera-e2e-code-server",
  "private": true,
  "description": "code-server for Tessera's E2E tests; installed by scripts/ensure-e2e.sh, not a project dependency"
}
EOF
  fi
  # @vscode/ripgrep downloads rg from GitHub unless it finds a cached archive in $TMPDIR.
  export TMPDIR="${TMPDIR:-/tmp}"
  RG_CACHE="$TMPDIR/vscode-ripgrep-cache-$RIPGREP_CACHE_VERSION"
  if [ ! -f "$RG_CACHE/$RIPGREP_ARCHIVE" ]; then
    mkdir -p "$RG_CACHE"
    tar czf "$RG_CACHE/$RIPGREP_ARCHIVE" -C "$(dirname "$(command -v rg)")" rg
  fi
  export npm_config_unsafe_perm=true   # code-server's postinstall refuses root without it
  export npm_config_yes=true           # node-pty's postinstall runs `npx node-gyp`
  export npm_config_nodedir=/usr       # build native modules against the local Node headers
  export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
  LOG="$ROOT/.vscode-test/code-server-install.log"
  if ! (cd "$CS_DIR" && npm install "code-server@$CODE_SERVER_VERSION" --save-exact --foreground-scripts >"$LOG" 2>&1); then
    tail -30 "$LOG"; log "npm install code-server failed (log: $LOG)"; exit 1
  fi
  [ -x "$CS_DIR/node_modules/.bin/code-server" ] || { log "code-server binary missing after install"; exit 1; }
  touch "$CS_MARKER"
  log "code-server $CODE_SERVER_VERSION ok"
fi
