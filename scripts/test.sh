#!/usr/bin/env bash
# `make test`: set everything up (also on a fresh machine), then run every check in order and stop at
# the first failure. Each stage prints a banner and its duration; a table of durations ends the run.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The README's screenshots, taken into a scratch folder (docs/images untouched) so the script cannot rot.
screenshots_smoke() {
  SHOTS_DIR="$(mktemp -d)"
  trap 'rm -rf "$SHOTS_DIR"' EXIT
  cd ui-tests && TOKENTOSS_SCREENSHOTS_DIR="$SHOTS_DIR" npm run --silent screenshots
}

START=$SECONDS
stage "chromium (apt)" ensure_chromium
setup_all
stage "npm ci (ui-tests)" ensure_ui_npm
stage "consumer extension (ui-tests)" ensure_consumer_extension

stage "prettier" npx prettier --check .
stage "eslint" npx eslint .
stage "stylelint" npx stylelint "style/**/*.css"
stage "import cycles (madge)" npm run --silent lint:cycles
stage "tsc --noEmit" npx tsc --noEmit
stage "ruff format --check" ruff format --check .
stage "ruff check" ruff check .
stage "mypy" mypy
stage "actionlint" bash scripts/check-workflows.sh
stage "jest" npx jest
# The README's live development loop: labextension develop, npm run watch, a saved change rebuilt.
stage "dev loop smoke" bash scripts/dev-loop-smoke.sh
stage "pytest" pytest
# The README's first command, as a newcomer runs it (free ports, scratch folder): before Galata.
stage "demo smoke (make demo)" bash scripts/demo.sh --check
stage "galata" bash -c 'cd ui-tests && npx playwright test'
stage "screenshots smoke (make screenshots)" screenshots_smoke
stage "jupyterhub" ensure_hub
stage "demo-hub smoke" bash scripts/demo-hub.sh --check
stage "galata on jupyterhub" bash -c 'cd ui-tests && npx playwright test -c playwright.hub.config.ts'

print_timings
banner "ALL PASSED in $((SECONDS - START)) s"
