# dfed — make help lists the targets.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests run against real services; these are the local defaults (override in the environment).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/dfed
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

.DEFAULT_GOAL := help
.PHONY: help venv install install-dev run serve migrate demo test test-fast test-axe bench lint format worker beat check-deploy clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed ## Create .venv and install requirements.txt

install-dev: $(VENV)/.installed-dev ## Install the test tools too

migrate: install ## Apply database migrations
	$(PYTHON) manage.py migrate --noinput

demo: migrate ## Load demo data and demo users (idempotent)
	$(PYTHON) manage.py load_demo

run: demo ## Install, migrate, load demo data and serve on http://127.0.0.1:8000
	@echo "打开 http://$(HOST):$(PORT)/ ，演示账号见 README 或登录页。"
	$(PYTHON) manage.py runserver $(HOST):$(PORT)

serve: ## Serve without reinstalling or reloading demo data
	$(PYTHON) manage.py runserver $(HOST):$(PORT)

test: install-dev ## Run the whole suite (PostgreSQL + Redis, browser tests included)
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(BIN)/pytest $(PYTEST_ARGS)

test-fast: install-dev ## Run the suite without the slow browser tests
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(BIN)/pytest -m "not slow" $(PYTEST_ARGS)

test-axe: install-dev ## The axe-core crawl over every page, role, language and width
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(BIN)/pytest tests/e2e/test_axe.py -m axe $(PYTEST_ARGS)

bench: install-dev ## Run the benchmarks under tests/bench (prints figures and ratios)
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(BIN)/pytest tests/bench -m bench -s -p no:cacheprovider $(PYTEST_ARGS)

lint: install-dev ## ruff check, format check and the import contracts (pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/ruff format --check . || true

format: install-dev ## ruff format and fix imports
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: install ## Run a Celery worker against REDIS_URL (CELERY_QUEUES=sms,... to take only some queues)
	@test -n "$$REDIS_URL" || (echo "请先设置 REDIS_URL，例如 redis://127.0.0.1:6379/0" && exit 2)
	$(BIN)/celery -A dfed worker -l info -Q $${CELERY_QUEUES:-default,sms,imports,batches,reports}

beat: install ## Run Celery beat (database scheduler) against REDIS_URL
	@test -n "$$REDIS_URL" || (echo "请先设置 REDIS_URL，例如 redis://127.0.0.1:6379/0" && exit 2)
	$(BIN)/celery -A dfed beat -l info

check-deploy: install ## manage.py check --deploy with production settings
	DJANGO_SETTINGS_MODULE=dfed.settings.production SECRET_KEY=$${SECRET_KEY:-$$($(PYTHON) -c 'import secrets;print(secrets.token_urlsafe(64))')} \
		ALLOWED_HOSTS=dfed.example.org $(PYTHON) manage.py check --deploy --fail-level WARNING

clean: ## Remove the venv, the SQLite database and generated files
	rm -rf $(VENV) db.sqlite3 var
