#!/usr/bin/env bash
# The project's test command (README "Quick start", and what .ci/run runs):
# lint, format check, type check, then the whole test suite on both cores.
set -euo pipefail
cd "$(dirname "$0")/.."
# `pip install uv` may put uv where PATH does not look; `python3 -m uv` always works.
if command -v uv >/dev/null 2>&1; then uv=(uv); else uv=(python3 -m uv); fi
"${uv[@]}" run --frozen ruff check .
"${uv[@]}" run --frozen ruff format --check .
"${uv[@]}" run --frozen mypy
"${uv[@]}" run --frozen pytest -n 2 "$@"
