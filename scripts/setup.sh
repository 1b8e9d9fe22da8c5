#!/usr/bin/env bash
# Set up a clone for development (README, "Develop"): .venv with JupyterLab, node_modules, a first build
# of the lab extension, `pip install -e .[test,dev]`. What `make demo` and `make test` do first; idempotent.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
setup_all
say "set up: source .venv/bin/activate, then see README.md, \"Develop\""
