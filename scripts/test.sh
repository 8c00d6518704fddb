#!/usr/bin/env bash
# The project's test command (README "Quick start", and what .ci/run runs):
# lint, format check, type check, then the whole test suite on both cores.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/uv.sh
uv run --frozen ruff check .
uv run --frozen ruff format --check .
uv run --frozen mypy
uv run --frozen pytest -n 2 "$@"
