# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8080
HOST ?= 127.0.0.1

.PHONY: run test lint schemathesis bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-base: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.installed-test: requirements/base.txt requirements/test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/test.txt
	touch $@ $(VENV)/.installed-base

## Install, migrate, load the demo configuration and serve on $(HOST):$(PORT).
run: $(VENV)/.installed-base
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py gms_config load --if-empty docker/demo.ini
	$(BIN)/python manage.py gms_serve --host $(HOST) --port $(PORT)

## Install and run the whole test suite (GMS_DATABASE_URL / GMS_REDIS_URL choose the back ends).
test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Start a server and fuzz its live OpenAPI schema; zero 5xx allowed.

schemathesis: $(VENV)/.installed-test
	.ci/schemathesis

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
