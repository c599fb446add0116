#!/bin/sh
# Prints, one a line and sorted, the system calls a unit's SystemCallFilter=
# lines allow, read in order as systemd does for an allow list: the first
# line (not "~") is the list, a later plain line adds to it, a later "~"
# line takes away (groups expanded with systemd-analyze, nested included).
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
: >"$tmp/list"
sed -n 's/^SystemCallFilter=//p' "$unit" >"$tmp/lines"
[ -s "$tmp/lines" ] && ! head -1 "$tmp/lines" | grep -q '^~' || {
    echo "filter_allows.sh: $unit has no SystemCallFilter allow list first" >&2
    exit 1
}
while read -r line; do
    case "$line" in
    '~'*)
        # shellcheck disable=SC2086
        expand ${line#\~} | sort -u >"$tmp/off"
        sort -u "$tmp/list" | comm -23 - "$tmp/off" >"$tmp/next" ;;
    *)
        # shellcheck disable=SC2086
        { cat "$tmp/list"; expand $line; } | sort -u >"$tmp/next" ;;
    esac
    mv "$tmp/next" "$tmp/list"
done <"$tmp/lines"
sort -u "$tmp/list"
