# madoguchi: `make run` starts the web app on the embedded data; `make test` runs everything.
# Both create .venv and install what is missing (Debian packages need root or sudo).

VENV    ?= .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
RUNTIME_DEBS := fonts-ipaexfont-gothic fonts-ipaexfont-mincho poppler-utils
TEST_DEBS    := chromium fonts-noto-cjk wrk
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench deps debs-runtime debs-test node clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(STAMP)

deps: $(STAMP)

# Install the Debian packages that are not there yet (apt-get update only when needed).
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

debs-runtime:
	$(call apt_install,$(RUNTIME_DEBS))

debs-test: debs-runtime
	$(call apt_install,$(TEST_DEBS))

node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	@touch $@

node: node_modules/.installed

run: $(STAMP) debs-runtime
	$(BIN)/madoguchi serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/madoguchi lint

test: $(STAMP) debs-test node lint
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(STAMP) debs-test
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
