# The two commands: `make demo` and `make test`. Both build the same .venv.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS :=

.PHONY: demo test venv lint clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# CPU torch first from local disk, or sentence-transformers pulls a multi-GB CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test]'
	# HELM for the export test: its MedHELM loader only. Its full dependency set pins a CUDA torch and an older
	# `datasets`, so it goes in without dependencies, plus the few pure-Python packages that loader imports.
	$(BIN)/pip install -q --no-deps crfm-helm==0.5.16 pyhocon==0.3.63 cattrs==22.2.0 dacite==1.9.2 retrying==1.4.2 \
		ubelt==1.4.3 colorlog==6.12.0 Mako==1.4.3 bottle==0.12.25 uncertainty-calibration==0.1.4 pyparsing==3.3.3
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/clio demo --workspace demo-workspace

test: $(STAMP) chromium
	$(BIN)/ruff check clio privacy domains dashboard tests bench
	$(BIN)/python -m pytest -q

# The dashboard's browser tests drive the system Chromium (Playwright, never `playwright install`).
# Installed here when missing and we are root (as in CI); otherwise those tests skip and say why.
.PHONY: chromium
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else echo "NOTE: /usr/bin/chromium is missing and this is not root: the dashboard browser tests will be" \
		"SKIPPED. Install it with: sudo apt-get install -y chromium"; fi

clean:
	rm -rf $(VENV) demo-workspace
