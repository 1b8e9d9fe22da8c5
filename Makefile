# Two commands for newcomers (see README.md):
#   make demo   set everything up and start JupyterLab with a local identity provider and a protected service
#   make test   set everything up and run every check (lint, types, jest, pytest, Galata)
.PHONY: demo test bench

demo:
	@bash scripts/demo.sh

test:
	@bash scripts/test.sh

# Benchmarks (figures, not tests): bundle sizes, load time with/without, click-to-token-file.
bench:
	@bash benchmarks/run.sh
