# Two commands for newcomers (see README.md):
#   make demo   set everything up and start JupyterLab with a local identity provider and a protected service
#   make demo-hub  the same on a local two-user JupyterHub (alice and bob)
#   make test   set everything up and run every check (lint, types, jest, pytest, Galata)
#   make screenshots  retake the README's screenshots (docs/images/) from the real UI
.PHONY: demo demo-hub test bench screenshots

demo:
	@bash scripts/demo.sh

demo-hub:
	@bash scripts/demo-hub.sh

test:
	@bash scripts/test.sh

screenshots:
	@bash scripts/screenshots.sh

# Benchmarks (figures, not tests): bundle sizes, load time with/without, click-to-token-file.
bench:
	@bash benchmarks/run.sh
