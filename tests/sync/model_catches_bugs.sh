#!/bin/sh
# Shows that the model test would notice the three tablet bugs of issue 9:
# for each of VP_TEST_REENABLE_BUG=1, 2, 3 it builds the model test with that
# bug switched back on (a Debug tree of its own) and expects it to FAIL; a
# pass means the model test has gone blind to that bug.
#   model_catches_bugs.sh SOURCE_DIR WORK_DIR [SEEDS]
set -u
src=$1 work=$2 seeds=${3:-200}
status=0
mkdir -p "$work" || exit 1
for bug in 1 2 3; do
    dir="$work/bug$bug"
    if ! cmake -S "$src" -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DVP_TEST_REENABLE_BUG=$bug \
            -DVP_WERROR=OFF -DVP_SANITIZE=OFF >"$dir.log" 2>&1 ||
       ! cmake --build "$dir" -j "$(nproc)" --target test_model vindplaats-central \
            >>"$dir.log" 2>&1; then
        echo "bug $bug: the build failed (see $dir.log)"
        status=1
        continue
    fi
    mkdir -p "$dir/tmp"
    if (cd "$dir" && TMPDIR="$dir/tmp" VP_MODEL_SEEDS=$seeds ./tests/sync/test_model \
            >"$dir/model.log" 2>&1); then
        echo "bug $bug: the model test PASSED with the bug back: it no longer sees it"
        status=1
    else
        echo "bug $bug: caught: $(grep -m1 '^model seed' "$dir/model.log")"
    fi
done
exit $status
