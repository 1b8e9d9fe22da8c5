#!/usr/bin/env bash
# The README's live development loop, as a developer runs it (scripts/test.sh's "dev loop smoke"):
# `jupyter labextension develop --overwrite .` links the build into the venv, `npm run watch` rebuilds on
# save. A string added to src/index.ts must reach the extension JupyterLab loads (through the link),
# and must be gone again once the file is restored. The work tree is left as it was found (the file,
# its mtime, an equivalent build), also on failure. Needs setup_all done (venv, node_modules, build).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LIMIT=75 # seconds for each rebuild to land (the whole smoke takes 25-40 s on 2 busy cores)
SOURCE="$ROOT/src/index.ts"
LINK="$VENV/share/jupyter/labextensions/tokentoss"
SCRATCH="$(mktemp -d)"
MARKER="tokentoss-dev-loop-$$-$RANDOM"
WATCH_PID=""

cleanup() {
  if [ -n "$WATCH_PID" ]; then
    # npm run watch was started as its own process group: stop npm, tsc -w, the builder and webpack.
    kill -TERM -- "-$WATCH_PID" 2>/dev/null || true
    wait "$WATCH_PID" 2>/dev/null || true
    node "$SCRATCH/build.cjs" "$LINK" tidy || true
  fi
  if ! cmp -s "$SCRATCH/index.ts" "$SOURCE"; then
    cp "$SCRATCH/index.ts" "$SOURCE"
  fi
  # The old mtime too, so that the next setup_all does not rebuild for an unchanged file.
  touch -r "$SCRATCH/index.ts" "$SOURCE"
  rm -rf "$SCRATCH"
}
cp -p "$SOURCE" "$SCRATCH/index.ts"
trap cleanup EXIT

# The builder's watch keeps every build's chunks in static/ (it cleans only when it starts): what
# JupyterLab loads is the remoteEntry that package.json names and the chunks whose hashes it lists.
cat >"$SCRATCH/build.cjs" <<'JS'
// node build.cjs DIR has TEXT: exit 0 if the current build's JS has TEXT, 1 if not, 2 if unreadable.
// node build.cjs DIR tidy: delete the chunks and maps of earlier builds.
const fs = require('fs');
const path = require('path');
const [dir, command, text] = process.argv.slice(2);
let entry, current;
try {
  entry = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'))).jupyterlab._build.load;
  const entryText = fs.readFileSync(path.join(dir, entry), 'utf8');
  current = fs.readdirSync(path.join(dir, 'static')).filter(name => {
    const hash = /\.([0-9a-f]{20})\.js(\.map)?$/.exec(name)?.[1];
    return !hash || entryText.includes(hash) || entry.includes(hash);
  });
} catch {
  process.exit(2); // between two builds
}
if (command === 'has') {
  const js = current.filter(name => name.endsWith('.js'));
  const found = js.some(name => fs.readFileSync(path.join(dir, 'static', name), 'utf8').includes(text));
  process.exit(found ? 0 : 1);
}
for (const name of fs.readdirSync(path.join(dir, 'static'))) {
  if (!current.includes(name)) {
    fs.rmSync(path.join(dir, 'static', name));
  }
}
JS
built_with() { node "$SCRATCH/build.cjs" "$LINK" has "$1"; }
built_without() {
  local rc=0
  node "$SCRATCH/build.cjs" "$LINK" has "$1" || rc=$?
  [ "$rc" -eq 1 ]
}

# wait_until DESCRIPTION COMMAND...: poll COMMAND until it succeeds; fail after LIMIT s or when the
# watch has died.
wait_until() {
  local what="$1" deadline=$((SECONDS + LIMIT))
  shift
  until "$@"; do
    if ! kill -0 "$WATCH_PID" 2>/dev/null; then
      tail -n 40 "$SCRATCH/watch.log" >&2
      echo "npm run watch stopped before $what" >&2
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 40 "$SCRATCH/watch.log" >&2
      echo "no rebuild within $LIMIT s: $what" >&2
      return 1
    fi
    sleep 0.5
  done
  say "$what ($((SECONDS - START)) s)"
}

START=$SECONDS
# The watch's first build runs while develop and list do (each is a slow Python start).
setsid npm run watch >"$SCRATCH/watch.log" 2>&1 &
WATCH_PID=$!

say "jupyter labextension develop --overwrite ."
jupyter labextension develop --overwrite . >"$SCRATCH/develop.log" 2>&1 || {
  cat "$SCRATCH/develop.log" >&2
  exit 1
}
# `list` prints to stderr, in colour; captured first (pipefail and grep -q do not mix).
listing="$(jupyter labextension list 2>&1 | sed 's/\x1b\[[0-9;]*m//g')"
if ! printf '%s\n' "$listing" | grep -Eq '^\s+tokentoss v[0-9.]+\S* enabled\s+OK'; then
  printf '%s\n' "$listing" >&2
  echo "jupyter labextension list does not show tokentoss enabled and OK" >&2
  exit 1
fi
if [ ! -L "$LINK" ] || [ "$(readlink -f "$LINK")" != "$ROOT/tokentoss/labextension" ]; then
  ls -l "$LINK" >&2 || true
  echo "$LINK is not a link to this checkout's tokentoss/labextension (develop mode)" >&2
  exit 1
fi
say "tokentoss is linked for development: $LINK -> tokentoss/labextension"

# watching: tsc has compiled and is watching, and webpack has finished its first build.
watching() {
  grep -q 'Watching for file changes' "$SCRATCH/watch.log" &&
    grep -Eq 'webpack .* compiled' "$SCRATCH/watch.log"
}
wait_until "npm run watch has built and watches" watching
if built_with "$MARKER"; then
  echo "the marker is in the build before any change" >&2
  exit 1
fi
printf "\nexport const devLoopMarker = '%s';\n" "$MARKER" >>"$SOURCE"
wait_until "the saved change is in the linked extension" built_with "$MARKER"

cp "$SCRATCH/index.ts" "$SOURCE"
wait_until "the restored file is rebuilt too" built_without "$MARKER"
say "dev loop: ok in $((SECONDS - START)) s"
