#!/bin/sh
# Benchmarks vindplaats-central in one command:
#   tests/bench/central/run.sh [BUILD_DIR]
# Builds (Release) if needed, creates the demo data in a temporary folder,
# starts the server on 127.0.0.1 with the rate limit lifted, enrols 8 devices
# and runs central_load: ingest with 200-record batches from 8 concurrent
# clients, then pull requests. Prints the results and the machine.
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=${1:-$root/build/central-bench}
clients=${CLIENTS:-8}
batches=${BATCHES:-50}
pull_seconds=${PULL_SECONDS:-5}

if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DVP_BUILD_KIOSK=OFF -DVP_FAULT_HOOKS=OFF >/dev/null
fi
make -C "$build" -j"$(nproc)" vindplaats-central central_load >/dev/null 2>&1
bin=$build/sync/central/vindplaats-central
data=$(mktemp -d)
out=$(mktemp)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data" "$out"' EXIT

"$bin" demo --data "$data" >"$data/demo.txt"
loc=$(awk -F '\t' 'NF == 3 { print $1; exit }' "$data/demo.txt")
codes=""
i=0
while [ $i -lt "$clients" ]; do
    codes="$codes $("$bin" enroll-code --location "$loc" --data "$data")"
    i=$((i + 1))
done
"$bin" serve --data "$data" --listen 127.0.0.1:0 --rate-limit 1000000 --threads 4 >"$out" &
pid=$!
n=0
while ! grep -q '^listening on' "$out"; do
    n=$((n + 1)); [ $n -lt 100 ] || { echo "server did not start" >&2; exit 1; }
    sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$out")
# shellcheck disable=SC2086
"$build/tests/bench/central/central_load" "$url" $codes --batches "$batches" --pull-seconds "$pull_seconds"
echo "cpu $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "cores $(nproc)"
echo "observations_stored $(sqlite3 "$data/central.db" 'SELECT COUNT(*) FROM observations' 2>/dev/null || echo '?')"
