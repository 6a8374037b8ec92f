#!/usr/bin/env bash
# Makes throw-away DKIM keys and their DNS records for the tests, in DIR:
#   rsa.pem        RSA 2048, PKCS#8          selector "rsa" of dkim.example.test
#   rsa-pkcs1.pem  the same key as PKCS#1 ("BEGIN RSA PRIVATE KEY")
#   ed25519.pem    Ed25519, PKCS#8           selector "ed" of dkim.example.test
#   rsa1024.pem, ec.pem, encrypted.pem       keys that must be refused
#   records.json   {"rsa._domainkey.dkim.example.test": "v=DKIM1; k=rsa; p=...", ...}
# Usage: dkim-keys.sh DIR
set -euo pipefail
DIR=${1:?usage: dkim-keys.sh DIR}
mkdir -p "$DIR"
cd "$DIR"
q() { openssl "$@" 2>/dev/null; }
q genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.pem
q pkey -in rsa.pem -traditional -out rsa-pkcs1.pem
q genpkey -algorithm ed25519 -out ed25519.pem
q genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024.pem
q genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem
q pkcs8 -topk8 -in rsa.pem -passout pass:secret -out encrypted.pem
chmod 600 ./*.pem
# RSA: p= is the SubjectPublicKeyInfo; Ed25519: the raw 32-byte key (RFC 8463 §4.2).
rsa_p=$(q pkey -in rsa.pem -pubout -outform DER | base64 -w0)
ed_p=$(q pkey -in ed25519.pem -pubout -outform DER | tail -c 32 | base64 -w0)
cat >records.json <<JSON
{
 "rsa._domainkey.dkim.example.test": "v=DKIM1; k=rsa; p=$rsa_p",
 "ed._domainkey.dkim.example.test": "v=DKIM1; k=ed25519; p=$ed_p"
}
JSON
