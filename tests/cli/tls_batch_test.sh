#!/usr/bin/env bash
# The service binaries and the CLI with TLS flags: all four services over mutual TLS (certificates and tokens
# made here by the operators' script deploy/make-certs.sh), callers named by bearer tokens, `gongkai batch` with --tls_ca and --token; a caller without a token
# is refused with UNAUTHENTICATED; plaintext on a non-loopback address is refused at start.
# Usage: tls_batch_test.sh DATA_DIR GONGKAI PARSER VALIDATOR AGGREGATOR GATEWAY MAKE_CERTS
set -euo pipefail
data="$1"; cli="$2"; parser_bin="$3"; validator_bin="$4"; aggregator_bin="$5"; gateway_bin="$6"; make_certs="$7"
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../testing/services.sh"
fail() { echo "FAIL: $*"; exit 1; }

pki="$work/pki"
"$make_certs" "$pki" test province-a >/dev/null
token_a=$(awk '$2 == "province-a" {print $1}' "$pki/tokens")

# Plaintext on an address other machines reach is refused, naming the flags to use.
if "$parser_bin" --address 0.0.0.0:0 --drain_seconds 0 2>"$work/refused.log"; then fail "plaintext on 0.0.0.0 was accepted"; fi
grep -q "refusing to listen in plaintext" "$work/refused.log" || { cat "$work/refused.log"; fail "no reason given"; }
# An unreadable certificate is named.
if "$parser_bin" --tls_cert "$work/nope.pem" --tls_key "$pki/tls.key" 2>"$work/nocert.log"; then fail "missing cert accepted"; fi
grep -q "nope.pem" "$work/nocert.log" || { cat "$work/nocert.log"; fail "missing certificate not named"; }

worker_tls=(--tls_cert "$pki/tls.crt" --tls_key "$pki/tls.key" --tls_client_ca "$pki/internal-ca.crt")
start parser "$parser_bin" "$base" "${worker_tls[@]}"
start validator "$validator_bin" $((base + 1)) "${worker_tls[@]}"
start aggregator "$aggregator_bin" $((base + 2)) "${worker_tls[@]}"
start gateway "$gateway_bin" $((base + 3)) --parser "ipv4:127.0.0.1:$base" --validator "ipv4:127.0.0.1:$((base + 1))" \
  --aggregator "127.0.0.1:$((base + 2))" --store "$work/jobs.sqlite" \
  --tls_cert "$pki/tls.crt" --tls_key "$pki/tls.key" --tls_client_ca "$pki/callers-ca.crt" --tls_client_cert optional \
  --tokens "$pki/tokens" --peer_tls_ca "$pki/internal-ca.crt" --peer_tls_cert "$pki/tls.crt" --peer_tls_key "$pki/tls.key"
grep -q 'mutual-tls' "$work/gateway.log" || fail "the gateway did not log its transport"

reports=("$data"/reports/*)
# No token: refused.
if "$cli" batch --gateway "127.0.0.1:$((base + 3))" --tls_ca "$pki/internal-ca.crt" --out "$work/out0" "${reports[@]}" \
    >"$work/noauth.out" 2>&1; then fail "a batch without credentials was accepted"; fi
grep -q "UNAUTHENTICATED\|no credentials" "$work/noauth.out" || { cat "$work/noauth.out"; fail "no UNAUTHENTICATED"; }

# With the token (from the environment): the batch runs over TLS and mutual TLS end to end.
GONGKAI_TOKEN="$token_a" "$cli" batch --gateway "127.0.0.1:$((base + 3))" --tls_ca "$pki/internal-ca.crt" --out "$work/out" \
  "${reports[@]}" >"$work/batch.out" 2>&1 || { cat "$work/batch.out"; fail "the batch failed"; }
[ -s "$work/out/summary.json" ] || fail "no summary.json"
n=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"]["totals"]["reports"])' \
  "$work/out/summary.json")
[ "$n" -eq "${#reports[@]}" ] || fail "summary counts $n reports, expected ${#reports[@]}"
echo "ok: ${#reports[@]} reports over mutual TLS, unauthenticated caller refused, plaintext refused off loopback"
