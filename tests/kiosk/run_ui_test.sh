#!/bin/sh
# Runs one kiosk UI test: tests/kiosk/scripts/NAME.vps, at every screen size
# and in both languages (issue 11).
#   run_ui_test.sh KIOSK FIXTURE SCRIPT REFDIR WORKDIR
# "#fixture bare" asks for an empty store ("#fixture not-enrolled", "revoked",
# "quiet": see kiosk_fixture make);
# "#args ..." adds options for the script's own run (--size WxH, --lang en);
# "#lang en" says which language the script is written in (Dutch if not);
# "#check CMD ARG => TEXT" runs `kiosk_fixture CMD DIR ARG` after each run
# and fails unless its output contains TEXT ("#check-not" : must not contain).
# The script's own run (its #args) takes the screenshots: every
# `shot FILE.png` is compared with REFDIR/FILE.png; VP_UPDATE_SHOTS=1
# updates the references instead. Then it runs again at each of
# 1280x800, 800x600, 800x1280 and 1920x1200 in Dutch and English (the
# runner translates its words; VP_UI_MATRIX=0 runs only its own). Every run
# also holds the layout check (kiosk_script.c, ui_layout_check()).
set -eu
kiosk=$1 fixture=$2 script=$3 refdir=$4 work=$5
name=$(basename "$script" .vps)
export TZ=UTC VP_KIOSK_CLOCK=${VP_KIOSK_CLOCK:-2026-11-24T09:14:00Z}
export LSAN_OPTIONS="suppressions=$(dirname "$0")/lsan.supp:print_suppressions=0"
args=$(sed -n 's/^#args //p' "$script")
own_size=$(printf '%s\n' "$args" | sed -n 's/.*--size \([0-9]*x[0-9]*\).*/\1/p')
own_lang=$(printf '%s\n' "$args" | sed -n 's/.*--lang \([a-z]*\).*/\1/p')
written=$(sed -n 's/^#lang \([a-z]*\).*/\1/p' "$script")
: "${own_size:=1280x800}" "${written:=nl}" "${own_lang:=$written}"
rest=$(printf '%s\n' "$args" | sed 's/--size [0-9]*x[0-9]*//; s/--lang [a-z]*//')
status=0

# run SIZE LANG SHOTS(0/1): one run with a fresh store; its checks.
run() {
    dir="$work/$name/$1-$2"
    rm -rf "$dir"
    mkdir -p "$dir/data" "$dir/shots"
    how=$(sed -n 's/^#fixture \([a-z-]*\).*/--\1/p' "$script")
    # shellcheck disable=SC2086
    "$fixture" make "$dir/data" $how
    noshots=1
    [ "$3" = 1 ] && noshots=0
    # shellcheck disable=SC2086
    if ! VP_KIOSK_NO_SHOTS=$noshots "$kiosk" script "$script" --data "$dir/data" \
        --shots "$dir/shots" --size "$1" --lang "$2" $rest; then
        echo "FAIL: $name at $1 in $2: the script did not hold"
        return 1
    fi
    grep -E '^#check(-not)? ' "$script" | while IFS= read -r line; do
        kind=${line%% *}
        rest_=${line#* }
        cmd=${rest_%% =>*}
        want=${rest_#*=> }
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
    done || return 1
    [ "$3" = 1 ] || return 0
    for shot in $(sed -n 's/^shot[[:space:]]\+\([^[:space:]]\+\).*/\1/p' "$script"); do
        if [ "${VP_UPDATE_SHOTS:-0}" = 1 ]; then
            cp "$dir/shots/$shot" "$refdir/$shot"
            echo "updated $refdir/$shot"
        elif ! "$fixture" compare "$refdir/$shot" "$dir/shots/$shot" "$dir/shots/diff-$shot"; then
            return 1
        fi
    done
}

run "$own_size" "$own_lang" 1 || status=1
if [ "${VP_UI_MATRIX:-1}" != 0 ]; then
    for size in 1280x800 800x600 800x1280 1920x1200; do
        for lang in nl en; do
            [ "$size" = "$own_size" ] && [ "$lang" = "$own_lang" ] && continue
            run "$size" "$lang" 0 || status=1
        done
    done
fi
[ $status -eq 0 ] && echo "ok: $name"
exit $status
