# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
PIP := $(PYTHON) -m pip install --quiet --disable-pip-version-check
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench browser

run:
	$(PIP) -e .
	$(PYTHON) -m webmap.cli serve --host $(HOST) --port $(PORT)

test: browser
	$(PIP) -e '.[test]'
	$(PYTHON) -m pytest

bench: browser
	$(PIP) -e '.[test,bench]'
	$(PYTHON) benchmarks/run_all.py --quick

# Debian's Chromium drives the browser tests; Playwright never downloads a browser of its own.
# Debian's QGIS (with a CJK font for the labels) renders the GeoPackage in tests/layers/test_qgis.py.
browser:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@/usr/bin/python3 -c 'import qgis.core' >/dev/null 2>&1 && fc-list | grep -q 'Noto Sans CJK' || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-qgis qgis-providers fonts-noto-cjk; }
