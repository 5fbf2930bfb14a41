# Each target sets itself up: a virtual environment in .venv with what it needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEMOS := demos/neuron_from_scratch.py demos/train_moons.py demos/xor_with_sigmoid.py \
	demos/draw_graphs.py demos/backprop_step_by_step.py \
	demos/your_own_operation.py demos/newton_method.py demos/forward_vs_reverse.py \
	demos/compiled_training.py

.PHONY: demo test test-slow bench images lint notebook clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev,plot,bench]"
	touch $@

$(VENV)/.demo: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[plot]"
	touch $@

$(VENV)/.notebook: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[notebook,plot]"
	touch $@

demo: $(VENV)/.demo
	@bash scripts/system-deps.sh
	@touch $(VENV)/.demo-started
	@for d in $(DEMOS); do echo "== $$d"; $(PY) $$d || exit 1; done
	@echo "== what the demos wrote, in $(CURDIR)/out:"
	@find out -type f -newer $(VENV)/.demo-started | sort | awk -F/ \
		'NF == 2 { print "  " $$2; next } { n[$$2]++ } END { for (d in n) print "  " d "/ (" n[d] " files)" }'
	@echo "== to use tinygrad-edu and this python from your shell: source .venv/bin/activate"

test: $(VENV)/.dev
	@bash scripts/system-deps.sh
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

# Workload tables against micrograd, PyTorch and plain floats; QUICK=1 for a smoke run.
bench: $(VENV)/.dev
	$(PY) -m benchmarks $(if $(QUICK),--quick)

# The long runs `make test` leaves out (pytest -m slow), e.g. micrograd's loop for seeds 0-9.
test-slow: $(VENV)/.dev
	$(PY) -m pytest -m slow

# The README's pictures, drawn by the command line itself.
GRAPH := $(PY) -m tinygrad_edu graph
images: $(VENV)/.demo
	@bash scripts/system-deps.sh
	$(GRAPH) "(sigmoid(x1*w1 + x2*w2 + b) - 1)**2" --set x1=2 x2=3 w1=0.5 w2=-0.4 b=0.1 \
		--params w1,w2,b \
		--rankdir TB -o docs/images/neuron.svg
	$(GRAPH) --mlp 1,2,1 --seed 0 --rankdir TB -o docs/images/mlp.svg
	$(GRAPH) --mlp 3,4,4,1 --seed 0 --collapse -o docs/images/mlp_collapsed.svg

# The classroom notebooks: each .ipynb made from its `# %%` source in notebooks/ (Jupytext
# keeps the two in step when JupyterLab saves), then JupyterLab on them. PORT=8890 to choose.
NOTEBOOKS := $(wildcard notebooks/*.py)
notebook: $(VENV)/.notebook
	@bash scripts/system-deps.sh
	$(VENV)/bin/jupytext --sync $(NOTEBOOKS)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(PORT),--port=$(PORT)) \
		$(if $(filter 0,$(shell id -u)),--allow-root)

lint: $(VENV)/.dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis .ruff_cache
