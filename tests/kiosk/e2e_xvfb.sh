#!/bin/sh
# End to end on a real X window: Xvfb, the kiosk, xdotool mouse clicks.
# Unlock with a PIN, record a signal, see it on the child's timeline and in
# the store. Skips (exit 77) when Xvfb or xdotool are missing.
#   e2e_xvfb.sh KIOSK FIXTURE WORKDIR
set -u
kiosk=$1 fixture=$2 work=$3
command -v Xvfb >/dev/null 2>&1 && command -v xdotool >/dev/null 2>&1 || {
    echo "SKIP: Xvfb or xdotool is not installed"
    exit 77
}
dir="$work/e2e_xvfb"
rm -rf "$dir"
mkdir -p "$dir"
export LSAN_OPTIONS="suppressions=$(dirname "$0")/lsan.supp:print_suppressions=0"
"$fixture" make "$dir/data" || exit 1
display=":$((90 + $$ % 100))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$dir/xvfb.log" 2>&1 &
xvfb=$!
kpid=
cleanup() {
    [ -n "$kpid" ] && kill "$kpid" 2>/dev/null
    kill "$xvfb" 2>/dev/null
    wait 2>/dev/null
}
trap cleanup EXIT
export DISPLAY="$display"
i=0
until xdotool getmouselocation >/dev/null 2>&1; do
    i=$((i + 1)); [ $i -gt 100 ] && { echo "FAIL: Xvfb did not start"; exit 1; }
    sleep 0.1
done
VP_KIOSK_DUMP="$dir/frame.txt" "$kiosk" --data "$dir/data" --size 1280x800 \
    >"$dir/kiosk.log" 2>&1 &
kpid=$!
wid=$(xdotool search --sync --onlyvisible --name '^vindplaats$' | head -n 1)
[ -n "$wid" ] || { echo "FAIL: no kiosk window"; exit 1; }

# waits until the frame shows a control labelled $1, then clicks its centre
click() {
    n=0
    while :; do
        line=$(awk -F '\t' -v l="$1" '$1 == "control" && $6 == l { print; exit }' \
               "$dir/frame.txt" 2>/dev/null)
        [ -n "$line" ] && break
        n=$((n + 1))
        if [ $n -gt 150 ]; then
            echo "FAIL: no control '$1' on screen; the frame was:"
            cat "$dir/frame.txt"
            exit 1
        fi
        sleep 0.1
    done
    x=$(echo "$line" | awk -F '\t' '{ print $2 + int($4 / 2) }')
    y=$(echo "$line" | awk -F '\t' '{ print $3 + int($5 / 2) }')
    xdotool mousemove --window "$wid" "$x" "$y" click 1
    sleep 0.15
}

# waits until the frame shows text containing $1
see() {
    n=0
    until grep -qF -- "$1" "$dir/frame.txt" 2>/dev/null; do
        n=$((n + 1))
        if [ $n -gt 150 ]; then
            echo "FAIL: '$1' did not appear; the frame was:"
            cat "$dir/frame.txt"
            exit 1
        fi
        sleep 0.1
    done
}

see "Wie ben jij?"
click "Ilse"
see "Pincode voor Ilse"
click 1; click 2; click 3; click 4
click "OK"
see "Kinderen"
click "Zonnetje"
click "Daan"
click "Nieuw signaal"
click "Zegt (bijna) geen woordjes"
see "Signaal opgeslagen voor Daan"
click "Klaar"
see "Nieuw signaal"
see "Zegt (bijna) geen woordjes"
got=$("$fixture" obs "$dir/data" Daan)
echo "$got" | grep -q "^TAAL-02 level=1 .*staff=Ilse" || {
    echo "FAIL: the store does not hold the signal: $got"
    exit 1
}
echo "ok: e2e_xvfb: unlocked, recorded a signal, saw it on the timeline and in the store"
