#!/bin/sh
# End to end, everything on 127.0.0.1: three kiosks in UI script mode (two at
# Dolfijn, one at Korein) record signals while the central service is down;
# the service starts; all drain, exactly once; a child added on tablet 1
# appears on tablet 2; the coach's advice (through the console API) reaches
# Daan's tablets at Dolfijn and not Korein's.
#   e2e_tablets.sh KIOSK CENTRAL WORKDIR
set -eu
kiosk=$1 central=$2 work=$3/e2e_tablets
rm -rf "$work"
mkdir -p "$work"
export SDL_AUDIODRIVER=dummy
fail() { echo "FAIL: $*"; exit 1; }

"$central" demo --data "$work/central" > "$work/demo.txt"
email=$(sed -n 's/^Coach: \([^,]*\),.*/\1/p' "$work/demo.txt")
password=$(sed -n 's/.*wachtwoord: \([a-z0-9]*\).*/\1/p' "$work/demo.txt")
loc() { awk -F'\t' -v n="$1" 'NF == 3 && $3 == n { print $'"$2"' }' "$work/demo.txt"; }

start_central() { # [PORT]
    "$central" serve --data "$work/central" --listen "127.0.0.1:${1:-0}" \
        > "$work/serve.out" 2>>"$work/serve.err" &
    pid=$!
    url=
    for _ in $(seq 1 100); do
        url=$(sed -n 's/^listening on //p' "$work/serve.out" | head -n 1)
        [ -n "$url" ] && return 0
        sleep 0.05
    done
    fail "the central service did not start: $(cat "$work/serve.err")"
}
stop_central() { kill "$pid"; wait "$pid" || true; }
trap 'kill $pid 2>/dev/null || true' EXIT

start_central
port=${url##*:}
"$kiosk" enroll --server "$url" --code "$(loc Dolfijn 2)" --data "$work/a1" || fail "enrol a1"
code2=$("$central" enroll-code --location "$(loc Dolfijn 1)" --data "$work/central" | tail -n 1 | awk '{ print $NF }')
"$kiosk" enroll --server "$url" --code "$code2" --data "$work/a2" || fail "enrol a2"
"$kiosk" enroll --server "$url" --code "$(loc Korein 2)" --data "$work/b" || fail "enrol b"

run() { # TABLET LINES... : runs a UI script on a tablet
    t=$1; shift
    printf '%s\n' "$@" > "$work/$t.vps"
    "$kiosk" script "$work/$t.vps" --data "$work/$t" || fail "script on $t did not hold"
}
signal() { # TABLET STAFF PIN GROUP CHILD DOMAIN SIGNAL
    run "$1" "tap \"$2\"" "type \"$3\"" 'tap "OK"' "tap \"$4\"" "tap \"$5\"" 'tap "Nieuw signaal"' \
        "tap \"$6\"" "tap \"$7\"" 'expect "Signaal opgeslagen"' 'tap "Klaar"' \
        'expect "1 signaal wacht op verbinding"'
}

# the service goes down; the tablets keep working
stop_central
signal a1 Sanne 1234 Kwallen Daan "Taal & communicatie" "Zegt (bijna) geen woordjes"
signal a2 Sanne 1234 Zeesterren Noor "Contact & samen spelen" "Weinig oogcontact"
signal b Lisa 1234 Egeltjes Julia "Motoriek" "Loopt nog niet los"

# back up: everything drains
start_central "$port"
for t in a1 a2 b; do
    run "$t" sync 'expect "Alles verstuurd"'
    "$kiosk" status --data "$work/$t" --json | grep -q '"pending": *0' || fail "$t still has pending records"
done
n=$(sqlite3 "$work/central/central.db" "SELECT count(*) FROM observations")
[ "$n" = 3 ] || fail "the centre has $n observations, want 3"

# a child added on tablet 1 appears on tablet 2 of the same location only
run a1 'tap "Marieke"' 'type "4321"' 'tap "OK"' 'tap "Beheer"' 'tap "Kind toevoegen"' \
    'tap "Voornaam of naam"' 'type "Fleur"' 'tap "Klaar"' 'tap "Groep"' 'tap "Kwallen"' \
    'tap "Eerder"' 'tap "Opslaan"' 'expect "Opgeslagen."' sync
run a2 sync 'tap "Sanne"' 'type "1234"' 'tap "OK"' 'tap "Kwallen"' 'expect "Fleur"'
run b sync 'tap "Lisa"' 'type "1234"' 'tap "OK"' 'tap "Egeltjes"' 'expect-not "Fleur"' \
    'tap "Vosjes"' 'expect-not "Fleur"'

# the coach writes advice for Daan through the console API
jar="$work/cookies"
me=$(curl -fsS -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$url/api/console/login") || fail "coach login"
csrf=$(printf '%s' "$me" | sed -n 's/.*"csrf": *"\([^"]*\)".*/\1/p')
daan=$(sqlite3 "$work/a1/kiosk.db" "SELECT id FROM children WHERE first_name = 'Daan'")
curl -fsS -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
    -d '{"text":"Benoem wat Daan aanwijst en wacht op zijn reactie."}' \
    "$url/api/console/children/$daan/advice" > /dev/null || fail "posting advice"

run a1 sync 'tap "Sanne"' 'type "1234"' 'tap "OK"' 'tap "Kwallen"' 'expect "Advies"' \
    'tap "Daan"' 'expect "Benoem wat Daan aanwijst"'
run a2 sync 'tap "Sanne"' 'type "1234"' 'tap "OK"' 'tap "Kwallen"' 'expect "Advies"'
run b sync 'tap "Lisa"' 'type "1234"' 'tap "OK"' 'tap "Egeltjes"' 'expect-not "Advies"' \
    'tap "Vosjes"' 'expect-not "Advies"'
# the coach erases Noor on her parents' request: gone from both Dolfijn tablets
noor=$(sqlite3 "$work/a2/kiosk.db" "SELECT id FROM children WHERE first_name = 'Noor'")
curl -fsS -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
    -d '{"confirm":true}' "$url/api/console/children/$noor/erase" > /dev/null || fail "erasing"
for t in a1 a2; do
    run "$t" sync 'tap "Sanne"' 'type "1234"' 'tap "OK"' 'tap "Zeesterren"' 'expect "Tess"' \
        'expect-not "Noor"'
    n=$(sqlite3 "$work/$t/kiosk.db" "SELECT (SELECT count(*) FROM children WHERE id = '$noor')
        + (SELECT count(*) FROM observations WHERE child_id = '$noor')")
    [ "$n" = 0 ] || fail "$t still holds Noor's data after erasure"
done
n=$(sqlite3 "$work/central/central.db" "SELECT count(*) FROM observations WHERE child_id = '$noor'")
[ "$n" = 0 ] || fail "the centre still holds Noor's signals after erasure"

n=$(sqlite3 "$work/b/kiosk.db" "SELECT count(*) FROM advice")
[ "$n" = 0 ] || fail "Korein's tablet holds $n pieces of advice for Dolfijn"
for t in a1 a2 b; do
    [ "$(sqlite3 "$work/$t/kiosk.db" 'PRAGMA integrity_check')" = ok ] || fail "$t integrity"
done
[ "$(sqlite3 "$work/central/central.db" 'PRAGMA integrity_check')" = ok ] || fail "central integrity"
echo "ok: three tablets, offline saves, drain exactly once, child, advice and erasure reach the right tablets"
