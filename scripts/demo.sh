#!/usr/bin/env bash
# `make demo`: set everything up, start the local identity provider and the protected service
# (demo/servers.mjs), point tokentoss at them through demo-only JupyterLab settings, start JupyterLab on
# loopback and print the notebook cell to run. Everything the demo writes lives in .demo/ (git-ignored).
# Ctrl-C stops all of it.
#
# `scripts/demo.sh --check`: the same demo as a smoke test (part of `make test`). Free loopback ports
# and a scratch folder of its own; once JupyterLab answers, Chromium does what the printed instructions
# say (ui-tests/demo/demo.spec.ts): sign in from the sidebar, run the cell, compare the output with the
# one printed. Then everything is stopped, and the check fails if any process or port is left.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { echo "usage: scripts/demo.sh [--check]"; }
CHECK=""
case "${1:-}" in
  "") ;;
  --check) CHECK=1 ;;
  -h | --help)
    usage
    exit 0
    ;;
  *)
    usage >&2
    exit 2
    ;;
esac

setup_all
if [ -n "$CHECK" ]; then
  stage "chromium (apt)" ensure_chromium
  stage "npm ci (ui-tests)" ensure_ui_npm
  DEMO="$(mktemp -d "${TMPDIR:-/tmp}/tokentoss-demo-check.XXXXXX")"
  SHOWN_DEMO="$DEMO"
  LAB_PORT="$(free_port)"
  # demo/servers.mjs binds port 0 and reports the ports it got.
  IDP_PORT=0
  SERVICE_PORT=0
else
  DEMO="$ROOT/.demo"
  SHOWN_DEMO=".demo"
  LAB_PORT="${TOKENTOSS_DEMO_LAB_PORT:-8899}"
  IDP_PORT="${TOKENTOSS_DEMO_IDP_PORT:-8701}"
  SERVICE_PORT="${TOKENTOSS_DEMO_SERVICE_PORT:-8702}"
fi
LOGS="$DEMO/logs"

mkdir -p "$LOGS" "$DEMO/notebooks" "$DEMO/settings/tokentoss" "$DEMO/jupyter-config" \
  "$DEMO/jupyter-data" "$DEMO/workspaces" "$DEMO/runtime"
mkdir -p -m 0700 "$DEMO/tokens"

SERVERS_PID=""
LAB_PID=""

# Stops what this script started (JupyterLab shuts its kernels down on SIGTERM).
stop_all() {
  if [ -n "$LAB_PID" ]; then
    kill -TERM "$LAB_PID" 2>/dev/null && { wait "$LAB_PID" 2>/dev/null || true; }
    LAB_PID=""
  fi
  if [ -n "$SERVERS_PID" ]; then
    kill -TERM "$SERVERS_PID" 2>/dev/null && { wait "$SERVERS_PID" 2>/dev/null || true; }
    SERVERS_PID=""
  fi
  return 0
}

