# Every target creates the virtual environment on first use, so a fresh clone needs only
# `make run` or `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run demo real test mutation lint typecheck bench backup clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)  ## the bot on Telegram when TELEGRAM_BOT_TOKEN is set, the console demo otherwise
	$(PY) run_bot.py auto

demo: $(STAMP)  ## always the console demo
	$(PY) run_bot.py demo

real: $(STAMP)  ## always real mode (exits 2 without a token)
	$(PY) run_bot.py real

# One worker per CPU; worksteal moves queued tests from a busy worker to an idle one, so a slow
# file at the end does not leave the other CPUs waiting.
test: $(STAMP)  ## the whole test suite, in parallel
	$(PY) -m pytest -n auto --dist worksteal

# Modules to mutate, as mutmut's names (globs); [tool.mutmut] only_mutate in pyproject.toml
# lists the same files. Two children: a full run fits in well under an hour here, and the
# machine stays usable meanwhile.
MUTATE := bot.services.sending.* store.due_work.* bot.services.broadcast_sender.*
mutation: $(STAMP)  ## mutation testing of the core logic by the fast tiers (not in CI)
	$(VENV)/bin/mutmut run --max-children 2 $(MUTATE)
	$(VENV)/bin/mutmut export-cicd-stats
	$(PY) -c 'import json; s = json.load(open("mutants/mutmut-cicd-stats.json")); \
	k = s["killed"] + s["timeout"]; n = s["total"] - s["skipped"]; \
	print("mutation score: %d of %d mutants killed, %.1f %%" % (k, n, 100 * k / n))'

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy app core bot handlers store sandbox linkage

bench: $(STAMP)  ## benchmarks print ratios against a baseline run in the same script
	$(PY) -m bench.throughput --with-rate-limiter
	$(PY) -m bench.gateway_client
	$(PY) -m bench.gateway_body_cap
	$(PY) -m bench.gateway_enumeration
	$(PY) -m bench.cpu_per_update --rate 0
	$(PY) -m bench.cpu_per_update --rate 20
	$(PY) -m bench.status_e2e --rate 20
	$(PY) -m bench.status_e2e --rate 0
	$(PY) -m bench.status_store
	$(PY) -m bench.stats
	$(PY) -m bench.broadcast
	$(PY) -m bench.webhook_ack
	$(PY) -m bench.webhook_cpu
	$(PY) -m bench.workers
	$(PY) -m bench.store_scale

backup: $(STAMP)  ## a consistent copy of DATABASE_PATH into backups/, safe while the bot runs
	$(PY) run_bot.py backup

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis mutants
