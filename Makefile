# Two commands: `make book` builds the HTML book, `make test` runs every check.
# Both create the environment in .venv (Python 3.11) the first time.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYDEVD_DISABLE_FILE_VALIDATION = 1

.PHONY: book test sync env clean

book: $(STAMP)  ## Execute every chapter (cached) and build the HTML book in _build/html
	$(PY) tools/build_book.py

test: $(STAMP)  ## Unit tests, notebooks (nbval), strict build, browser tests
	$(PY) tools/run_tests.py

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
