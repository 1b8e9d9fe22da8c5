#!/usr/bin/env bash
# `make screenshots`: set up what is missing, then retake the README's screenshots from the real UI
# (ui-tests/screenshots/readme-shots.spec.ts) into docs/images/, or into TOKENTOSS_SCREENSHOTS_DIR.
# Uses `make demo`'s ports (8899, 8701, 8702; TOKENTOSS_UI_PORT_OFFSET moves them): stop a running demo first.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_chromium
setup_all
ensure_ui_npm
cd ui-tests
npm run screenshots
