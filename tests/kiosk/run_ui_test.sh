#!/bin/sh
# Runs one kiosk UI test: tests/kiosk/scripts/NAME.vps.
#   run_ui_test.sh KIOSK FIXTURE SCRIPT REFDIR WORKDIR
# Lines of the script starting with "#fixture bare" ask for an empty store;
# Checks run when the script has ended.
# "#args ..." adds options (--size WxH, --lang en);
# "#check CMD ARG => TEXT" runs `kiosk_fixture CMD DIR ARG` afterwards and
# fails unless its output contains TEXT ("#check-not" : must not contain).
# Every `shot FILE.png` is compared with REFDIR/FILE.png; VP_UPDATE_SHOTS=1
# updates the references instead.
set -eu
kiosk=$1 fixture=$2 script=$3 refdir=$4 work=$5
name=$(basename "$script" .vps)
dir="$work/$name"
rm -rf "$dir"
mkdir -p "$dir/data" "$dir/shots"
export TZ=UTC VP_KIOSK_CLOCK=${VP_KIOSK_CLOCK:-2026-11-24T09:14:00Z}
export LSAN_OPTIONS="suppressions=$(dirname "$0")/lsan.supp:print_suppressions=0"
if grep -q '^#fixture bare' "$script"; then
    "$fixture" make "$dir/data" --bare
else
    "$fixture" make "$dir/data"
fi
args=$(sed -n 's/^#args //p' "$script")
# shellcheck disable=SC2086
if ! "$kiosk" script "$script" --data "$dir/data" --shots "$dir/shots" $args; then
    echo "FAIL: $name: the script did not hold"
    exit 1
fi
status=0
grep -E '^#check(-not)? ' "$script" | while IFS= read -r line; do
    kind=${line%% *}
    rest=${line#* }
    cmd=${rest%% =>*}
    want=${rest#*=> }
    set -- $cmd
    got=$("$fixture" "$1" "$dir/data" ${2:+"$2"} 2>&1 || true)
    if [ "$kind" = "#check" ] && ! printf '%s\n' "$got" | grep -qF -- "$want"; then
        echo "FAIL: $name: '$cmd' gave '$got', want it to contain '$want'"
        exit 1
    fi
    if [ "$kind" = "#check-not" ] && printf '%s\n' "$got" | grep -qF -- "$want"; then
        echo "FAIL: $name: '$cmd' gave '$got', want it not to contain '$want'"
        exit 1
    fi
done || status=1
for shot in $(sed -n 's/^shot[[:space:]]\+\([^[:space:]]\+\).*/\1/p' "$script"); do
    if [ "${VP_UPDATE_SHOTS:-0}" = 1 ]; then
        cp "$dir/shots/$shot" "$refdir/$shot"
        echo "updated $refdir/$shot"
    elif ! "$fixture" compare "$refdir/$shot" "$dir/shots/$shot" "$dir/shots/diff-$shot"; then
        status=1
    fi
done
[ $status -eq 0 ] && echo "ok: $name"
exit $status
