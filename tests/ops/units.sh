#!/bin/sh
# The systemd units of assets/systemd: `systemd-analyze verify` on each, with
# its programs in place in a scratch root (the host's own units beside them,
# for the targets they name), and `systemd-analyze security --offline=true`
# of each service at or under 2.0 ("OK"). Needs no running systemd.
#   units.sh UNITDIR CENTRAL_BIN KIOSK_BIN WORKDIR
set -u
units=$1 central=$2 kiosk=$3 work=$4
limit=2.0
command -v systemd-analyze >/dev/null 2>&1 || {
    echo "SKIP: systemd-analyze is not installed (Debian package systemd)"
    exit 77
}
cage=$(command -v cage) || {
    echo "SKIP: cage is not installed (scripts/setup.sh installs it); the kiosk unit runs it"
    exit 77
}
hostunits=/lib/systemd/system
[ -f "$hostunits/sysinit.target" ] || hostunits=/usr/lib/systemd/system
dir="$work/units"
rm -rf "$dir"
mkdir -p "$dir/root/lib/systemd/system" "$dir/root/usr/bin"
cp -a "$hostunits/." "$dir/root/lib/systemd/system/"
cp "$units"/*.service "$units"/*.timer "$dir/root/lib/systemd/system/"
cp "$central" "$dir/root/usr/bin/vindplaats-central"
cp "$kiosk" "$dir/root/usr/bin/vindplaats-kiosk"
cp "$cage" "$dir/root/usr/bin/cage"
status=0

verify() { # UNIT: silent and 0, or a failure with what it said
    out=$(systemd-analyze verify --root="$dir/root" "$1" 2>&1)
    rc=$?
    if [ $rc -ne 0 ] || [ -n "$out" ]; then
        echo "FAIL: systemd-analyze verify $1 (exit $rc):"
        echo "$out"
        return 1
    fi
    echo "ok: verify $1"
}

n=0
for f in "$units"/*.service "$units"/*.timer; do
    verify "$(basename "$f")" || status=1
    n=$((n + 1))
done
[ $n -eq 4 ] || { echo "FAIL: want 4 units in $units, found $n"; status=1; }

# the check itself must see a missing program
rm "$dir/root/usr/bin/vindplaats-central"
if systemd-analyze verify --root="$dir/root" vindplaats-central.service >/dev/null 2>&1; then
    echo "FAIL: verify passed with /usr/bin/vindplaats-central missing"
    status=1
else
    echo "ok: verify fails when the program is missing"
fi

for f in "$units"/*.service; do
    line=$(systemd-analyze security --offline=true "$f" 2>&1 | grep 'Overall exposure level')
    level=$(echo "$line" | sed -n 's/.*: \([0-9.]*\) .*/\1/p')
    if [ -z "$level" ]; then
        echo "FAIL: no exposure level for $f:"
        systemd-analyze security --offline=true "$f" 2>&1 | tail -5
        status=1
    elif awk -v l="$level" -v m="$limit" 'BEGIN { exit !(l > m) }'; then
        echo "FAIL: $(basename "$f"): exposure $level, want at most $limit:"
        systemd-analyze security --offline=true "$f" 2>&1 | grep '✗'
        status=1
    else
        echo "ok: $(basename "$f"): exposure $level (${line##*: })"
    fi
done
[ $status -eq 0 ] && rm -rf "$dir"
exit $status
