#!/usr/bin/env bash
# Headless Chromium for the evidence-report test (tests/audit/browser.py), from the distribution's packages.
# Idempotent: does nothing when a chromium is already on PATH. Non-interactive: apt-get as root, or through
# `sudo -n` (never prompts). On macOS, install it yourself (`brew install --cask chromium`).
set -euo pipefail
for name in chromium chromium-browser google-chrome; do
  if command -v "$name" >/dev/null 2>&1; then exit 0; fi
done
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: no chromium on PATH and no apt-get; install Chromium and re-run" >&2
  exit 1
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then as_root=(sudo -n); fi
export DEBIAN_FRONTEND=noninteractive
# Ubuntu's `chromium` package is a snap shim; Debian's is the real browser. Both answer --headless.
if ! "${as_root[@]}" apt-get install -y -q --no-install-recommends chromium >/dev/null 2>&1; then
  "${as_root[@]}" apt-get update -q >/dev/null
  "${as_root[@]}" apt-get install -y -q --no-install-recommends chromium >/dev/null
fi
command -v chromium >/dev/null 2>&1 || { echo "install-chromium: chromium did not install" >&2; exit 1; }
