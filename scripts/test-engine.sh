#!/usr/bin/env bash
# The engine tier: the real Pulumi CLI (built by scripts/engine.sh) previews and deploys every shipped
# stack with the residency pack into a local file:// backend, with stand-in aws and kubernetes providers,
# and holds the offline gate to the engine's verdicts (tests/engine, pytest marker `engine`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/uv.sh
bash scripts/engine.sh
# The stacks' Lambda layer: the engine hashes every archive a program declares already at preview.
bash scripts/build_lambda_layer.sh
start=$SECONDS
uv run --frozen pytest -m engine tests/engine -n 2 "$@"
echo "test-engine.sh: engine tier took $((SECONDS - start)) s"
