# syncd — Quick start: `make demo` (runs syncd against the built-in sandbox) and `make test`.
# Both create their own virtual environment in .venv with the same install step the
# container image uses (`make install`).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PKG ?= .
PIP_FLAGS ?= --no-cache-dir --disable-pip-version-check
STAMP := $(VENV)/.syncd-installed

.PHONY: demo test install bench lint clean java

$(STAMP): pyproject.toml requirements-test.txt sandbox/pyproject.toml
	$(MAKE) install PKG='-e ./sandbox -e .[test]'
	touch $(STAMP)

## install: create $(VENV) and install syncd ($(PKG)) into it; the Dockerfile runs this too
install:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install $(PIP_FLAGS) --quiet --upgrade pip
	$(BIN)/pip install $(PIP_FLAGS) --quiet $(PKG)

## demo: start the sandbox in-process, run three cycles, print what happened
demo: $(STAMP)
	$(BIN)/syncd demo

## java: a Java runtime for the Spark backend's test (pyspark needs one); installed from
## Debian's packages when missing and we may (root), else the test says what is missing
java:
	@command -v java >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; } \
	  || echo "make: no Java runtime; install default-jre-headless for the Spark test"

## test: the whole suite (fails on any failure and on zero tests collected)
test: $(STAMP) java
	$(BIN)/python -m pytest -n 2 -q

## bench: every benchmark in bench/ (prints figures; see bench/README.md)
bench: $(STAMP)
	for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

lint: $(STAMP)
	$(BIN)/hadolint Dockerfile

clean:
	rm -rf $(VENV) .pytest_cache demo-output
