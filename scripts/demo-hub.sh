#!/usr/bin/env bash
# `make demo-hub`: a real two-user JupyterHub on this machine, no Google account needed. Sets everything
# up, starts the local identity provider offering alice@example.com and bob@example.com plus the
# protected service (demo/servers.mjs), then JupyterHub with its proxy (demo/jupyterhub_config.py: users
# alice and bob, a home each, the OAuth client held by every user's server), and prints how to log in.
# Ctrl-C stops all of it. Everything it writes lives in .demo-hub/ (git-ignored).
#
#   bash scripts/demo-hub.sh [--subdomains] [--check]
#     --subdomains  per-user subdomains (http://alice.localhost:PORT/...) instead of one origin
#     --check       smoke: start, wait for /hub/health, log alice in over HTTP, wait for her server and
#                   its tokentoss extension, then stop everything (used by scripts/test.sh)
# Ports: TOKENTOSS_DEMO_HUB_PORT (default 8630); the hub uses PORT..PORT+3 and PORT+10..11, the
# identity provider PORT+5 and the protected service PORT+6.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SUBDOMAINS=0
CHECK=0
for arg in "$@"; do
  case "$arg" in
    --subdomains) SUBDOMAINS=1 ;;
    --check) CHECK=1 ;;
    *)
      echo "usage: bash scripts/demo-hub.sh [--subdomains] [--check]" >&2
      exit 2
      ;;
  esac
done

PORT="${TOKENTOSS_DEMO_HUB_PORT:-8630}"
IDP_PORT=$((PORT + 5))
SERVICE_PORT=$((PORT + 6))
PASSWORD="tokentoss"
VARIANT=$([ "$SUBDOMAINS" = 1 ] && echo subdomains || echo one-origin)
HUB_URL=$([ "$SUBDOMAINS" = 1 ] && echo "http://localhost:$PORT" || echo "http://127.0.0.1:$PORT")
DEMO="$ROOT/.demo-hub"
SCRATCH="$DEMO/$VARIANT"
[ "$CHECK" = 1 ] && SCRATCH="$DEMO/check-$VARIANT"

setup_all
stage "jupyterhub + configurable-http-proxy" ensure_hub

[ "$CHECK" = 1 ] && rm -rf "$SCRATCH"
mkdir -p "$SCRATCH/logs"

SERVERS_PID=""
HUB_PID=""
stop_pid() {
  # stop_pid PID: SIGTERM one process we started and wait for it.
  kill -TERM "$1" 2>/dev/null && wait "$1" 2>/dev/null
  return 0
}
cleanup() {
  trap - EXIT INT TERM
  # The hub stops the users' servers, its proxy and its services when it exits.
  [ -n "$HUB_PID" ] && stop_pid "$HUB_PID"
  [ -n "$SERVERS_PID" ] && stop_pid "$SERVERS_PID"
  echo "hub demo stopped"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

banner "starting the local identity provider (alice@example.com, bob@example.com) and protected service"
start_demo_servers "$SCRATCH/logs" --idp-port "$IDP_PORT" --service-port "$SERVICE_PORT" \
  --client-id tokentoss-hub-demo --accounts alice@example.com,bob@example.com || {
  echo "ports $IDP_PORT/$SERVICE_PORT busy? set TOKENTOSS_DEMO_HUB_PORT" >&2
  exit 1
}
say "identity provider $ISSUER, protected service $SERVICE"

banner "starting JupyterHub ($VARIANT) on $HUB_URL (log: ${SCRATCH#"$ROOT/"}/logs/jupyterhub.log)"
(
  cd "$SCRATCH"
  export TOKENTOSS_HUB_PORT="$PORT" TOKENTOSS_HUB_DIR="$SCRATCH" TOKENTOSS_HUB_SUBDOMAINS="$SUBDOMAINS" \
    TOKENTOSS_HUB_ISSUER="$ISSUER" TOKENTOSS_HUB_CLIENT_ID="$CLIENT_ID" \
    TOKENTOSS_HUB_CLIENT_SECRET="$CLIENT_SECRET" TOKENTOSS_HUB_PASSWORD="$PASSWORD"
  exec "$VENV/bin/jupyterhub" -f "$ROOT/demo/jupyterhub_config.py"
) >"$SCRATCH/logs/jupyterhub.log" 2>&1 &
HUB_PID=$!
if ! wait_for_url "http://127.0.0.1:$PORT/hub/health" "$HUB_PID" 120; then
  kill -0 "$HUB_PID" 2>/dev/null || HUB_PID=""
  tail -n 30 "$SCRATCH/logs/jupyterhub.log" >&2
  echo "JupyterHub did not answer on http://127.0.0.1:$PORT/hub/health within 120 s (port busy? set TOKENTOSS_DEMO_HUB_PORT)" >&2
  exit 1
fi

if [ "$CHECK" = 1 ]; then
  say "hub healthy; logging in as alice over HTTP"
  "$PY" "$ROOT/demo/hub_login_check.py" "$HUB_URL" alice "$PASSWORD"
  say "hub demo smoke ($VARIANT): ok"
  exit 0
fi

cat <<EOF

  A two-user JupyterHub with tokentoss is running ($VARIANT). Open:

      $HUB_URL/hub/login

  Log in as  alice  or  bob  (password: $PASSWORD). Use a private window for the second user,
  or another browser: each user's lab then runs on its own server, with its own home and token file.

  1. Left sidebar → key icon (tokentoss) → "Sign in with Google". The local provider asks which
     account: pick alice@example.com as alice, bob@example.com as bob. The OAuth client is held by
     each user's server (demo/hub-singleuser/jupyter_server_config.py): no secret in the browser.
  2. In a notebook:

      import tokentoss
      tokentoss.IAPClient(base_url="$SERVICE").get_json("/whoami")

  Homes (token files under .config/tokentoss/): ${SCRATCH#"$ROOT/"}/home/   Logs: ${SCRATCH#"$ROOT/"}/logs/
  Per-user subdomains instead of one origin: bash scripts/demo-hub.sh --subdomains
  Stop: Ctrl-C

EOF
wait "$HUB_PID"
