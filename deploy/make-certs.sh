#!/usr/bin/env bash
# Makes the certificates and tokens of a gongkai deployment (openssl, EC P-256, valid for a year) and prints
# the kubectl commands that store them as the secrets the manifests mount. For a first deployment or a test
# cluster; where the organisation runs its own CA or cert-manager, issue the same files from there.
#   OUT/internal-ca.crt|key   CA of the services' mutual TLS (never give it to callers)
#   OUT/tls.crt|key           one certificate for all four services (their Service names, short and full)
#   OUT/callers-ca.crt|key    CA of callers' client certificates;  OUT/caller-NAME.crt|key for each caller
#   OUT/tokens                "TOKEN CALLER" lines, one random token per caller
# Usage: deploy/make-certs.sh OUT_DIR NAMESPACE CALLER...
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 OUT_DIR NAMESPACE CALLER..." >&2; exit 2; }
out="$1"; ns="$2"; shift 2
mkdir -p "$out"
cd "$out"
umask 077
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ca() {
  key "$1.key"
  openssl req -x509 -new -key "$1.key" -out "$1.crt" -days 365 -subj "/CN=$2" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}
leaf() {  # name cn ca extensions
  key "$1.key"
  openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$2" 2>/dev/null
  printf '%s\n' "$4" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$3.crt" -CAkey "$3.key" -CAcreateserial -out "$1.crt" -days 365 \
    -extfile "$1.ext" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
sans="DNS:localhost,IP:127.0.0.1"  # for kubectl port-forward and tests on loopback
for s in gongkai-parser gongkai-validator gongkai-aggregator gongkai-gateway; do
  sans="$sans,DNS:$s,DNS:$s.$ns,DNS:$s.$ns.svc,DNS:$s.$ns.svc.cluster.local"
done
ca internal-ca "gongkai internal CA ($ns)"
leaf tls gongkai internal-ca "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=$sans"
ca callers-ca "gongkai callers CA ($ns)"
: > tokens
for caller in "$@"; do
  leaf "caller-$caller" "$caller" callers-ca 'basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth'
  echo "$(openssl rand -hex 24) $caller" >> tokens
done
cat <<MSG
Made in $out. Store them in the cluster:
  kubectl -n $ns create secret generic gongkai-tls --from-file=tls.crt=$out/tls.crt --from-file=tls.key=$out/tls.key --from-file=ca.crt=$out/internal-ca.crt
  kubectl -n $ns create secret generic gongkai-callers --from-file=tokens=$out/tokens --from-file=ca.crt=$out/callers-ca.crt
Callers verify the gateway against internal-ca.crt and authenticate with their token (or caller-NAME.crt/.key).
MSG
