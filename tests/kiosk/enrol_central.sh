#!/bin/sh
# First start against a real central service: type the server address and
# the enrolment code on the on-screen keyboard, enrol through the sync
# worker, find the location's staff on the lock screen, unlock, record a
# signal, sync it, and nothing is left pending.
#   enrol_central.sh KIOSK FIXTURE CENTRAL WORKDIR
set -eu
umask 022 # what a session usually has: both programs must keep their files to themselves
kiosk=$1 fixture=$2 central=$3 work=$4
dir="$work/enrol_central"
rm -rf "$dir"
mkdir -p "$dir"
export LSAN_OPTIONS="suppressions=$(dirname "$0")/lsan.supp:print_suppressions=0"
"$central" demo --data "$dir/central" >"$dir/demo.txt"
code=$(awk -F '\t' 'NF == 3 && $3 == "Dolfijn" { print $2 }' "$dir/demo.txt")
# "ABCD-EFGH-JKMN" is printed; a person may type "abcd efgh jkmn"
echo "$code" | grep -Eq '^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$' || { echo "FAIL: code shape: $code"; exit 1; }
typed=$(echo "$code" | tr 'A-Z-' 'a-z ')
"$central" serve --data "$dir/central" --listen 127.0.0.1:0 >"$dir/serve.out" 2>"$dir/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
url=
for _ in $(seq 1 100); do
    url=$(sed -n "s/^listening on //p" "$dir/serve.out" 2>/dev/null | head -n 1)
    [ -n "$url" ] && break
    sleep 0.05
done
[ -n "$url" ] || { echo "FAIL: the central service did not start"; cat "$dir/serve.err"; exit 1; }
script="$dir/enrol.vps"
{
    echo 'expect "Welkom bij vindplaats"'
    echo 'tap "Serveradres"'
    for _ in 1 2 3 4 5 6 7 8; do echo 'tap "⌫"'; done
    echo "type \"$url\""
    echo 'tap "Klaar"'
    echo 'tap "Koppelcode"'
    echo "type \"$typed\""
    echo 'tap "Klaar"'
    echo 'tap "Koppelen"'
    echo 'expect "Wie ben jij?"'
    echo 'expect "Dolfijn"'
    echo 'tap "Marieke"'
    echo 'type "4321"'
    echo 'tap "OK"'
    echo 'expect "Dolfijn · Kinderen"'
    echo 'tap "Daan"'
    echo 'tap "Nieuw signaal"'
    echo 'tap "Zegt (bijna) geen woordjes"'
    echo 'tap "Klaar"'
    echo 'sync'
    echo 'expect "Alles verstuurd"'
} >"$script"
mkdir -p "$dir/data"
if ! "$kiosk" script "$script" --data "$dir/data"; then
    echo "FAIL: enrol_central: the script did not hold"
    exit 1
fi
got=$("$fixture" stats "$dir/data")
echo "$got" | grep -q "pending=0 signals=0" || { echo "FAIL: still pending: $got"; exit 1; }
"$kiosk" status --data "$dir/data" | grep -q Dolfijn || { echo "FAIL: status does not name Dolfijn"; exit 1; }
for f in "$dir/data/kiosk.db" "$dir/central/central.db"; do
    mode=$(stat -c %a "$f")
    [ "$mode" = 600 ] || { echo "FAIL: $f has mode $mode, want 600"; exit 1; }
done
echo "ok: enrol_central"
