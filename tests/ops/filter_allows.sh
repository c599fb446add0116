#!/bin/sh
# Prints, one a line and sorted, the system calls a unit's SystemCallFilter=
# lines allow: the union of the allow lines minus the union of the "~" lines
# (groups expanded with systemd-analyze, nested groups included). Enough for
# units that list what they allow first and what they take away after.
#   filter_allows.sh UNITFILE
set -u
unit=$1
expand() {
    for g in "$@"; do
        case "$g" in
        @*) systemd-analyze syscall-filter --no-pager "$g" | sed 1d | while read -r word _; do
                case "$word" in
                '' | '#'*) ;;
                @*) expand "$word" ;;
                *) echo "$word" ;;
                esac
            done ;;
        *) echo "$g" ;;
        esac
    done
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/allow"
: >"$tmp/deny"
sed -n 's/^SystemCallFilter=//p' "$unit" | while read -r line; do
    case "$line" in
    '~'*) expand ${line#\~} >>"$tmp/deny" ;;
    *) expand $line >>"$tmp/allow" ;;
    esac
done
sort -u "$tmp/allow" >"$tmp/allow.s"
sort -u "$tmp/deny" >"$tmp/deny.s"
[ -s "$tmp/allow.s" ] || { echo "filter_allows.sh: $unit has no SystemCallFilter allow list" >&2; exit 1; }
comm -23 "$tmp/allow.s" "$tmp/deny.s"
