#!/usr/bin/env bash
# The pipeline's dependency layer (components/lambda_code.py): the `lambda` dependency group of uv.lock
# (Polars), as manylinux x86_64 wheels for the Lambda runtime's Python, into build/lambda-layer/python/.
# Run before `pulumi preview` or `pulumi up`: the engine hashes the archive already at preview (shown by the
# engine tier, which runs this first); the offline plan, the gate and the offline tests never read it.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v uv >/dev/null 2>&1; then uv=(uv); else uv=(python3 -m uv); fi
out=build/lambda-layer
rm -rf "$out" && mkdir -p "$out/python"
"${uv[@]}" export --frozen --only-group lambda --no-hashes --no-emit-project > "$out/requirements.txt"
"${uv[@]}" pip install --quiet --target "$out/python" --python-version 3.12 \
  --python-platform x86_64-manylinux2014 --only-binary :all: -r "$out/requirements.txt"
rm "$out/requirements.txt"
du -sh "$out"
