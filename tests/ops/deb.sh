#!/bin/sh
# The Debian packages: built with the "package" workflow preset (Release,
# no fault hooks), then inspected: names, computed library dependencies,
# maintainer scripts that create the system users, the units and programs
# in place (and identical to assets/), the conffile, a program that runs,
# and lintian with no errors (warnings are printed, not failures).
#   deb.sh SOURCEDIR WORKDIR
set -u
src=$1 work=$2
for tool in dpkg-deb dpkg-shlibdeps lintian; do
    command -v $tool >/dev/null 2>&1 || {
        echo "SKIP: $tool is not installed (scripts/setup.sh installs dpkg-dev and lintian)"
        exit 77
    }
done
out="$src/build/package"
rm -f "$out"/*.deb
log="$work/deb-build.log"
mkdir -p "$work"
if ! (cd "$src" && cmake --workflow --preset package) >"$log" 2>&1; then
    echo "FAIL: cmake --workflow --preset package:"
    tail -40 "$log"
    exit 1
fi
version=$(sed -n 's/^project(vindplaats VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
arch=$(dpkg --print-architecture)
central="$out/vindplaats-central_${version}-1_${arch}.deb"
kiosk="$out/vindplaats-kiosk_${version}-1_${arch}.deb"
status=0
fail() { echo "FAIL: $*"; status=1; }

for deb in "$central" "$kiosk"; do
    [ -f "$deb" ] || { echo "FAIL: $deb was not built; built: $(ls "$out"/*.deb 2>&1)"; exit 1; }
done

# control: names, computed dependencies, maintainer scripts
field() { dpkg-deb -f "$1" "$2"; }
[ "$(field "$central" Package)" = vindplaats-central ] || fail "central: Package is $(field "$central" Package)"
[ "$(field "$kiosk" Package)" = vindplaats-kiosk ] || fail "kiosk: Package is $(field "$kiosk" Package)"
for dep in 'libc6 (>=' 'libsqlite3-0' 'libsodium23' 'libjansson4' 'libmicrohttpd' 'adduser'; do
    field "$central" Depends | grep -qF "$dep" || fail "central: Depends lacks $dep: $(field "$central" Depends)"
done
for dep in 'libsdl2-2.0-0' 'libsdl2-ttf' 'libcurl' 'libsqlite3-0' 'cage' 'xwayland' 'adduser'; do
    field "$kiosk" Depends | grep -qF "$dep" || fail "kiosk: Depends lacks $dep: $(field "$kiosk" Depends)"
done
ctl="$work/control"
rm -rf "$ctl" && mkdir -p "$ctl/central" "$ctl/kiosk"
dpkg-deb -e "$central" "$ctl/central"
dpkg-deb -e "$kiosk" "$ctl/kiosk"
grep -q 'adduser --system --group --home /var/lib/vindplaats ' "$ctl/central/postinst" ||
    fail "central: postinst does not create the system user vindplaats"
grep -q 'adduser --system --group --home /var/lib/vindplaats-kiosk ' "$ctl/kiosk/postinst" ||
    fail "kiosk: postinst does not create the system user vindplaats-kiosk"
for s in "$ctl"/*/postinst "$ctl"/*/prerm "$ctl"/*/postrm; do
    [ -x "$s" ] || fail "$s is not executable"
    sh -n "$s" || fail "$s: shell syntax"
done
[ "$(cat "$ctl/central/conffiles")" = /etc/default/vindplaats-central ] ||
    fail "central: conffiles is '$(cat "$ctl/central/conffiles")'"

# contents: programs and units where systemd and the units look for them
dpkg-deb -I "$central" && dpkg-deb -c "$central"
dpkg-deb -I "$kiosk" && dpkg-deb -c "$kiosk"
root="$work/root"
rm -rf "$root" && mkdir -p "$root"
dpkg-deb -x "$central" "$root"
dpkg-deb -x "$kiosk" "$root"
for f in usr/bin/vindplaats-central usr/bin/vindplaats-kiosk; do
    [ -x "$root/$f" ] || fail "/$f is missing or not executable"
done
for u in vindplaats-central.service vindplaats-central-backup.service \
    vindplaats-central-backup.timer vindplaats-kiosk.service; do
    cmp -s "$root/lib/systemd/system/$u" "$src/assets/systemd/$u" ||
        fail "/lib/systemd/system/$u is missing or differs from assets/systemd/$u"
done
cmp -s "$root/etc/default/vindplaats-central" "$src/assets/systemd/vindplaats-central.default" ||
    fail "/etc/default/vindplaats-central differs from assets/systemd/vindplaats-central.default"
[ -f "$root/usr/share/doc/vindplaats-central/operations.md" ] || fail "central: no operations.md"
[ -f "$root/usr/share/doc/vindplaats-central/examples/vindplaats-central.conf" ] ||
    fail "central: no nginx example"
got=$("$root/usr/bin/vindplaats-central" --version 2>&1)
[ "$got" = "vindplaats-central $version" ] || fail "the packaged program says '$got'"
# a release build: the fault hooks of test builds are not compiled in
if grep -q VP_FAULT "$root/usr/bin/vindplaats-central"; then
    fail "the packaged vindplaats-central has fault hooks compiled in"
fi

# lintian: errors fail, warnings are shown
lint=$(lintian --fail-on error --suppress-tags initial-upload-closes-no-bugs \
    "$central" "$kiosk" 2>&1)
rc=$?
echo "lintian:"
echo "${lint:-  (nothing)}"
[ $rc -eq 0 ] || fail "lintian found errors (exit $rc)"
echo "$lint" | grep -q '^E:' && fail "lintian reports errors"

if [ $status -eq 0 ]; then
    rm -rf "$root" "$ctl"
    echo "ok: deb: $(basename "$central") $(basename "$kiosk") built, inspected, lintian clean of errors"
fi
exit $status
