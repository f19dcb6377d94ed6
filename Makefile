# zvit: `make run` and `make test` are all a newcomer needs; both set up the environment first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export ZVIT_DATA_DIR ?= $(CURDIR)/data

.PHONY: help setup gcc helper tesseract chromium fixtures-deps fixtures run test lint format bench docs lock clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

setup: $(VENV)/.installed helper tesseract chromium  ## create .venv from the lock file; the reader's native helper; Tesseract for scans, Chromium for report tests

# The reading layer's native helper (reader/_pdfium_chars.c: plain C, no Python headers, loaded
# with ctypes) reads a page's characters from pdfium in one call; without it reader/pdfium.py
# reads them in pure Python: the same characters, the long report read ~1.8x slower.
# -ffp-contract=off: no fused multiply-add, so its box arithmetic is bit-identical to Python's.
HELPER := reader/_pdfium_chars.so

helper: gcc  ## build the reader's native helper with gcc (skipped with a note when gcc is missing)
	@if command -v gcc >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory $(HELPER); \
	else \
		echo "note: no gcc: the reader reads characters in pure Python (same output, slower)"; \
	fi

$(HELPER): reader/_pdfium_chars.c
	gcc -O2 -shared -fPIC -ffp-contract=off -Wall -Wextra -o $@.tmp $<
	mv $@.tmp $@

# $(call apt_install,<present when this succeeds>,<name>,<what to do without apt-get>,<packages>):
# the Debian packages installed with apt-get when missing, as root; otherwise a note what to run.
define apt_install
	@if $(1); then \
		:; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
		echo "note: no $(2) and no apt-get: $(3)"; \
	elif [ "$$(id -u)" != 0 ]; then \
		echo "note: $(2) missing; as root run: apt-get update && apt-get install -y --no-install-recommends $(4)"; \
	else \
		apt-get update && apt-get install -y --no-install-recommends $(4); \
	fi
endef

gcc:  ## install gcc with apt-get when missing (as root), for the reader's native helper
	$(call apt_install,command -v gcc >/dev/null 2>&1,gcc,install a C compiler to build the reader's native helper,gcc libc6-dev)

# Scanned PDFs are read with Tesseract 5 and its Ukrainian data (Debian tesseract-ocr,
# tesseract-ocr-ukr), installed with apt-get when missing; without it scans stay unread.
tesseract:  ## install Tesseract OCR + Ukrainian data with apt-get when missing (as root)
	$(call apt_install,tesseract --list-langs 2>/dev/null | grep -qx ukr,Tesseract (with ukr),install Tesseract 5 with Ukrainian data to read scanned PDFs,tesseract-ocr tesseract-ocr-ukr)

# The report tests open data/report/index.html in headless Chromium (Debian chromium), installed
# with apt-get when missing; without it those tests are skipped with a note saying so.
chromium:  ## install Chromium (headless report tests, PDF producer) with apt-get when missing (as root)
	$(call apt_install,command -v chromium >/dev/null 2>&1,Chromium,install Chromium to run the report's browser tests,chromium)

# The fixture generators (python -m tools) render PDFs with LibreOffice and Chromium; tests only
# read the committed renders, so LibreOffice is installed here, for regenerating, never by `make test`.
fixtures-deps: chromium  ## install LibreOffice and fonts (and Chromium) for the fixture generators (apt-get, as root)
	@missing=""; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui"; \
	[ -d /usr/share/fonts/truetype/dejavu ] || missing="$$missing fonts-dejavu-core"; \
	[ -d /usr/share/fonts/truetype/liberation ] || missing="$$missing fonts-liberation"; \
	if [ -n "$$missing" ]; then apt-get update && apt-get install -y --no-install-recommends $$missing; fi

fixtures: setup fixtures-deps  ## regenerate every generated fixture and sample (python -m tools all)
	$(BIN)/python -m tools all

run: setup  ## run the nightly job on the bundled samples into $(ZVIT_DATA_DIR), print what was built
	$(BIN)/zvit run --samples

test: setup  ## lint, then every test (unit, golden, dbt, Prefect flow and deployment)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: setup  ## ruff lint + format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup  ## apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup  ## pages/s, peak memory and re-run cost against plain pdfplumber
	$(BIN)/python benchmarks/bench.py

docs: setup  ## generate the dbt docs site for the marts
	$(BIN)/zvit docs

lock:  ## re-resolve requirements.lock from pyproject.toml (needs the package registry)
	rm -rf /tmp/zvit-lock && $(PYTHON) -m venv /tmp/zvit-lock
	/tmp/zvit-lock/bin/pip install --quiet --upgrade pip && /tmp/zvit-lock/bin/pip install --quiet -e '.[dev]'
	/tmp/zvit-lock/bin/pip freeze --exclude-editable | grep -v '^zvit' > requirements.lock

clean:  ## remove the data dir and build output (not the venv)
	rm -rf data dbt_project/target dbt_project/logs $(HELPER)
