#!/usr/bin/env bash
# Compile Python bytecode once, where every process would otherwise compile it again: this environment (and
# many CI images) set PYTHONDONTWRITEBYTECODE, so nothing a process compiles is ever written. `uv sync
# --compile-bytecode` compiles the project's packages in .venv; this compiles the project's own sources
# (installed editable, so not in .venv) and the uvx environments checkov and parliament run in (uvx does not
# compile an environment it has already built). compileall writes the files itself, whatever the variable.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/uv.sh
uv run --frozen python -m compileall -q -j 0 __main__.py adapters components enclave enclave_lambda \
    policy_engine policy_packs residency

compile_tool() {
    local prefix
    prefix="$(uvx --quiet "$@" python -c 'import sys; print(sys.prefix)')"
    uvx --quiet "$@" python -m compileall -q -j 0 "${prefix}/lib" >/dev/null
}
pins="$(uv run --frozen python -c 'from enclave.gate.checkov_runner import CHECKOV_VERSION as c
from enclave.gate.parliament_runner import PARLIAMENT_VERSION as p, SETUPTOOLS_VERSION as s
print(c, p, s)')"
read -r checkov_version parliament_version setuptools_version <<<"${pins}"
compile_tool --from "checkov==${checkov_version}"
compile_tool --from "parliament==${parliament_version}" --with "setuptools==${setuptools_version}"
