#!/bin/sh
# The system calls vindplaats-central makes, against the filter of its unit
# (SystemCallFilter= lines, read by filter_allows.sh): the
# restore drill runs with every server and command under strace, and every
# call it made must be one the filter allows (else the real service would
# get EPERM where the tests saw success).
#   syscalls.sh DRILL_TEST CENTRAL_BIN UNITFILE WORKDIR
set -u
drill=$1 central=$2 unit=$3 work=$4
for tool in strace systemd-analyze; do
    command -v $tool >/dev/null 2>&1 || {
        echo "SKIP: $tool is not installed (scripts/setup.sh installs strace and systemd)"
        exit 77
    }
done
if [ -n "${VP_SANITIZED:-}" ]; then
    echo "SKIP: a sanitizer build makes system calls of its own; this runs in the default and ci builds"
    exit 77
fi
dir="$work/syscalls"
rm -rf "$dir"
mkdir -p "$dir/traces" "$dir/tmp"

sh "$(dirname "$0")/filter_allows.sh" "$unit" >"$dir/allowed" || exit 1
grep -qx fchown "$dir/allowed" && { echo "FAIL: $unit allows @privileged calls; the filter changed"; exit 1; }

# serve: strace in the background, so that the test's SIGTERM reaches the
# server itself (through this wrapper) and it stops cleanly
cat >"$dir/central" <<WRAP
#!/bin/sh
trace="$dir/traces/t.\$\$"
[ "\$1" = serve ] || exec strace -f -qq -o "\$trace" "$central" "\$@"
strace -f -qq -o "\$trace" "$central" "\$@" &
s=\$!
trap 'kill -TERM \$(pgrep -P \$s) 2>/dev/null' TERM INT
rc=0
while kill -0 \$s 2>/dev/null; do wait \$s; rc=\$?; done
exit \$rc
WRAP
chmod +x "$dir/central"
# as root, the drill runs as a throw-away uid like the unit's User= (SQLite,
# for one, calls fchown only when it runs as root)
as_user=
if [ "$(id -u)" -eq 0 ]; then
    for u in $(seq 62000 62999); do
        getent passwd "$u" >/dev/null || getent group "$u" >/dev/null || { uid=$u; break; }
    done
    mkdir -p "$dir/tmp"
    chown -R "$uid:$uid" "$dir"
    chmod 755 "$work"
    as_user="setpriv --reuid=$uid --regid=$uid --clear-groups"
fi
# shellcheck disable=SC2086
if ! TMPDIR="$dir/tmp" VP_CENTRAL_BIN="$dir/central" $as_user "$drill" >"$dir/drill.log" 2>&1; then
    echo "FAIL: the restore drill failed under strace:"
    tail -30 "$dir/drill.log"
    exit 1
fi
sed -n 's/^[0-9]\{1,\} \{1,\}\([a-z_][a-z0-9_]*\)(.*/\1/p' "$dir"/traces/t.* | sort -u >"$dir/used"
n=$(wc -l <"$dir/used")
[ "$n" -ge 20 ] || { echo "FAIL: only $n system calls traced; strace did not see the runs"; exit 1; }
bad=$(comm -23 "$dir/used" "$dir/allowed")
if [ -n "$bad" ]; then
    echo "FAIL: vindplaats-central made system calls its unit's filter refuses:"
    for s in $bad; do
        grep -l "^[0-9]* *$s(" "$dir"/traces/t.* | head -1 | xargs grep -m1 "^[0-9]* *$s("
    done
    exit 1
fi
echo "ok: syscalls: the $n system calls of the restore drill are all allowed by the unit's filter"
rm -rf "$dir"
