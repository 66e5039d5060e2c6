#!/usr/bin/env bash
# Generates a throw-away PKI for the TLS tests into DIR (openssl, EC P-256 keys, valid for two days):
#   ca.pem ca.key                  the test CA
#   server.pem server.key          for localhost and 127.0.0.1, signed by the CA (also usable as a client)
#   province-a.pem/.key            client certificate, CN=province-a, signed by the CA
#   province-b.pem/.key            client certificate, CN=province-b, signed by the CA
#   rogue-ca.pem, rogue.pem/.key   a second CA and a client it signed (CN=province-a): must be refused
# Usage: make_test_pki.sh DIR
set -euo pipefail
dir="$1"
mkdir -p "$dir"
cd "$dir"
command -v openssl >/dev/null || { echo "openssl is needed (make deps installs it)" >&2; exit 1; }
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ca() {  # name cn
  key "$1.key"
  openssl req -x509 -new -key "$1.key" -out "$1.pem" -days 2 -subj "/CN=$2" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}
leaf() {  # name cn ca extensions
  key "$1.key"
  openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$2" 2>/dev/null
  printf '%s\n' "$4" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial -out "$1.pem" -days 2 \
    -extfile "$1.ext" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
client_ext='basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth'
ca ca "gongkai test CA"
leaf server localhost ca 'basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:localhost,IP:127.0.0.1'
leaf province-a province-a ca "$client_ext"
leaf province-b province-b ca "$client_ext"
ca rogue-ca "rogue CA"
leaf rogue province-a rogue-ca "$client_ext"
