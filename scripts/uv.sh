# Sourced by bootstrap.sh, test.sh and .ci/run: make sure a `uv` is on PATH, without touching the system Python.
#
# A distribution's Python (Debian/Ubuntu, Homebrew) is "externally managed" (PEP 668): `pip install uv`
# is refused there. So, in order: a uv already on PATH; the project's own tool environment (.tools/uv);
# else create it: a virtual environment of python3 with uv pip-installed into it; if python3 has no venv
# module (Debian without python3-venv), pip installs uv into a target folder instead, which PEP 668 allows;
# last, pipx. Nothing is installed outside the repository except by pipx.
_enclave_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_enclave_tools="$_enclave_root/.tools/uv"
if ! command -v uv >/dev/null 2>&1; then
  if [ ! -x "$_enclave_tools/bin/uv" ]; then
    echo "installing uv into $_enclave_tools (the system Python is left alone)" >&2
    if python3 -m venv "$_enclave_tools" >/dev/null 2>&1 && "$_enclave_tools/bin/python" -m pip install --quiet "uv>=0.9"; then
      :
    elif python3 -m pip install --quiet --target "$_enclave_tools/target" "uv>=0.9"; then
      mkdir -p "$_enclave_tools/bin" && ln -sf "$_enclave_tools/target/bin/uv" "$_enclave_tools/bin/uv"
    elif command -v pipx >/dev/null 2>&1 && pipx install uv >/dev/null; then
      _enclave_tools="${PIPX_HOME:-$HOME/.local}"  # pipx puts uv in ~/.local/bin by default
    else
      echo "cannot install uv: python3 has neither venv nor pip, and there is no pipx; install uv and re-run" >&2
      exit 1
    fi
  fi
  export PATH="$_enclave_tools/bin:$PATH"
fi
