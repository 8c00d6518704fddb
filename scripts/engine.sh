#!/usr/bin/env bash
# Builds the real Pulumi CLI from the Go module proxy into .engine/bin (git-ignored), once per version.
# The engine test tier (scripts/test-engine.sh) uses it.
#
# - The CLI is github.com/pulumi/pulumi/pkg/v3/cmd/pulumi at the version pinned in tools/engine/go.mod: the
#   nearest the proxy serves at or above the `pulumi` Python SDK in uv.lock (pkg/v3 v3.272.0 is not served;
#   v3.274.0 is). `go install pkg@version` refuses pkg/v3 because its go.mod has `replace` lines, so
#   tools/engine is a wrapper module that requires it and restates them.
# - The Python language host (github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3) is not
#   served by the proxy at any version (403 "This module version is not available"). The tier serves
#   programs to the CLI the way the Automation API does for inline programs (tests/engine/program_host.py)
#   and starts the policy pack as a binary analyzer plugin (tests/engine/harness.py, docs/engine.md).
# - Cached: a second run with the same go.mod and go.sum returns at once. Go's own caches
#   (GOCACHE, GOMODCACHE: ~/.cache/go-build, ~/go/pkg/mod) make a rebuild after a version bump cheaper.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.engine/bin
wrapper=tools/engine
version="$(sed -n 's|^[[:space:]]*github.com/pulumi/pulumi/pkg/v3 \(v[0-9][0-9.]*\).*|\1|p' "$wrapper/go.mod")"
if [[ -z "$version" ]]; then
  echo "engine.sh: cannot read the github.com/pulumi/pulumi/pkg/v3 version from $wrapper/go.mod" >&2
  exit 2
fi
key="$version $(cat "$wrapper/go.mod" "$wrapper/go.sum" | sha256sum | cut -c1-16)"
if [[ -x "$bin/pulumi" && "$(cat "$bin/.key" 2>/dev/null)" == "$key" ]]; then
  echo "engine.sh: pulumi $version already built in $bin"
  exit 0
fi

go_bin="$(command -v go || true)"
if [[ -z "$go_bin" && -x /usr/local/go/bin/go ]]; then go_bin=/usr/local/go/bin/go; fi
if [[ -z "$go_bin" ]]; then
  echo "engine.sh: Go is not installed: building the Pulumi CLI $version needs Go >= $(sed -n 's/^go //p' "$wrapper/go.mod") (on PATH or at /usr/local/go/bin/go) and the Go module proxy" >&2
  exit 2
fi
needed="$(sed -n 's/^go //p' "$wrapper/go.mod")"
have="$("$go_bin" env GOVERSION | sed 's/^go//')"
if [[ "$(printf '%s\n%s\n' "$needed" "$have" | sort -V | head -1)" != "$needed" ]]; then
  echo "engine.sh: Go $have is too old: tools/engine/go.mod needs Go >= $needed" >&2
  exit 2
fi

echo "engine.sh: building pulumi $version with $("$go_bin" version) (cold: tens of minutes on 2 cores)"
start=$SECONDS
mkdir -p "$bin"
rm -f "$bin/.key"
# -trimpath and -s -w: no local paths or debug tables in the binary (smaller, and the link step is faster).
GOFLAGS=-mod=readonly "$go_bin" build -C "$wrapper" -trimpath \
  -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
  -o "$PWD/$bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
echo "$key" > "$bin/.key"
echo "engine.sh: built $("$bin/pulumi" version) in $((SECONDS - start)) s"
