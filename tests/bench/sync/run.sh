#!/usr/bin/env bash
# Drain benchmark: N observations pending on a tablet, one `sync` round over
# loopback to a real central service. Prints a Markdown table.
#   tests/bench/sync/run.sh BUILD_DIR [N...]      (default N: 10000 100000)
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR [N...]}
shift
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
central="$build/sync/central/vindplaats-central"
tool="$build/tests/sync/synctool"
[ -x "$central" ] && [ -x "$tool" ] || { echo "build first: $central, $tool" >&2; exit 1; }

echo "| pending observations | drain time | observations/s | bytes up / observation | bytes down / observation | on the server |"
echo "|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
    dir=$(mktemp -d "${TMPDIR:-/var/tmp}/vp-drain-XXXXXX")
    "$central" demo --data "$dir/central" > "$dir/demo.txt"
    code=$(awk -F'\t' 'NF == 3 && $3 == "Dolfijn" { print $2 }' "$dir/demo.txt")
    # the per-device rate limit (1200 requests/min) is lifted: 100,000 records are 500 pushes
    "$central" serve --data "$dir/central" --listen 127.0.0.1:0 --rate-limit 1000000 \
        > "$dir/serve.out" 2>"$dir/serve.err" &
    pid=$!
    url=""
    for _ in $(seq 1 100); do
        url=$(sed -n 's/^listening on //p' "$dir/serve.out" | head -1)
        [ -n "$url" ] && break
        sleep 0.05
    done
    [ -n "$url" ] || { echo "central did not start" >&2; cat "$dir/serve.err" >&2; exit 1; }
    "$tool" enroll "$dir/kiosk.db" "$url" "$code"
    "$tool" save "$dir/kiosk.db" "$n" > /dev/null
    start=$(date +%s.%N)
    out=$("$tool" sync "$dir/kiosk.db")
    end=$(date +%s.%N)
    kill -TERM "$pid"; wait "$pid" || true
    up=$(sed -n 's/.*bytes_up=\([0-9]*\).*/\1/p' <<<"$out")
    down=$(sed -n 's/.*bytes_down=\([0-9]*\).*/\1/p' <<<"$out")
    stored=$(sqlite3 "$dir/central/central.db" "SELECT count(*) FROM observations")
    awk -v n="$n" -v s="$start" -v e="$end" -v up="$up" -v down="$down" -v st="$stored" 'BEGIN {
        t = e - s; printf "| %d | %.2f s | %.0f | %.0f | %.0f | %d |\n", n, t, n / t, up / n, down / n, st }'
    rm -rf "$dir"
done
