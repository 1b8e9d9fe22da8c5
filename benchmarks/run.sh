#!/usr/bin/env bash
# `make bench`: set everything up as `make test` does, then print the benchmarks' figures and the
# machine they come from. Figures, not timed assertions: nothing here fails on a slow machine.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

stage "chromium (apt)" ensure_chromium
setup_all
stage "npm ci (ui-tests)" ensure_ui_npm

banner "machine"
echo "nproc: $(nproc)"
echo "RAM: $(awk '/^MemTotal:/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
echo "OS: $(. /etc/os-release && echo "$PRETTY_NAME") ($(uname -sr))"
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "Chromium: $(/usr/bin/chromium --version 2>/dev/null)"
echo "Node: $(node --version); Python: $("$PY" --version 2>&1 | cut -d' ' -f2)"

banner "bundle size (benchmarks/bundle_size.mjs)"
node benchmarks/bundle_size.mjs
banner "load time and sign-in (benchmarks/load_time.mjs)"
node benchmarks/load_time.mjs "$@"
