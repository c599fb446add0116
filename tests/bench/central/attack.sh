#!/bin/sh
# The attack load check of vindplaats-central in one command:
#   tests/bench/central/attack.sh [BUILD_DIR] [SECONDS]
# Creates the demo data in a temporary folder, starts the server on
# 127.0.0.1 with its default limits, and runs central_attack: a tablet syncs
# for SECONDS (default 30) quietly, then as long again while 16 addresses x
# 63 connections send slow headers and 25 wrong logins a second arrive.
# Prints a Markdown table (for docs/performance.md) and the raw numbers.
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=${1:-$root/build/default}
seconds=${2:-${ATTACK_SECONDS:-30}}

if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DVP_BUILD_KIOSK=OFF -DVP_FAULT_HOOKS=OFF >/dev/null
fi
cmake --build "$build" -j2 --target vindplaats-central central_attack >/dev/null
bin=$build/sync/central/vindplaats-central
data=$(mktemp -d)
out=$(mktemp)
res=$(mktemp)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data" "$out" "$res"' EXIT

"$bin" demo --data "$data" >"$data/demo.txt"
code=$(awk -F '\t' 'NF == 3 { print $2; exit }' "$data/demo.txt")
"$bin" serve --data "$data" --listen 127.0.0.1:0 >"$out" &
pid=$!
n=0
while ! grep -q '^listening on' "$out"; do
    n=$((n + 1)); [ $n -lt 100 ] || { echo "server did not start" >&2; exit 1; }
    sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$out")
"$build/tests/bench/central/central_attack" "$url" "$code" --seconds "$seconds" >"$res"

v() { awk -v k="$1" '$1 == k { print $2 }' "$res"; }
echo "| what ($seconds s each) | quiet | under attack |"
echo "|---|---|---|"
echo "| tablet pull (feed page), p50 / p99 | $(v quiet_pull_p50_ms) / $(v quiet_pull_p99_ms) ms | $(v attack_pull_p50_ms) / $(v attack_pull_p99_ms) ms |"
echo "| tablet push (20 records), p50 / p99 | $(v quiet_push_p50_ms) / $(v quiet_push_p99_ms) ms | $(v attack_push_p50_ms) / $(v attack_push_p99_ms) ms |"
echo "| \`/healthz\`, new connection, p50 / p99 | $(v quiet_healthz_p50_ms) / $(v quiet_healthz_p99_ms) ms | $(v attack_healthz_p50_ms) / $(v attack_healthz_p99_ms) ms |"
echo "| failed tablet or \`/healthz\` requests | $(( $(v quiet_pull_failures) + $(v quiet_push_failures) + $(v quiet_healthz_failures) )) | $(( $(v attack_pull_failures) + $(v attack_push_failures) + $(v attack_healthz_failures) )) |"
echo
echo "Tablet pull p99 under attack / quiet: **$(v pull_p99_ratio)×** (goal: at most 2×)."
echo "The attack: $(v slow_connections) slow connections (16 addresses × 63), $(v slow_connects) connects,"
echo "$(v slow_cut) of them closed by the server (per-address limit at once, deadline after 10 s);"
echo "$(v logins) wrong logins, $(v logins_evaluated) evaluated (argon2id), $(v logins_refused) refused with 429, $(v logins_other) unanswered."
echo "cpu $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores"
