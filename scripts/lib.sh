# Shared by scripts/demo.sh and scripts/test.sh (sourced, bash). Each ensure_* step is idempotent and
# skips work that is already done, so a second run is fast; a fresh clone on a fresh machine gets
# everything it needs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
STAMPS="$VENV/.tokentoss-stamps"
cd "$ROOT"

# The venv's tools come first (jupyter, jupyter-builder, ruff, mypy, pytest).
export PATH="$VENV/bin:$ROOT/node_modules/.bin:$PATH"
export PIP_DISABLE_PIP_VERSION_CHECK=1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

STAGE_NAMES=()
STAGE_SECONDS=()

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

banner() {
  local line='========================================================================'
  printf '\n%s\n  %s\n%s\n' "$line" "$*" "$line"
}

print_timings() {
  local i total=0
  printf '\n%-28s %8s\n' 'stage' 'seconds'
  for i in "${!STAGE_NAMES[@]}"; do
    printf '%-28s %8s\n' "${STAGE_NAMES[$i]}" "${STAGE_SECONDS[$i]}"
    total=$((total + STAGE_SECONDS[i]))
  done
  printf '%-28s %8s\n' 'total' "$total"
}

# stage NAME COMMAND...: run one stage with a banner and its duration; stop everything on failure.
stage() {
  local name="$1" start rc
  shift
  banner "$name"
  start=$SECONDS
  # A subshell outside any `||` / `if` context, so that `set -e` really stops a failing stage.
  set +e
  (
    set -e
    "$@"
  )
  rc=$?
  set -e
  STAGE_NAMES+=("$name")
  STAGE_SECONDS+=($((SECONDS - start)))
  if [ "$rc" -ne 0 ]; then
    print_timings
    banner "FAILED: $name (exit $rc)"
    exit "$rc"
  fi
  say "$name: ok ($((SECONDS - start)) s)"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "need root for: $*" >&2
    return 1
  fi
}

# hash_of FILE...: a digest of the files' contents (to know when an install is stale).
hash_of() { cat "$@" 2>/dev/null | sha256sum | cut -d' ' -f1; }

stamp_ok() { [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$2" ]; }
stamp_set() { mkdir -p "$STAMPS" && printf '%s' "$2" >"$STAMPS/$1"; }

ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "Node.js 20.19+ and npm are needed (https://nodejs.org/)." >&2
    return 1
  fi
  # oauth2-mock-server 8 needs ^20.19 (or a newer major).
  if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
    echo "Node.js $(node --version) is too old: tokentoss needs 20.19 or newer." >&2
    return 1
  fi
}

# The Python venv with the build tools (jupyterlab brings jupyter-builder for the JS build).
ensure_venv() {
  # A venv without pip (python3-venv missing when it was made) is as good as none.
  if ! "$PY" -m pip --version >/dev/null 2>&1; then
    rm -rf "$VENV"
    if ! python3 -m venv "$VENV"; then
      say "python3 -m venv failed: installing python3-venv"
      as_root apt-get update -q
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv
      rm -rf "$VENV"
      python3 -m venv "$VENV"
    fi
  fi
  local want
  want="$(hash_of "$ROOT/pyproject.toml")-build"
  if ! stamp_ok venv-build "$want"; then
    "$PY" -m pip install -q --upgrade pip
    "$PY" -m pip install -q 'hatchling>=1.21' 'hatch-nodejs-version>=0.3.2' \
      'hatch-jupyter-builder>=0.5' editables 'jupyterlab>=4.6,<5'
    stamp_set venv-build "$want"
  fi
}

# Node dependencies from package-lock.json (npm ci only when the lock file changed).
ensure_npm() {
  local want
  want="$(hash_of "$ROOT/package-lock.json")"
  if [ -d "$ROOT/node_modules" ] && [ "$(cat "$ROOT/node_modules/.tokentoss-lock" 2>/dev/null)" = "$want" ]; then
    say "node_modules up to date"
    return 0
  fi
  npm ci --no-audit --no-fund
  printf '%s' "$want" >"$ROOT/node_modules/.tokentoss-lock"
}

# The UI test project's dependencies (Galata + Playwright, no browser download).
ensure_ui_npm() {
  local want
  want="$(hash_of "$ROOT/ui-tests/package-lock.json")"
  if [ -d "$ROOT/ui-tests/node_modules" ] &&
    [ "$(cat "$ROOT/ui-tests/node_modules/.tokentoss-lock" 2>/dev/null)" = "$want" ]; then
    say "ui-tests/node_modules up to date"
    return 0
  fi
  (cd "$ROOT/ui-tests" && npm ci --no-audit --no-fund)
  printf '%s' "$want" >"$ROOT/ui-tests/node_modules/.tokentoss-lock"
}

# The UI tests' second extension (ui-tests/consumer-extension, loaded by the `lab` project for
# public-token.spec.ts): tsc against tokentoss's declarations, then the builder we use. It needs the
# root's lib/ (setup_all) and node_modules; rebuilt only when its sources or ITokenToss changed.
CONSUMER="$ROOT/ui-tests/consumer-extension"
ensure_consumer_extension() {
  local want
  want="$(hash_of "$CONSUMER/package.json" "$CONSUMER/tsconfig.json" "$CONSUMER"/src/*.ts \
    "$ROOT/src/publicApi.ts" "$ROOT/package.json")"
  if stamp_ok consumer-extension "$want" &&
    [ -f "$CONSUMER/build/labextensions/tokentoss-consumer-example/package.json" ]; then
    say "consumer extension up to date"
    return 0
  fi
  # What npm makes of its `file:../..` dependency; everything else resolves from the root's node_modules.
  mkdir -p "$CONSUMER/node_modules"
  ln -sfn ../../.. "$CONSUMER/node_modules/tokentoss"
  (cd "$CONSUMER" && tsc -p . && PYTHON="$PY" node "$ROOT/scripts/build-labextension.mjs" --development)
  stamp_set consumer-extension "$want"
}

# Debian's Chromium for Galata.
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    say "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present)"
    return 0
  fi
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
}

