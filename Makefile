# Quick start: `make demo` (serve the platform with demo data) and `make test` (run every test).
# Both create .venv on first use and reuse it after; they need only Python 3.11+ on the machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
HOST   ?= 127.0.0.1
BACKLOG ?= 1024
PYTEST_ARGS ?=

.PHONY: demo test lint venv browser vc-verifier bench-smoke clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed-base: pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed-base

venv: $(VENV)/.installed-test

# Debian's chromium for the browser tests (Playwright's own browser download cannot work here), a CJK font so
# screenshots show Chinese, and the TrueType CJK fonts of PDFs (reportlab cannot embed Noto CJK's CFF outlines:
# core/pdf_fonts.py): WenQuanYi Zen Hei for the common characters, and for rare characters of names HanaMin A/B
# (fonts-hanazono: CJK Ext A and all of Ext B, e.g. 𠅤 U+20164) and BabelStone Han (fonts-babelstone-han: part of
# Ext G/H). Installed only where missing and where apt-get may run; otherwise browser tests skip and say why, and
# the rare-character PDF tests skip naming the missing package.
PDF_FONT_FILES := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc /usr/share/fonts/truetype/hanazono/HanaMinA.ttf \
                  /usr/share/fonts/truetype/hanazono/HanaMinB.ttf /usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf
browser:
	@missing=; for f in $(PDF_FONT_FILES); do [ -f "$$f" ] || missing=1; done; \
	if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk \
	       fonts-wqy-zenhei fonts-hanazono fonts-babelstone-han >/dev/null) \
	      || echo "note: could not install chromium and the fonts; browser tests and rare-character PDF tests will be skipped"; \
	  else echo "note: chromium or fonts missing and apt-get not usable; browser tests will be skipped"; fi; \
	fi

# The independent verifier of our verifiable credentials (tests/vc_verifier: Digital Bazaar's JavaScript stack,
# versions pinned by its package-lock.json). Installed where npm exists; otherwise its test skips and says why.
vc-verifier:
	@if command -v npm >/dev/null 2>&1; then \
	  [ -d tests/vc_verifier/node_modules ] && [ tests/vc_verifier/node_modules -nt tests/vc_verifier/package-lock.json ] \
	    || npm ci --prefix tests/vc_verifier --no-audit --no-fund --loglevel=error \
	    || echo "note: could not install tests/vc_verifier; the independent credential verifier test will be skipped"; \
	else echo "note: npm missing; the independent credential verifier test will be skipped"; fi

# The server and the task worker run in the background and the recipe's shell waits for the server; on Ctrl-C or
# TERM (or the server exiting) it sends TERM to those two processes by id, waits for them and leaves. Never
# `kill 0`: that signals the whole process group, this shell included, whose trap then fires again (the recursion
# ended in "Segmentation fault"), and the group can hold whatever started make. The worker runs without autoreload,
# so TERM stops it gracefully. Daphne has no backlog flag; Twisted's endpoint string sets the listen queue of
# BACKLOG connections (the kernel caps it at net.core.somaxconn), so a burst of clients queues instead of being
# refused.
demo: export DEBUG ?= true
demo: $(VENV)/.installed-base
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Serving on http://$(HOST):$(PORT)/ with the background task worker. Ctrl-C stops both."
	@worker= server=; \
	  trap 'trap - INT TERM EXIT; kill $$worker $$server 2>/dev/null; wait; exit 130' INT TERM; \
	  trap 'trap - INT TERM EXIT; kill $$worker $$server 2>/dev/null; wait' EXIT; \
	  $(PY) manage.py db_worker --queue-name '*' --no-reload & worker=$$!; \
	  $(VENV)/bin/daphne -e tcp:port=$(PORT):interface=$(HOST):backlog=$(BACKLOG) config.asgi:application & server=$$!; \
	  wait $$server

test: $(VENV)/.installed-test browser vc-verifier
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest -n auto --dist loadfile $(PYTEST_ARGS)
	$(MAKE) --no-print-directory bench-smoke

# Tests never reach bench/ (tests/test_test_layout.py), so the benchmarks that are pure computation run here on a
# tiny scale, so they cannot rot: each checks its own answers (talent_matching against its brute force) and fails.
bench-smoke: $(VENV)/.installed-base
	$(PY) bench/talent_matching.py --talents 5000 --posts 50 --timed 20 >/dev/null

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) var staticfiles
