#!/usr/bin/env bash
# tests/bench/console/run.sh BUILD_DIR - the console's inbox with 10,000
# signals (server time budget 300 ms). Prints a Markdown table; ./bench.sh
# writes it into docs/performance.md.
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
export VP_CENTRAL_BIN="$build/sync/central/vindplaats-central"
[ -x "$VP_CENTRAL_BIN" ] || { echo "no $VP_CENTRAL_BIN: build first" >&2; exit 1; }
mkdir -p "$build/tmp"
export TMPDIR="$build/tmp"
exec node "$here/bench.mjs"
