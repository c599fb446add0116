#!/bin/sh
# The kiosk as vindplaats-kiosk.service runs it: under cage (headless
# wlroots backend, pixman renderer), with the unit's environment and
# arguments, as a throw-away unprivileged user (setpriv, a uid with no
# account). The kiosk writes its own first frame to a PNG
# (VP_KIOSK_FIRST_FRAME); it must show the lock screen, the same picture as
# the lock screen drawn offscreen by script mode at that size. Under strace,
# every system call made must pass the unit's SystemCallFilter.
#   kiosk_cage.sh KIOSK FIXTURE UNITFILE WORKDIR
set -u
kiosk=$1 fixture=$2 unit=$3 work=$4
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root to switch to a throw-away user with setpriv"; exit 77; }
for tool in cage Xwayland setpriv; do
    command -v $tool >/dev/null 2>&1 || {
        echo "SKIP: $tool is not installed (scripts/setup.sh installs cage and xwayland)"
        exit 77
    }
done
dir="$work/kiosk_cage"
rm -rf "$dir"
mkdir -p "$dir/run" "$dir/home" "$dir/shots"
chmod 755 "$dir"
export TZ=UTC VP_KIOSK_CLOCK=2026-11-24T09:14:00Z
export LSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")/../kiosk" && pwd)/lsan.supp:print_suppressions=0"
"$fixture" make "$dir/data" || exit 1
"$fixture" make "$dir/ref-data" || exit 1

# a uid no account uses
uid=
for u in $(seq 61000 61999); do
    if ! getent passwd "$u" >/dev/null && ! getent group "$u" >/dev/null &&
        [ -z "$(find /tmp /var/tmp -maxdepth 1 -uid "$u" 2>/dev/null | head -1)" ]; then
        uid=$u
        break
    fi
done
[ -n "$uid" ] || { echo "FAIL: no free uid in 61000-61999"; exit 1; }
chown -R "$uid:$uid" "$dir/data" "$dir/run" "$dir/home"
chmod 700 "$dir/run"

# the unit's environment and command line, with this build's kiosk and data
envs=$(sed -n 's/^Environment=//p' "$unit" | tr '\n' ' ')
exec_line=$(sed -n 's/^ExecStart=//p' "$unit")
case "$exec_line" in
/usr/bin/cage\ *\ --\ /usr/bin/vindplaats-kiosk\ --fullscreen\ --data\ /var/lib/vindplaats-kiosk*) ;;
*) echo "FAIL: unexpected ExecStart in $unit: $exec_line"; exit 1 ;;
esac
cage_args=$(echo "$exec_line" | sed 's|^/usr/bin/cage \(.*\) -- .*|\1|')
echo "unit: Environment=$envs"
echo "unit: cage $cage_args -- KIOSK --fullscreen --data DATA"

# with strace (when there is one) to check the system calls of cage,
# Xwayland and the kiosk against the unit's filter
trace=
command -v strace >/dev/null 2>&1 && trace="strace -f -qq -o $dir/run/trace"
# shellcheck disable=SC2086
timeout 60 setpriv --reuid="$uid" --regid="$uid" --clear-groups --no-new-privs \
    env -i PATH=/usr/bin:/bin HOME="$dir/home" XDG_RUNTIME_DIR="$dir/run" \
    WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
    TZ=UTC VP_KIOSK_CLOCK="$VP_KIOSK_CLOCK" SDL_AUDIODRIVER=dummy \
    VP_KIOSK_FIRST_FRAME="$dir/run/first.png" VP_KIOSK_DUMP="$dir/run/frame.txt" \
    VP_KIOSK_EXIT_AFTER_FIRST_FRAME=1 \
    ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
    LSAN_OPTIONS="$LSAN_OPTIONS" \
    $envs \
    $trace cage $cage_args -- "$kiosk" --fullscreen --data "$dir/data" >"$dir/cage.log" 2>&1
rc=$?
if [ $rc -ne 0 ] || [ ! -s "$dir/run/first.png" ]; then
    echo "FAIL: the kiosk under cage (exit $rc) wrote no first frame; its output:"
    cat "$dir/cage.log"
    exit 1
fi
owner=$(stat -c %u "$dir/run/first.png")
[ "$owner" = "$uid" ] || { echo "FAIL: the frame belongs to uid $owner, not $uid"; exit 1; }
grep -q 'Wie ben jij?' "$dir/run/frame.txt" && grep -q 'Ilse' "$dir/run/frame.txt" || {
    echo "FAIL: the first frame is not the lock screen:"
    cat "$dir/run/frame.txt"
    exit 1
}
# PNG size from the IHDR chunk
set -- $(od -An -tu1 -j16 -N8 "$dir/run/first.png")
w=$(( ($1 << 24) | ($2 << 16) | ($3 << 8) | $4 ))
h=$(( ($5 << 24) | ($6 << 16) | ($7 << 8) | $8 ))
echo "first frame: ${w}x${h}"
printf 'expect "Wie ben jij?"\nshot lock.png\n' >"$dir/lock.vps"
SDL_AUDIODRIVER=dummy "$kiosk" script "$dir/lock.vps" --data "$dir/ref-data" \
    --shots "$dir/shots" --size "${w}x${h}" >"$dir/script.log" 2>&1 || {
    echo "FAIL: script mode could not draw the reference:"
    cat "$dir/script.log"
    exit 1
}
"$fixture" compare "$dir/shots/lock.png" "$dir/run/first.png" "$dir/diff.png" || {
    echo "FAIL: the frame under cage is not the lock screen (see $dir/diff.png)"
    exit 1
}
if [ -n "$trace" ] && [ -z "${VP_SANITIZED:-}" ]; then
    sh "$(dirname "$0")/filter_allows.sh" "$unit" >"$dir/allowed" || exit 1
    sed -n 's/^[0-9]\{1,\} \{1,\}\([a-z_][a-z0-9_]*\)(.*/\1/p' "$dir/run/trace" |
        sort -u >"$dir/used"
    bad=$(comm -23 "$dir/used" "$dir/allowed")
    [ -z "$bad" ] || {
        echo "FAIL: cage, Xwayland or the kiosk made system calls the unit's filter refuses: $bad"
        exit 1
    }
    echo "ok: the $(wc -l <"$dir/used") system calls of cage, Xwayland and the kiosk pass the unit's filter"
fi
echo "ok: kiosk_cage: the kiosk under cage as uid $uid drew the lock screen (${w}x${h})"
rm -rf "$dir"
