# Two commands: `make book` builds the HTML book, `make test` runs every check.
# Two more, slower, with their own reports: `make bench` (timings, page weights) and `make colab`
# (every chapter run from its wheel in a Colab-like environment).
# Each creates the environment in .venv (Python 3.11) the first time.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYDEVD_DISABLE_FILE_VALIDATION = 1

.PHONY: book test bench colab sync env clean

book: $(STAMP)  ## Execute every chapter (cached) and build the HTML book in _build/html
	$(PY) tools/build_book.py

test: $(STAMP)  ## Unit tests, chapters (offline, reproducible, Colab-like), strict build, browser tests
	$(PY) tools/run_tests.py

bench: $(STAMP)  ## Chapter times, cold build and rebuild, twins, scans, page weights -> benchmarks/RESULTS.md
	$(PY) tools/bench.py

colab: $(STAMP)  ## Every chapter executed from an empty folder with rnnlearn's wheel in a Colab-like environment
	$(PY) tools/colab_run.py

sync: $(STAMP)  ## Re-sync every book/NN_slug.md with its book/NN_slug.ipynb
	$(PY) tools/sync.py

env: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

clean:  ## Remove the built book and its execution cache (keeps .venv)
	rm -rf _build