# The lab extension (tsc + jupyter-builder), rebuilt when a source file is newer than the last build.
ensure_build() {
  local marker="$STAMPS/js-build"
  if [ -f "$marker" ] && [ -f "$ROOT/tokentoss/labextension/package.json" ] &&
    [ -z "$(find src schema style package.json package-lock.json tsconfig.json scripts/build-labextension.mjs \
      -newer "$marker" -print -quit 2>/dev/null)" ]; then
    say "lab extension up to date"
    return 0
  fi
  mkdir -p "$STAMPS"
  touch "$marker.new"
  npm run build
  mv "$marker.new" "$marker"
}

# The Python package, editable, with the test and dev extras; the lab extension linked into the venv
# so that a JS rebuild is picked up without reinstalling.
ensure_python_package() {
  local want
  want="$(hash_of "$ROOT/pyproject.toml")-pkg"
  if ! stamp_ok python-package "$want" || ! "$PY" -c 'import tokentoss' 2>/dev/null; then
    # The copy made below for the linked extension would be a second install.json in the wheel
    # (shared-data adds the top-level one): reinstalling after a pyproject.toml change failed.
    rm -f "$ROOT/tokentoss/labextension/install.json"
    # The JS is already built by ensure_build: the build hook must not run npm again.
    HATCH_JUPYTER_BUILDER_SKIP_NPM=1 "$PY" -m pip install -q --no-build-isolation -e "$ROOT[test,dev]"
    stamp_set python-package "$want"
  fi
  local labext="$VENV/share/jupyter/labextensions/tokentoss"
  if [ ! -L "$labext" ]; then
    rm -rf "$labext"
    mkdir -p "$(dirname "$labext")"
    ln -s "$ROOT/tokentoss/labextension" "$labext"
  fi
  cp "$ROOT/install.json" "$ROOT/tokentoss/labextension/install.json" 2>/dev/null || true
  local conf="$VENV/etc/jupyter/jupyter_server_config.d"
  mkdir -p "$conf"
  cp "$ROOT/jupyter-config/server-config/tokentoss.json" "$conf/tokentoss.json"
}

# Everything the demo and the tests need, in order: venv → node deps → JS build → Python package.
setup_all() {
  stage "node version" ensure_node
  stage "python venv" ensure_venv
  stage "npm ci" ensure_npm
  stage "build lab extension" ensure_build
  stage "pip install -e .[test,dev]" ensure_python_package
}

# free_port: a loopback TCP port nobody listens on right now (for servers that cannot take port 0).
free_port() {
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# port_is_free PORT: true when nothing listens on 127.0.0.1:PORT.
port_is_free() {
  python3 -c 'import socket, sys
s = socket.socket()
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) else 1)' "$1"
}

# wait_for_url URL PID SECONDS: wait until URL answers 2xx, or fail when PID exits or time runs out.
# Python, not curl: a minimal Debian has no curl.
wait_for_url() {
  local url="$1" pid="$2" deadline=$((SECONDS + $3))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
      "$url" 2>/dev/null; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

# A real JupyterHub for `make demo-hub` and the hub browser tests: PyPI `jupyterhub` comes with the
# test extra (ensure_python_package), npm `configurable-http-proxy` with the root devDependencies
# (ensure_npm). Reinstalls only what is missing.
ensure_hub() {
  if [ ! -x "$VENV/bin/jupyterhub" ] || [ ! -x "$VENV/bin/jupyterhub-singleuser" ]; then
    rm -f "$STAMPS/python-package"
    ensure_python_package
  fi
  if [ ! -x "$ROOT/node_modules/.bin/configurable-http-proxy" ]; then
    rm -f "$ROOT/node_modules/.tokentoss-lock"
    ensure_npm
  fi
  say "jupyterhub $("$VENV/bin/jupyterhub" --version 2>/dev/null)," \
    "configurable-http-proxy $("$ROOT/node_modules/.bin/configurable-http-proxy" --version 2>/dev/null)"
}

# start_demo_servers LOGDIR [servers.mjs options...]: start the local identity provider and protected
# service (demo/servers.mjs) in the background, wait for the JSON line it prints once both listen, and
# set SERVERS_PID, ISSUER, SERVICE, CLIENT_ID and CLIENT_SECRET. The one way every script starts them.
# Returns 1 (after showing the log; SERVERS_PID empty if the process is gone) when they did not start.
start_demo_servers() {
  local logs="$1" deadline=$((SECONDS + 30))
  shift
  # A previous run's address must not pass for this one's (the redirection below truncates it only
  # once the child runs).
  rm -f "$logs/servers.json"
  node "$ROOT/demo/servers.mjs" "$@" >"$logs/servers.json" 2>"$logs/servers.log" &
  SERVERS_PID=$!
  until [ -s "$logs/servers.json" ]; do
    if ! kill -0 "$SERVERS_PID" 2>/dev/null; then
      SERVERS_PID=""
      tail -n 40 "$logs/servers.log" >&2
      echo "demo/servers.mjs did not start" >&2
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 40 "$logs/servers.log" >&2
      echo "demo/servers.mjs printed no address within 30 s" >&2
      return 1
    fi
    sleep 0.2
  done
  read -r ISSUER SERVICE CLIENT_ID CLIENT_SECRET < <("$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["issuer"], d["service"], d["client_id"], d["client_secret"])' "$logs/servers.json")
}
