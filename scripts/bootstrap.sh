#!/usr/bin/env bash
# Quick start, step 1: install the project (and uv, if needed, without touching the system Python), then
# print offline what every stack would deploy. Extra arguments go to `enclave plan` (default: --all).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/uv.sh
uv sync --frozen --compile-bytecode
if [ "$#" -eq 0 ]; then set -- --all; fi
uv run --frozen enclave plan "$@"
