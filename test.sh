#!/usr/bin/env bash
# ./test.sh - install what is missing, build, and run every test.
# Exit status 0 only if everything passed. With CI=true the whole suite also
# runs under AddressSanitizer + UndefinedBehaviorSanitizer, and the fuzzers
# get a short run.
set -uo pipefail
. "$(dirname "$0")/scripts/setup.sh"

vp_install $VP_PKGS_BUILD $VP_PKGS_TEST
vp_install_npm

summary=()
status=0
run_suite() { # PRESET [ctest args...]
    local preset=$1 log line; shift
    vp_build "$preset"
    vp_say "Testing ($preset)"
    log=$(mktemp)
    if ctest --preset "$preset" -j "$VP_JOBS" "$@" 2>&1 | tee "$log"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
        line=$(grep -E 'tests passed|No tests were found' "$log" | tail -1)
        summary+=("$preset: ${line:-passed}")
    else
        line=$(grep -E 'tests passed' "$log" | tail -1)
        summary+=("$preset: FAILED — ${line:-see above}")
        while IFS= read -r t; do summary+=("    failed: $t"); done < <(
            sed -n 's/^[[:space:]]*[0-9]* - \(.*\) (.*/\1/p' "$log")
        status=1
    fi
    rm -f "$log"
}

if [ "${CI:-}" = "true" ]; then
    run_suite ci
    run_suite asan
    run_suite fuzz -L fuzz
else
    run_suite default
fi

echo
vp_say "Summary"
printf '  %s\n' "${summary[@]}"
exit $status
