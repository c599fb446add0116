#!/usr/bin/env bash
# ./run.sh - install what is missing, build, start the central service with
# demo data on 127.0.0.1 and open the kiosk enrolled to Dolfijn.
# Without a display it says so and keeps the central service and console running.
set -euo pipefail
. "$(dirname "$0")/scripts/setup.sh"

vp_install $VP_PKGS_BUILD
vp_build default

BIN="$VP_ROOT/build/default"
CENTRAL="$BIN/sync/central/vindplaats-central"
KIOSK="$BIN/app/vindplaats-kiosk"
PORT=${VINDPLAATS_PORT:-8080}
URL="http://127.0.0.1:$PORT"
DEMO="${XDG_DATA_HOME:-$HOME/.local/share}/vindplaats-demo"
mkdir -p "$DEMO/central" "$DEMO/kiosk"
chmod 700 "$DEMO"

if [ ! -f "$DEMO/central/central.db" ]; then
    vp_say "Creating the demo organisation (five locations in Geldrop-Mierlo)"
    "$CENTRAL" demo --data "$DEMO/central" > "$DEMO/demo.txt"
    chmod 600 "$DEMO/demo.txt"
fi

vp_say "Starting the central service on $URL"
"$CENTRAL" serve --data "$DEMO/central" --listen "127.0.0.1:$PORT" &
central_pid=$!
trap 'kill "$central_pid" 2>/dev/null; wait "$central_pid" 2>/dev/null' EXIT INT TERM
for _ in $(seq 1 50); do
    curl -fsS "$URL/healthz" >/dev/null 2>&1 && break
    kill -0 "$central_pid" 2>/dev/null || vp_die "the central service did not start (is port $PORT free?)"
    sleep 0.1
done

if [ ! -f "$DEMO/kiosk/.enrolled" ]; then
    code=$(awk -F'\t' 'NF == 3 && $3 == "Dolfijn" { print $2 }' "$DEMO/demo.txt")
    vp_say "Enrolling the kiosk to Dolfijn"
    "$KIOSK" enroll --server "$URL" --code "$code" --data "$DEMO/kiosk" && touch "$DEMO/kiosk/.enrolled"
fi

cat <<TXT

  Coach console:  $URL/   (demo data and the coach's password: $DEMO/demo.txt)
$(grep -v $'\t' "$DEMO/demo.txt" | sed 's/^/  /')

TXT

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    vp_say "Opening the kiosk"
    "$KIOSK" --data "$DEMO/kiosk" "$@"
else
    echo "Geen beeldscherm gevonden (DISPLAY is leeg): de kiosk kan hier niet openen."
    echo "No display found: the kiosk cannot open here."
    echo "De centrale dienst en de console blijven draaien op $URL — stop met Ctrl+C."
    wait "$central_pid"
fi
