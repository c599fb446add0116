#!/bin/sh
# Issue 9: undo after an extra while offline. A tablet enrolled to a real
# central service loses its connection; a pm'er saves a signal, adds an
# extra ("Zorg") and taps "Ongedaan maken". The signal is gone from the
# child's page, and when the connection is back and the tablet syncs,
# nothing of it reaches the central service (its export is unchanged).
#   undo_offline_central.sh KIOSK CENTRAL WORKDIR
set -eu
kiosk=$1 central=$2 work=$3
dir="$work/undo_offline_central"
rm -rf "$dir"
mkdir -p "$dir/data"
export LSAN_OPTIONS="suppressions=$(dirname "$0")/lsan.supp:print_suppressions=0"
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null' EXIT

serve() { # serve LISTEN: starts the central service, sets pid and url
    : >"$dir/serve.out"
    "$central" serve --data "$dir/central" --listen "$1" >"$dir/serve.out" 2>"$dir/serve.err" &
    pid=$!
    url=
    for _ in $(seq 1 100); do
        url=$(sed -n "s/^listening on //p" "$dir/serve.out" 2>/dev/null | head -n 1)
        [ -n "$url" ] && return 0
        sleep 0.05
    done
    echo "FAIL: the central service did not start"
    cat "$dir/serve.err"
    exit 1
}

"$central" demo --data "$dir/central" >"$dir/demo.txt"
code=$(awk -F '\t' 'NF == 3 && $3 == "Dolfijn" { print $2 }' "$dir/demo.txt")
serve 127.0.0.1:0
"$kiosk" enroll --server "$url" --code "$code" --data "$dir/data" >/dev/null
"$central" export signals --data "$dir/central" >"$dir/before.csv"
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=

cat >"$dir/undo.vps" <<'VPS'
tap "Marieke"
type "4321"
tap "OK"
tap "Daan"
tap "Nieuw signaal"
tap "Zegt (bijna) geen woordjes"
tap "Zorg"
expect "Opgeslagen als"
tap "Ongedaan maken"
expect "Het signaal is ongedaan gemaakt."
tap "Klaar"
expect-not "Zegt (bijna) geen woordjes"
expect-not "wacht op verbinding"
VPS
if ! "$kiosk" script "$dir/undo.vps" --data "$dir/data"; then
    echo "FAIL: undo_offline_central: the script did not hold"
    exit 1
fi

serve "${url#http://}"
if ! "$kiosk" sync --data "$dir/data" >"$dir/sync.out" 2>&1; then
    echo "FAIL: sync after reconnecting failed: $(cat "$dir/sync.out")"
    exit 1
fi
"$central" export signals --data "$dir/central" >"$dir/after.csv"
if ! cmp -s "$dir/before.csv" "$dir/after.csv"; then
    echo "FAIL: the undone signal reached the central service:"
    diff "$dir/before.csv" "$dir/after.csv" || true
    exit 1
fi
echo "ok: undo_offline_central"