on_exit() {
  local rc=$?
  trap - EXIT INT TERM
  stop_all
  echo "demo stopped"
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# The last lines of every log, for a failure.
show_logs() {
  local log
  for log in "$LOGS"/*; do
    [ -s "$log" ] || continue
    printf '\n--- last lines of %s ---\n' "$log" >&2
    tail -n 40 "$log" >&2
  done
}

fail() {
  show_logs
  echo "demo: $*" >&2
  exit 1
}

start_servers() {
  banner "starting the local identity provider and protected service"
  start_demo_servers "$LOGS" --idp-port "$IDP_PORT" --service-port "$SERVICE_PORT" || {
    echo "demo: ports $IDP_PORT/$SERVICE_PORT busy? set TOKENTOSS_DEMO_IDP_PORT / TOKENTOSS_DEMO_SERVICE_PORT" >&2
    exit 1
  }
  say "identity provider $ISSUER, protected service $SERVICE"
}

# Demo-only user settings: the Settings Editor shows them under "tokentoss" and they can be edited there.
write_settings() {
  cat >"$DEMO/settings/tokentoss/plugin.jupyterlab-settings" <<EOF
{
  // Written by make demo: the local identity provider started by demo/servers.mjs.
  "clientId": "$CLIENT_ID",
  "clientSecret": "$CLIENT_SECRET",
  "issuer": "$ISSUER",
  "scopes": "openid email profile"
}
EOF
  # No "get notified about Jupyter news?" prompt in the demo: it asks a host this demo never reaches.
  mkdir -p "$DEMO/settings/@jupyterlab/apputils-extension"
  echo '{ "fetchNews": "false", "checkForUpdates": false }' \
    >"$DEMO/settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings"
}

# The notebook with the README's cell (kept if it exists: the user may have edited it).
write_notebook() {
  # The README's cell and output (the smoke checks that the README says the same, with port 8702).
  CELL="import tokentoss

client = tokentoss.IAPClient(base_url=\"$SERVICE\")
client.get_json(\"/whoami\")"
  # As IPython shows it: its pretty printer breaks a repr longer than 79 characters.
  EXPECTED="{'email': 'demo@example.com',
 'sub': '111524142727434035869',
 'aud': '$CLIENT_ID'}"
  NOTEBOOK="$DEMO/notebooks/tokentoss-demo.ipynb"
  [ -f "$NOTEBOOK" ] && return 0
  CELL="$CELL" "$PY" - "$NOTEBOOK" <<'EOF'
import json, os, sys
source = os.environ["CELL"].splitlines(keepends=True)
nb = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": [
            "Sign in first: left sidebar → key icon → **Sign in with Google**. Then run the cell."]},
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source},
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                                "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}
json.dump(nb, open(sys.argv[1], "w"), indent=1)
EOF
}

start_lab() {
  export JUPYTERLAB_SETTINGS_DIR="$DEMO/settings"
  export JUPYTERLAB_WORKSPACES_DIR="$DEMO/workspaces"
  export JUPYTER_CONFIG_DIR="$DEMO/jupyter-config"
  export JUPYTER_DATA_DIR="$DEMO/jupyter-data"
  export JUPYTER_RUNTIME_DIR="$DEMO/runtime"
  export TOKENTOSS_TOKEN_FILE="$DEMO/tokens/tokens.json"
  TOKEN="$("$PY" -c 'import secrets; print(secrets.token_hex(24))')"
  URL="http://127.0.0.1:$LAB_PORT/lab/tree/tokentoss-demo.ipynb?token=$TOKEN"
  local extra=()
  [ "$(id -u)" -eq 0 ] && extra+=(--allow-root)

  banner "starting JupyterLab on http://127.0.0.1:$LAB_PORT (log: $SHOWN_DEMO/logs/jupyter.log)"
  jupyter lab --ip=127.0.0.1 --port="$LAB_PORT" --port-retries=0 --no-browser \
    --ServerApp.root_dir="$DEMO/notebooks" --IdentityProvider.token="$TOKEN" "${extra[@]}" \
    >"$LOGS/jupyter.log" 2>&1 &
  LAB_PID=$!
  if ! wait_for_url "http://127.0.0.1:$LAB_PORT/api/status?token=$TOKEN" "$LAB_PID" 120; then
    kill -0 "$LAB_PID" 2>/dev/null ||
      fail "JupyterLab did not start (port $LAB_PORT busy? set TOKENTOSS_DEMO_LAB_PORT)"
    fail "JupyterLab did not answer within 120 s"
  fi
}

print_instructions() {
  cat <<EOF

  tokentoss demo is running. Open:

      $URL

  1. Left sidebar → key icon (tokentoss) → "Sign in with Google".
     The popup signs you in at the local provider as demo@example.com (no Google account needed).
  2. Run this cell (it is in tokentoss-demo.ipynb):

$(printf '%s\n' "$CELL" | sed 's/^./      &/')

     Expected output:

$(printf '%s\n' "$EXPECTED" | sed 's/^./      &/')

  Token file: $SHOWN_DEMO/tokens/tokens.json   Logs: $SHOWN_DEMO/logs/   Stop: Ctrl-C

EOF
}

# Chromium follows the printed instructions (ui-tests/demo/demo.spec.ts, no webServer of its own).
run_browser_check() {
  banner "checking the demo in Chromium"
  (
    cd "$ROOT/ui-tests"
    TOKENTOSS_DEMO_URL="$URL" TOKENTOSS_DEMO_CELL="$CELL" TOKENTOSS_DEMO_EXPECTED="$EXPECTED" \
      TOKENTOSS_DEMO_SERVICE="$SERVICE" TOKENTOSS_DEMO_TOKEN_FILE="$TOKENTOSS_TOKEN_FILE" \
      npx playwright test --config playwright.demo.config.ts --output "$DEMO/test-results"
  ) || fail "the demo did not do what the README promises (Playwright report above)"
}

# After stop_all: no process of this run (JupyterLab, its kernels, the servers) and no port left.
verify_stopped() {
  local pids left=""
  pids="$(pgrep -f -- "$DEMO" || true)"
  [ -z "$pids" ] || left="processes still running: $(ps -o pid=,args= -p "${pids//$'\n'/,}")"
  local port
  for port in "$LAB_PORT" "${ISSUER##*:}" "${SERVICE##*:}"; do
    port_is_free "$port" || left="$left port $port still answers;"
  done
  [ -z "$left" ] || fail "not everything stopped: $left"
}

start_servers
write_settings
write_notebook
start_lab
print_instructions

if [ -z "$CHECK" ]; then
  wait "$LAB_PID"
  exit 0
fi

run_browser_check
stop_all
verify_stopped
rm -rf "$DEMO"
say "demo check passed: README's demo works (JupyterLab port $LAB_PORT, service $SERVICE)"
