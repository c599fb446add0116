#!/usr/bin/env bash
# ./bench.sh [AREA...] - run the benchmarks (store, sync, central, central-attack, kiosk,
# console; default: all) on this machine and write their results, with the machine they
# ran on, into docs/performance.md (between <!-- bench:AREA --> markers; the
# rest of that file is kept as written).
set -euo pipefail
. "$(dirname "$0")/scripts/setup.sh"

vp_install $VP_PKGS_BUILD $VP_PKGS_TEST $VP_PKGS_BENCH
vp_build default
BUILD="$VP_ROOT/build/default"
DOC="$VP_ROOT/docs/performance.md"
areas=("$@")
[ ${#areas[@]} -gt 0 ] || areas=(store sync central central-attack kiosk console)

machine() {
    local cpu mem
    cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
    mem=$(free -g | awk '/^Mem:/ { print $2 " GiB" }')
    echo "$(date -u +%Y-%m-%d), $(nproc) cores ($cpu), $mem RAM, $(uname -sr), $(. /etc/os-release && echo "$PRETTY_NAME")"
}

run_area() {
    case $1 in
    store) "$BUILD/tests/bench/bench_store" 10000 ;;
    sync) "$VP_ROOT/tests/bench/sync/run.sh" "$BUILD" 10000 100000 ;;
    central-attack) "$VP_ROOT/tests/bench/central/attack.sh" "$BUILD" ;;
    central | kiosk | console)
        local script="$VP_ROOT/tests/bench/$1/run.sh"
        [ -x "$script" ] || { echo "(no benchmark script for $1 yet)"; return 0; }
        "$script" "$BUILD" ;;
    *) vp_die "unknown benchmark area: $1" ;;
    esac
}

# replace_block AREA FILE-WITH-CONTENT: swaps the text between the markers.
replace_block() {
    local area=$1 content=$2 begin="<!-- bench:$1 -->" end="<!-- /bench:$1 -->"
    [ -f "$DOC" ] || printf '# Performance\n' > "$DOC"
    if ! grep -qF "$begin" "$DOC"; then
        printf '\n## %s (measured by ./bench.sh %s)\n\n%s\n%s\n' "$area" "$area" "$begin" "$end" >> "$DOC"
    fi
    awk -v b="$begin" -v e="$end" -v f="$content" '
        $0 == b { print; while ((getline line < f) > 0) print line; skip = 1; next }
        $0 == e { skip = 0 }
        !skip { print }' "$DOC" > "$DOC.tmp" && mv "$DOC.tmp" "$DOC"
}

for area in "${areas[@]}"; do
    vp_say "Benchmark: $area"
    out=$(mktemp)
    { echo "Ran on $(machine)."; echo; run_area "$area"; } | tee "$out"
    replace_block "$area" "$out"
    rm -f "$out"
done
vp_say "Results written to docs/performance.md"
