#!/bin/sh
# promtool.sh DIR - puts Debian's promtool at DIR/promtool for
# test_central_metrics: the `prometheus` package is fetched with
# `apt-get download` and unpacked with `dpkg -x` (never installed, no
# Prometheus server started). Kept in DIR (the build folder) for later runs.
set -eu
dir=$1
if [ -x "$dir/promtool" ] && "$dir/promtool" --version >/dev/null 2>&1; then
    exit 0
fi
mkdir -p "$dir"
tmp=$(mktemp -d "$dir/promtool-fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# apt's sandbox user cannot write to a private folder; the download itself is fine
chmod 755 "$tmp"
if ! (cd "$tmp" && apt-get download prometheus >"$tmp/apt.log" 2>&1); then
    echo "promtool.sh: apt-get download prometheus failed:" >&2
    cat "$tmp/apt.log" >&2
    exit 1
fi
dpkg -x "$tmp"/prometheus_*.deb "$tmp/x"
cp "$tmp/x/usr/bin/promtool" "$dir/promtool.part"
mv "$dir/promtool.part" "$dir/promtool"
"$dir/promtool" --version | head -1
