#!/usr/bin/env bash
# Makes throw-away TLS certificates for the tests in DIR (created if missing), with the
# openssl CLI; run at test time, no key is ever committed. EC P-256 keys, SHA-256,
# valid for 2 days.
#   ca.pem, ca.key              the test CA (trust this one)
#   server.pem, server.key      signed by ca.pem for IP:127.0.0.1 and DNS:localhost
#   wrong.pem, wrong.key        signed by ca.pem, but for DNS:wrong.example only
#   other-ca.pem, other-ca.key  a second CA that nothing trusts
#   untrusted.pem, untrusted.key  signed by other-ca.pem for IP:127.0.0.1 and DNS:localhost
# Client certificates for mutual TLS (extendedKeyUsage clientAuth, the CN names the file):
#   client-ca.pem, client-ca.key  the CA a server trusts for client certificates
#   client-int.pem, client-int.key  an intermediate CA under client-ca.pem
#   client-rsa.pem, client-rsa.key  RSA 2048 by client-ca.pem; the key in PKCS#1
#   client-ec.pem, client-ec.key  EC P-256 by client-int.pem; the .pem is the chain (leaf, then
#                                 client-int.pem), the key in SEC1
#   client-ed25519.pem, client-ed25519.key  Ed25519 by client-ca.pem; the key in PKCS#8
#   client-untrusted.pem, client-untrusted.key  EC P-256 by other-ca.pem; the key in PKCS#8
# Usage: tests/certs.sh DIR
set -Eeuo pipefail

[[ $# -eq 1 ]] || { echo "usage: $0 DIR" >&2; exit 2; }
DIR=$1
mkdir -p "$DIR"
cd "$DIR"
umask 077
DAYS=2
# openssl's chatter goes to a log, shown only when something fails.
trap 'echo "certs: failed: $BASH_COMMAND" >&2; cat openssl.log >&2 2>/dev/null' ERR
: >openssl.log

# Our own config, so that the system's openssl.cnf adds nothing.
cat >openssl.cnf <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
[ca_ext]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = $ENV::SAN
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[client_root_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[client_int_ext]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[client_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF
export SAN=
cnf=(-config openssl.cnf)
newkey=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
serial() { echo "0x1$(openssl rand -hex 15)"; }

# ca NAME SUBJECT
ca() {
    openssl req "${cnf[@]}" -x509 "${newkey[@]}" -sha256 -days "$DAYS" -set_serial "$(serial)" \
        -subj "$2" -extensions ca_ext -keyout "$1.key" -out "$1.pem" 2>>openssl.log
}

# leaf NAME CA SUBJECT SAN
leaf() {
    openssl req "${cnf[@]}" -new "${newkey[@]}" -subj "$3" -keyout "$1.key" -out "$1.csr" 2>>openssl.log
    SAN=$4 openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -set_serial "$(serial)" \
        -sha256 -days "$DAYS" -extfile openssl.cnf -extensions server_ext -out "$1.pem" 2>>openssl.log
    rm -f "$1.csr"
}

ca ca "/O=sendmail tests/CN=sendmail test CA"
ca other-ca "/O=sendmail tests/CN=sendmail untrusted test CA"
leaf server ca "/O=sendmail tests/CN=localhost" "IP:127.0.0.1, DNS:localhost"
leaf wrong ca "/O=sendmail tests/CN=wrong.example" "DNS:wrong.example"
leaf untrusted other-ca "/O=sendmail tests/CN=localhost" "IP:127.0.0.1, DNS:localhost"

# signed NAME CA EXTENSIONS SUBJECT: a certificate for the key NAME.key, by CA.
signed() {
    openssl req "${cnf[@]}" -new -key "$1.key" -subj "$4" -out "$1.csr" 2>>openssl.log
    openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -set_serial "$(serial)" \
        -sha256 -days "$DAYS" -extfile openssl.cnf -extensions "$3" -out "$1.pem" 2>>openssl.log
    rm -f "$1.csr"
}
openssl req "${cnf[@]}" -x509 "${newkey[@]}" -sha256 -days "$DAYS" -set_serial "$(serial)" \
    -subj "/O=sendmail tests/CN=sendmail test client CA" -extensions client_root_ext \
    -keyout client-ca.key -out client-ca.pem 2>>openssl.log
openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:P-256 -out client-int.key 2>>openssl.log
signed client-int client-ca client_int_ext "/O=sendmail tests/CN=sendmail test client intermediate CA"
openssl genrsa -traditional -out client-rsa.key 2048 2>>openssl.log
signed client-rsa client-ca client_ext "/O=sendmail tests/CN=client-rsa"
openssl ecparam -name prime256v1 -genkey -noout -out client-ec.key 2>>openssl.log
signed client-ec client-int client_ext "/O=sendmail tests/CN=client-ec"
cat client-int.pem >>client-ec.pem
openssl genpkey -algorithm ed25519 -out client-ed25519.key 2>>openssl.log
signed client-ed25519 client-ca client_ext "/O=sendmail tests/CN=client-ed25519"
openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:P-256 -out client-untrusted.key 2>>openssl.log
signed client-untrusted other-ca client_ext "/O=sendmail tests/CN=client-untrusted"
rm -f openssl.cnf openssl.log
chmod 644 ./*.pem

# Sanity: the chains are what the tests assume.
openssl verify -x509_strict -purpose sslserver -CAfile ca.pem server.pem wrong.pem >/dev/null
openssl verify -x509_strict -purpose sslserver -CAfile other-ca.pem untrusted.pem >/dev/null
if openssl verify -CAfile ca.pem untrusted.pem >/dev/null 2>&1; then
    echo "certs: untrusted.pem verifies against ca.pem" >&2
    exit 1
fi
openssl verify -x509_strict -purpose sslclient -CAfile client-ca.pem client-rsa.pem client-ed25519.pem >/dev/null
openssl verify -x509_strict -purpose sslclient -CAfile client-ca.pem -untrusted client-int.pem client-ec.pem >/dev/null
grep -q "BEGIN RSA PRIVATE KEY" client-rsa.key && grep -q "BEGIN EC PRIVATE KEY" client-ec.key \
    && grep -q "BEGIN PRIVATE KEY" client-ed25519.key client-untrusted.key
if openssl verify -CAfile client-ca.pem client-untrusted.pem >/dev/null 2>&1; then
    echo "certs: client-untrusted.pem verifies against client-ca.pem" >&2
    exit 1
fi
