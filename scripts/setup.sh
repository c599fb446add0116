# shellcheck shell=bash
# scripts/setup.sh - shared by run.sh, test.sh and bench.sh: installs what is
# missing (Debian packages, npm packages for the browser tests) and builds.
# Source it; it defines functions and changes nothing by itself.

VP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VP_JOBS=$(nproc 2>/dev/null || echo 2)

# What building and running need.
VP_PKGS_BUILD="build-essential cmake pkg-config libsqlite3-dev libsodium-dev libjansson-dev
  zlib1g-dev libcurl4-openssl-dev libmicrohttpd-dev libgnutls28-dev libsdl2-dev
  libsdl2-ttf-dev libfontconfig-dev fonts-dejavu-core curl ca-certificates
  libxlsxwriter-dev libcairo2-dev libpango1.0-dev"
# What the tests need on top: a virtual display and clicks for the kiosk,
# a fake clock, clang's libFuzzer and sanitizer runtimes, Chromium for the console,
# the sqlite3 shell for checking databases; for tests/ops: systemd-analyze for
# the units and strace for the system calls their filter allows, dpkg-dev and
# lintian for the .deb packages, cage and Xwayland for the kiosk under a Wayland
# kiosk compositor (nothing of these is started as a service).
VP_PKGS_TEST="xvfb xauth xdotool faketime clang libclang-rt-14-dev chromium sqlite3 procps openssl
  systemd strace dpkg-dev lintian cage xwayland
  python3-openpyxl poppler-utils"
# Benchmarks: an HTTP load generator and a command timer.
VP_PKGS_BENCH="wrk hyperfine"

vp_say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
vp_die() { printf 'vindplaats: %s\n' "$*" >&2; exit 1; }

vp_sudo() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# vp_install PKG... : apt-get installs the packages that are not installed yet.
vp_install() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    vp_say "Installing Debian packages: ${missing[*]}"
    vp_sudo apt-get update -qq || vp_die "apt-get update failed"
    vp_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null || vp_die "installing ${missing[*]} failed"
}

# Node.js and npm: Debian's packages unless a node with npm is already there.
vp_install_node() {
    if command -v node >/dev/null && command -v npm >/dev/null; then return 0; fi
    vp_install nodejs npm
}

# npm packages for the browser tests, pinned by tests/console/package-lock.json.
vp_install_npm() {
    local dir="$VP_ROOT/tests/console"
    [ -f "$dir/package.json" ] || return 0
    vp_install_node
    if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
        vp_say "Installing npm packages for the browser tests"
        # never let a tool download its own browser: the tests use /usr/bin/chromium
        (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) ||
            vp_die "npm ci failed in tests/console"
        touch "$dir/node_modules"
    fi
}

# vp_build PRESET : configure and build with a CMake preset (see CMakePresets.json).
vp_build() {
    local preset=$1
    vp_say "Building ($preset)"
    cmake --preset "$preset" -S "$VP_ROOT" >/dev/null || vp_die "cmake configure ($preset) failed"
    cmake --build --preset "$preset" -j "$VP_JOBS" || vp_die "build ($preset) failed"
}
