#!/usr/bin/env bash
# System packages some tests need, from the distribution (Debian/Ubuntu apt), installed by .ci/run:
# - chromium: the evidence report is rendered in headless Chromium (tests/enclave/audit/browser.py);
# - python3, python3-venv, python3-pip: the distribution's own, PEP 668-managed Python, on which the quick
#   start is tested (tests/scripts/test_bootstrap.py).
# Idempotent (installs only what is missing) and non-interactive: apt-get as root, or `sudo -n` (never prompts).
# On macOS, install Chromium yourself (`brew install --cask chromium`); the Python of the system is used as is.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
[ -x /usr/bin/python3 ] || missing+=(python3)
/usr/bin/python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
/usr/bin/python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
if [ "${#missing[@]}" -eq 0 ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-tools: missing ${missing[*]} and no apt-get; install them and re-run" >&2
  exit 1
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then as_root=(sudo -n); fi
export DEBIAN_FRONTEND=noninteractive
# Try without refreshing the package lists first (fast when they are current), then refresh once.
if ! "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  "${as_root[@]}" apt-get update -q >/dev/null
  "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
