#!/usr/bin/env bash
# `make demo`: set everything up, start the local identity provider and the protected service
# (demo/servers.mjs), point tokentoss at them through demo-only JupyterLab settings, start JupyterLab on
# loopback and print the notebook cell to run. Everything the demo writes lives in .demo/ (git-ignored).
# Ctrl-C stops all of it.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LAB_PORT="${TOKENTOSS_DEMO_LAB_PORT:-8899}"
IDP_PORT="${TOKENTOSS_DEMO_IDP_PORT:-8701}"
SERVICE_PORT="${TOKENTOSS_DEMO_SERVICE_PORT:-8702}"
DEMO="$ROOT/.demo"

setup_all

mkdir -p "$DEMO/logs" "$DEMO/notebooks" "$DEMO/settings/tokentoss" "$DEMO/jupyter-config" \
  "$DEMO/jupyter-data" "$DEMO/workspaces" "$DEMO/runtime"
mkdir -p -m 0700 "$DEMO/tokens"

SERVERS_PID=""
LAB_PID=""
cleanup() {
  trap - EXIT INT TERM
  [ -n "$LAB_PID" ] && kill -TERM "$LAB_PID" 2>/dev/null && wait "$LAB_PID" 2>/dev/null
  [ -n "$SERVERS_PID" ] && kill -TERM "$SERVERS_PID" 2>/dev/null && wait "$SERVERS_PID" 2>/dev/null
  echo "demo stopped"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

banner "starting the local identity provider and protected service"
node "$ROOT/demo/servers.mjs" --idp-port "$IDP_PORT" --service-port "$SERVICE_PORT" \
  >"$DEMO/logs/servers.json" 2>"$DEMO/logs/servers.log" &
SERVERS_PID=$!
for _ in $(seq 50); do
  [ -s "$DEMO/logs/servers.json" ] && break
  kill -0 "$SERVERS_PID" 2>/dev/null || break
  sleep 0.2
done
if [ -z "$LAB_READY" ]; then
  echo "JupyterLab did not answer within 60 s: see $DEMO/logs/jupyter.log" >&2
  exit 1
fi
if [ ! -s "$DEMO/logs/servers.json" ]; then
  cat "$DEMO/logs/servers.log" >&2
  echo "demo/servers.mjs did not start (ports $IDP_PORT/$SERVICE_PORT busy? set TOKENTOSS_DEMO_IDP_PORT / TOKENTOSS_DEMO_SERVICE_PORT)" >&2
  exit 1
fi
read -r ISSUER SERVICE CLIENT_ID CLIENT_SECRET < <("$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["issuer"], d["service"], d["client_id"], d["client_secret"])' "$DEMO/logs/servers.json")
say "identity provider $ISSUER, protected service $SERVICE"

# Demo-only user settings: the Settings Editor shows them under "tokentoss" and they can be edited there.
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
echo '{ "fetchNews": "false", "checkForUpdates": false }' >"$DEMO/settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings"

CELL="import tokentoss
client = tokentoss.IAPClient(base_url=\"$SERVICE\")
client.get_json(\"/whoami\")"
NOTEBOOK="$DEMO/notebooks/tokentoss-demo.ipynb"
if [ ! -f "$NOTEBOOK" ]; then
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
fi

export JUPYTERLAB_SETTINGS_DIR="$DEMO/settings"
export JUPYTERLAB_WORKSPACES_DIR="$DEMO/workspaces"
export JUPYTER_CONFIG_DIR="$DEMO/jupyter-config"
export JUPYTER_DATA_DIR="$DEMO/jupyter-data"
export JUPYTER_RUNTIME_DIR="$DEMO/runtime"
export TOKENTOSS_TOKEN_FILE="$DEMO/tokens/tokens.json"
TOKEN="$("$PY" -c 'import secrets; print(secrets.token_hex(24))')"
EXTRA=()
[ "$(id -u)" -eq 0 ] && EXTRA+=(--allow-root)

banner "starting JupyterLab on http://127.0.0.1:$LAB_PORT (log: .demo/logs/jupyter.log)"
jupyter lab --ip=127.0.0.1 --port="$LAB_PORT" --port-retries=0 \
  --ServerApp.root_dir="$DEMO/notebooks" --IdentityProvider.token="$TOKEN" "${EXTRA[@]}" \
  >"$DEMO/logs/jupyter.log" 2>&1 &
LAB_PID=$!
LAB_READY=""
for _ in $(seq 300); do
  # Python, not curl: a minimal Debian has no curl.
  if "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
    "http://127.0.0.1:$LAB_PORT/api/status?token=$TOKEN" 2>/dev/null; then
    LAB_READY=1
    break
  fi
  if ! kill -0 "$LAB_PID" 2>/dev/null; then
    tail -n 30 "$DEMO/logs/jupyter.log" >&2
    echo "JupyterLab did not start (port $LAB_PORT busy? set TOKENTOSS_DEMO_LAB_PORT)" >&2
    LAB_PID=""
    exit 1
  fi
  sleep 0.2
done

cat <<EOF

  tokentoss demo is running. Open:

      http://127.0.0.1:$LAB_PORT/lab/tree/tokentoss-demo.ipynb?token=$TOKEN

  1. Left sidebar → key icon (tokentoss) → "Sign in with Google".
     The popup signs you in at the local provider as demo@example.com (no Google account needed).
  2. Run this cell (it is in tokentoss-demo.ipynb):

$(printf '%s\n' "$CELL" | sed 's/^/      /')

     Expected output:

      {'email': 'demo@example.com', 'sub': '111524142727434035869', 'aud': '$CLIENT_ID'}

  Token file: .demo/tokens/tokens.json   Logs: .demo/logs/   Stop: Ctrl-C

EOF
wait "$LAB_PID"
