# Each target sets itself up: a virtual environment in .venv with what it needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEMOS := demos/neuron_from_scratch.py demos/train_moons.py demos/xor_with_sigmoid.py

.PHONY: demo test bench images lint clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev,plot,bench]"
	touch $@

$(VENV)/.demo: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[plot]"
	touch $@

demo: $(VENV)/.demo
	@bash scripts/system-deps.sh
	@for d in $(DEMOS); do echo "== $$d"; $(PY) $$d || exit 1; done
	@echo "pictures: $(CURDIR)/out/moons_boundary.png and $(CURDIR)/out/loss_curve.png"

test: $(VENV)/.dev
	@bash scripts/system-deps.sh
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

lint: $(VENV)/.dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis .ruff_cache
