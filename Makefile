# Shortcuts for a checkout with .venv set up (see README.md).
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: test lint format serve demo

test:
	$(BIN)/pytest

lint:
	$(BIN)/ruff check .

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

serve:
	$(BIN)/clearinghouse serve

demo:
	$(BIN)/clearinghouse demo
