#!/usr/bin/env bash
# Kiosk benchmarks (not ctest; ./bench.sh kiosk runs this and writes the
# output into docs/performance.md). Prints a Markdown table.
#   tests/bench/kiosk/run.sh BUILD_DIR
# Measures, at 1280x800 with SDL's software renderer on Xvfb (no GPU):
# cold start to first frame, resident memory, idle CPU over 10 s, frame
# times on the busiest screen, tap "save" to durable commit.
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR}
kiosk="$build/app/vindplaats-kiosk"
fixture="$build/tests/kiosk/kiosk_fixture"
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$kiosk" ] && [ -x "$fixture" ] || { echo "build first: $kiosk, $fixture" >&2; exit 1; }
command -v Xvfb >/dev/null || { echo "Xvfb is needed for the kiosk benchmarks" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/var/tmp}/vp-kiosk-bench-XXXXXX")
display=":$((150 + $$ % 50))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
kpid=
trap '[ -n "$kpid" ] && kill $kpid 2>/dev/null; kill $xvfb 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
export DISPLAY=$display TZ=UTC
sleep 1
"$fixture" make "$work/data" >/dev/null

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# cold start: launch to the first presented frame (the app prints the wall
# clock at that moment), 15 runs, median; software and accelerated renderer
first_frame() {
    local extra=$1
    for _ in $(seq 1 15); do
        t0=$(date +%s%3N)
        out=$(VP_KIOSK_BENCH=1 VP_KIOSK_EXIT_AFTER_FIRST_FRAME=1 "$kiosk" --data "$work/data" \
              --size 1280x800 $extra 2>&1 >/dev/null)
        t1=$(echo "$out" | sed -n 's/.*first_frame_unix_ms=\([0-9]*\).*/\1/p')
        echo $((t1 - t0))
    done | median
}
soft=$(first_frame "")
accel=$(first_frame "--accelerated")

# resident memory and idle CPU of a running kiosk on the lock screen
"$kiosk" --data "$work/data" --size 1280x800 >/dev/null 2>&1 &
kpid=$!
sleep 3
rss=$(awk '/^VmRSS/ { print $2 }' /proc/$kpid/status)
pss=$(awk '/^Pss:/ { print $2 }' /proc/$kpid/smaps_rollup 2>/dev/null || echo "?")
hz=$(getconf CLK_TCK)
t0=$(awk '{ print $14 + $15 }' /proc/$kpid/stat)
sleep 10
t1=$(awk '{ print $14 + $15 }' /proc/$kpid/stat)
idle=$(awk -v a="$t0" -v b="$t1" -v hz="$hz" 'BEGIN { printf "%.2f", (b - a) / hz / 10 * 100 }')
kill $kpid; wait $kpid 2>/dev/null || true
kpid=

# frames on the busiest screen and tap-to-commit, through script mode
# (offscreen driver, software renderer, same drawing code)
"$fixture" make "$work/data2" >/dev/null
stats=$(VP_KIOSK_BENCH=1 VP_KIOSK_CLOCK=2026-11-24T09:14:00Z "$kiosk" script "$here/busiest.vps" \
        --data "$work/data2" 2>&1 | sed -n 's/^bench //p')
get() { echo "$stats" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

echo "| what | measured | budget |"
echo "|---|---|---|"
echo "| cold start to first frame, software renderer (median of 15) | ${soft} ms | ≤ 100 ms |"
echo "| cold start to first frame, SDL's accelerated renderer (llvmpipe here) | ${accel} ms | (for comparison) |"
echo "| resident memory on the lock screen (RSS / PSS) | $((rss / 1024)) MB / $((${pss:-0} / 1024)) MB | ≤ 40 MB |"
echo "| idle CPU over 10 s | ${idle} % of a core | ≤ 1 % |"
echo "| frame time, busiest screen (Nieuw signaal + extras + toast), median of $(get frames) frames | $(get median_ms) ms | ≤ 8 ms |"
echo "| frame time, worst after the first frame | $(get worst_after_first_ms) ms | ≤ 8 ms |"
echo "| frame time, worst including the first (glyph cache empty) | $(get worst_ms) ms | |"
echo "| tap \"save\" to durable commit, median / worst of $(get saves) | $(get save_median_ms) ms / $(get save_worst_ms) ms | ≤ 10 ms |"
