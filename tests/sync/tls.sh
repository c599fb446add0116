#!/bin/sh
# TLS between tablet and centre: enrol and sync over https with the
# location's CA file; without it, or with a pinned key that does not match,
# the tablet refuses and says so plainly; a matching pin works. Plain HTTP
# is refused on a non-loopback address.
#   tls.sh KIOSK CENTRAL WORKDIR
set -eu
kiosk=$1 central=$2 work=$3/tls
rm -rf "$work"
mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
cd "$work"
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 \
    -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null
"$central" demo --data c > demo.txt
code() { awk -F'\t' -v n="$1" 'NF == 3 && $3 == n { print $2 }' demo.txt; }

if "$central" serve --data c --listen 0.0.0.0:0 2> public.err; then fail "served plain HTTP publicly"; fi
grep -q "TLS" public.err || fail "no plain reason for refusing plain HTTP: $(cat public.err)"

"$central" serve --data c --listen 127.0.0.1:0 --tls-cert cert.pem --tls-key key.pem \
    > serve.out 2> serve.err &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
url=
for _ in $(seq 1 100); do
    url=$(sed -n 's/^listening on //p' serve.out | head -n 1)
    [ -n "$url" ] && break
    sleep 0.05
done
case $url in https://*) ;; *) fail "no https listener: $url $(cat serve.err)" ;; esac

# without the CA file the self-signed certificate is refused, plainly
if "$kiosk" enroll --server "$url" --code "$(code Korein)" --data nocafile 2> nocafile.err; then
    fail "enrolled without verifying the server"
fi
grep -q "veilig" nocafile.err || fail "unclear TLS error: $(cat nocafile.err)"

"$kiosk" enroll --server "$url" --code "$(code Dolfijn)" --data k --cafile "$work/cert.pem" ||
    fail "enrol over https"
"$kiosk" sync --data k || fail "sync over https"

# a pinned key that does not match: refused, and the status says why
sqlite3 k/kiosk.db "UPDATE device SET pinned_key = 'sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='"
if "$kiosk" sync --data k > /dev/null 2>&1; then fail "synced despite a wrong pinned key"; fi
"$kiosk" status --data k | grep -q "veilig" || fail "status does not explain the TLS failure"
pin=$(openssl x509 -in cert.pem -pubkey -noout | openssl pkey -pubin -outform der |
      openssl dgst -sha256 -binary | openssl enc -base64)
sqlite3 k/kiosk.db "UPDATE device SET pinned_key = 'sha256//$pin'"
"$kiosk" sync --data k || fail "sync with the right pinned key"
echo "ok: https with CA file and pinned key; refusals are plain"
