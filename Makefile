# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
PIP := $(PYTHON) -m pip install --quiet --disable-pip-version-check
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint check-install bench browser

# pip's progress stays visible: the first install downloads GeoPandas, GDAL and pygeoapi wheels.
run:
	@echo "make run: installing planmap and its dependencies (about a minute the first time)"
	$(PYTHON) -m pip install --disable-pip-version-check --progress-bar on -e .
	$(PYTHON) -m webmap.cli serve --host $(HOST) --port $(PORT)

test: browser
	$(PIP) -e '.[test,lint]'
	$(MAKE) --no-print-directory lint PYTHON=$(PYTHON)
	$(PYTHON) -m pytest

# Unit tests on small fixtures, without the full build, GDAL's OGC client or the browser: under a minute.
test-fast:
	$(PIP) -e '.[test,lint]'
	$(PYTHON) -m pytest -m "not slow and not browser" -q

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m mypy

# The wheel installed in a fresh venv outside the checkout builds and serves.
check-install:
	$(PYTHON) scripts/check_install.py

bench: browser
	$(PIP) -e '.[test,bench]'
	$(PYTHON) benchmarks/run_all.py --quick

# Debian's Chromium drives the browser tests; Playwright never downloads a browser of its own.
# Debian's QGIS (with a CJK font for the labels) renders the GeoPackage in tests/layers/test_qgis.py.
browser:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@/usr/bin/python3 -c 'import qgis.core' >/dev/null 2>&1 && fc-list | grep -q 'Noto Sans CJK' || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-qgis qgis-providers fonts-noto-cjk; }
