#!/bin/sh
# Issue 9: a kiosk stopped inside the settle window (the signal screen still
# open) sends the signal after a restart: held signals settle at start-up
# and count as waiting on the sync line, in the store and in `status`.
#   restart_settles.sh KIOSK FIXTURE WORKDIR
set -eu
kiosk=$1 fixture=$2 work=$3
dir="$work/restart_settles"
rm -rf "$dir"
mkdir -p "$dir"
export TZ=UTC VP_KIOSK_CLOCK=${VP_KIOSK_CLOCK:-2026-11-24T09:14:00Z}
export LSAN_OPTIONS="suppressions=$(dirname "$0")/lsan.supp:print_suppressions=0"
"$fixture" make "$dir/data"
cat >"$dir/save.vps" <<'VPS'
tap "Ilse"
type "1234"
tap "OK"
tap "Zonnetje"
tap "Daan"
tap "Nieuw signaal"
tap "Zegt (bijna) geen woordjes"
expect "1 signaal wacht op verbinding"
VPS
"$kiosk" script "$dir/save.vps" --data "$dir/data" || { echo "FAIL: save.vps"; exit 1; }
got=$("$fixture" stats "$dir/data")
echo "$got" | grep -q "pending=0 signals=1 unsettled=1" || { echo "FAIL: not held: $got"; exit 1; }
printf 'expect "1 signaal wacht op verbinding"\n' >"$dir/restart.vps"
"$kiosk" script "$dir/restart.vps" --data "$dir/data" || { echo "FAIL: restart.vps"; exit 1; }
got=$("$fixture" stats "$dir/data")
echo "$got" | grep -q "pending=1 signals=1 unsettled=0" || { echo "FAIL: not settled: $got"; exit 1; }
"$kiosk" status --json --data "$dir/data" | grep -q '"pending_signals": *1' ||
    { echo "FAIL: status does not count the signal"; exit 1; }
echo "ok: restart_settles"
