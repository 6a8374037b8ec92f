#!/usr/bin/env bash
# Runs the PHPT suite (php-tests/) against the built extension.
#
# Makes throw-away TLS certificates (tests/certs.sh), starts the SMTP sink
# (tests/servers/sink.py: one process, eleven listeners, one temporary maildir),
# exports what php-tests/inc/servers.inc needs, runs PHP's run-tests.php and
# exits with its status. The sink is always stopped on exit. The listeners:
#   plain      no TLS, no AUTH                                SENDMAIL_TEST_PORT
#   tls        STARTTLS (server.pem), AUTH only under TLS     SENDMAIL_TEST_TLS_PORT
#   smtps      TLS from the first byte (server.pem), AUTH     SENDMAIL_TEST_SMTPS_PORT
#   wrongname  STARTTLS with wrong.pem, no AUTH               SENDMAIL_TEST_WRONGNAME_PORT
#   untrusted  STARTTLS with untrusted.pem, no AUTH           SENDMAIL_TEST_UNTRUSTED_PORT
#   clearauth  no TLS, AUTH in clear text                     SENDMAIL_TEST_CLEARAUTH_PORT
#   chunking   no TLS, CHUNKING (BDAT) beside DATA            SENDMAIL_TEST_CHUNKING_PORT
#   token      no TLS, AUTH XOAUTH2 OAUTHBEARER with a 2,000-character token (SENDMAIL_TEST_OAUTH_TOKEN)
#                                                             SENDMAIL_TEST_TOKEN_PORT
#   dsn        no TLS, DSN (RFC 3461), parameters recorded    SENDMAIL_TEST_DSN_PORT
#   relay      STARTTLS (server.pem), AUTH only under TLS, PIPELINING and CHUNKING: a provider's
#              submission port; two accounts                  SENDMAIL_TEST_RELAY_PORT
# AUTH takes SENDMAIL_TEST_AUTH_USER / SENDMAIL_TEST_AUTH_PASSWORD (the relay listener also
# SENDMAIL_TEST_AUTH_USER2 / SENDMAIL_TEST_AUTH_PASSWORD2); the certificates
#   mtls       STARTTLS (server.pem) required, and a client certificate by client-ca.pem
#              (mutual TLS; its CN recorded as client_cert)   SENDMAIL_TEST_MTLS_PORT
# AUTH takes SENDMAIL_TEST_AUTH_USER / SENDMAIL_TEST_AUTH_PASSWORD; the certificates
# are in SENDMAIL_TEST_CERTS (see tests/certs.sh). The DKIM test keys are in SENDMAIL_TEST_DKIM
# (tests/dkim-keys.sh); the sink verifies every signed message with dkimpy and OpenDKIM against
# their records (tests/servers/dkimcheck.py) and writes the verdicts into its .json.
#
#   SENDMAIL_SO   the extension to test (default target/release/libsendmail.so)
#   PHP, PHP_CONFIG
#   PHPT_JOBS     parallel run-tests workers (default 2)
#   SENDMAIL_VALGRIND=1  run under valgrind (a debug build adds file and line to its reports)
#   SENDMAIL_PHP_ROOTFS  PHP runs in this root (tests/php84.sh): the paths php-config gives
#                 are inside it; TEST_PHP_EXECUTABLE and PHPT_PYTHON then name PHP and python3
#                 as seen from inside
# Arguments, if any, replace php-tests/ as the tests to run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PHP=${PHP:-php}
PHP_CONFIG=${PHP_CONFIG:-php-config}
PY="$ROOT/.venv/bin/python"
SO=${SENDMAIL_SO:-target/release/libsendmail.so}
[[ "$SO" = /* ]] || SO="$ROOT/$SO"
RUN_TESTS="$("$PHP_CONFIG" --extension-dir)/build/run-tests.php"
JOBS=${PHPT_JOBS:-2}

[[ -f "$SO" ]] || { echo "run-phpt: $SO not found (run 'make build')" >&2; exit 2; }
[[ -x "$PY" ]] || { echo "run-phpt: $PY not found (run 'make deps')" >&2; exit 2; }
[[ -f "${SENDMAIL_PHP_ROOTFS:-}$RUN_TESTS" ]] || { echo "run-phpt: $RUN_TESTS not found (php-dev missing?)" >&2; exit 2; }

. "$ROOT/tests/sink.sh"
make_work phpt
CERTS="$WORK/certs"
bash "$ROOT/tests/certs.sh" "$CERTS" || { echo "run-phpt: tests/certs.sh failed" >&2; exit 2; }
AUTH_USER=user@example.test
AUTH_PASSWORD=s3cret
AUTH_USER2=other@example.test
AUTH_PASSWORD2=an0ther
# An OAuth access token as long as Microsoft's and Google's (1,000-2,500 characters).
OAUTH_TOKEN="ya29.$(printf 'a0Bz%.0s' $(seq 499))"
"$PY" - "$CERTS" "$AUTH_USER:$AUTH_PASSWORD" "$AUTH_USER:$OAUTH_TOKEN" "$AUTH_USER2:$AUTH_PASSWORD2" \
    >"$WORK/listeners.json" <<'PY'
import json, sys
certs, auth, token, auth2 = sys.argv[1:]
def tls(name):
    return {"tls-cert": f"{certs}/{name}.pem", "tls-key": f"{certs}/{name}.key"}
json.dump({
    "plain": {},
    "tls": {**tls("server"), "auth": auth, "auth-require-tls": True},
    "smtps": {**tls("server"), "implicit-tls": True, "auth": auth, "auth-require-tls": True},
    "wrongname": tls("wrong"),
    "untrusted": tls("untrusted"),
    "clearauth": {"auth": auth},
    "chunking": {"chunking": True},
    "token": {"auth": token, "mechanisms": ["XOAUTH2", "OAUTHBEARER"]},
    "dsn": {"dsn": True},
    "relay": {**tls("server"), "auth": [auth, auth2], "auth-require-tls": True, "pipelining": True,
              "chunking": True},
    "mtls": {**tls("server"), "require-tls": True, "require-client-cert": f"{certs}/client-ca.pem"},
}, sys.stdout, indent=1)
PY
bash "$ROOT/tests/dkim-keys.sh" "$WORK/dkim" || { echo "run-phpt: tests/dkim-keys.sh failed" >&2; exit 2; }
start_sink phpt "$WORK/listeners.json" "$WORK/dkim/records.json"

export SENDMAIL_TEST_PORT=$SINK_PORT
export SENDMAIL_TEST_TLS_PORT=${SINK_PORTS[tls]}
export SENDMAIL_TEST_SMTPS_PORT=${SINK_PORTS[smtps]}
export SENDMAIL_TEST_WRONGNAME_PORT=${SINK_PORTS[wrongname]}
export SENDMAIL_TEST_UNTRUSTED_PORT=${SINK_PORTS[untrusted]}
export SENDMAIL_TEST_CLEARAUTH_PORT=${SINK_PORTS[clearauth]}
export SENDMAIL_TEST_CHUNKING_PORT=${SINK_PORTS[chunking]}
export SENDMAIL_TEST_TOKEN_PORT=${SINK_PORTS[token]}
export SENDMAIL_TEST_DSN_PORT=${SINK_PORTS[dsn]}
export SENDMAIL_TEST_RELAY_PORT=${SINK_PORTS[relay]}
export SENDMAIL_TEST_MTLS_PORT=${SINK_PORTS[mtls]}
export SENDMAIL_TEST_OAUTH_TOKEN=$OAUTH_TOKEN
export SENDMAIL_TEST_CERTS="$CERTS"
export SENDMAIL_TEST_DKIM="$WORK/dkim"
# "1" when the sink can have OpenDKIM verify signatures, else why not (the DKIM test skips).
SENDMAIL_TEST_OPENDKIM=$(sed -n 's/^sink: OpenDKIM //p' "$WORK/sink.log" | head -1)
export SENDMAIL_TEST_OPENDKIM=${SENDMAIL_TEST_OPENDKIM:-1}
export SENDMAIL_TEST_AUTH_USER=$AUTH_USER
export SENDMAIL_TEST_AUTH_PASSWORD=$AUTH_PASSWORD
export SENDMAIL_TEST_AUTH_USER2=$AUTH_USER2
export SENDMAIL_TEST_AUTH_PASSWORD2=$AUTH_PASSWORD2
export SENDMAIL_TEST_MAILDIR="$WORK/maildir"
export SENDMAIL_TEST_PYTHON="${PHPT_PYTHON:-$PY}"
export SENDMAIL_TEST_SERVERS="$ROOT/tests/servers"
export SENDMAIL_TEST_SO="$SO"
export REPORT_EXIT_STATUS=1
export TEST_PHP_EXECUTABLE=${TEST_PHP_EXECUTABLE:-$(command -v "$PHP")}
export TMPDIR="$WORK"
[[ -t 1 ]] || export NO_COLOR=1

# An installed copy (make install) would be loaded twice: hide its ini file.
NOINI=()
if "$PHP" -r 'exit(extension_loaded("sendmail") ? 0 : 1);' 2>/dev/null; then
    SCAN=$("$PHP" --ini | sed -n 's/^Scan for additional .ini files in: *//p')
    mkdir "$WORK/conf.d"
    for f in "$SCAN"/*.ini; do
        [[ -e "$f" ]] || continue
        grep -qE '^\s*extension\s*=\s*"?([^"]*/)?(lib)?sendmail(\.so)?"?\s*$' "$f" || ln -s "$f" "$WORK/conf.d/"
    done
    export PHP_INI_SCAN_DIR="$WORK/conf.d"
    if "$PHP" -r 'exit(extension_loaded("sendmail") ? 0 : 1);' 2>/dev/null; then
        NOINI=(-n)
    fi
fi

# A .so that does not load would only make every test skip: fail instead.
if ! "$PHP" "${NOINI[@]}" -d "extension=$SO" -r 'exit(extension_loaded("sendmail") ? 0 : 1);'; then
    echo "run-phpt: $SO does not load as the sendmail extension" >&2
    exit 2
fi

PARALLEL=()
[[ $JOBS -gt 1 ]] && PARALLEL=("-j$JOBS")
# SENDMAIL_VALGRIND=1: every test under valgrind memcheck, failing on definite leaks too.
# PCRE's JIT makes valgrind report false errors, so it is off for that run.
MEMCHECK=()
if [[ ${SENDMAIL_VALGRIND:-0} = 1 ]]; then
    MEMCHECK=(-m -d pcre.jit=0 --show-slow 60000)
    # run-tests.php traces children: PHP processes a test starts are checked too, but the
    # test servers and helpers in Python are not the extension and would only be slowed down.
    export VALGRIND_OPTS="--leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --suppressions=$ROOT/tests/valgrind.supp --trace-children-skip=*python*"
fi
[[ $# -gt 0 ]] || set -- php-tests/

echo "run-phpt: sink on 127.0.0.1:$SENDMAIL_TEST_PORT (tls $SENDMAIL_TEST_TLS_PORT," \
    "smtps $SENDMAIL_TEST_SMTPS_PORT, wrongname $SENDMAIL_TEST_WRONGNAME_PORT," \
    "untrusted $SENDMAIL_TEST_UNTRUSTED_PORT, clearauth $SENDMAIL_TEST_CLEARAUTH_PORT, chunking $SENDMAIL_TEST_CHUNKING_PORT," \
    "token $SENDMAIL_TEST_TOKEN_PORT, dsn $SENDMAIL_TEST_DSN_PORT, mtls $SENDMAIL_TEST_MTLS_PORT, relay $SENDMAIL_TEST_RELAY_PORT), extension $SO"
set +e
"$PHP" "$RUN_TESTS" -q --show-diff "${NOINI[@]}" "${PARALLEL[@]}" "${MEMCHECK[@]}" -d "extension=$SO" "$@" \
    | tee "$WORK/run-tests.out"
status=${PIPESTATUS[0]}
set -e

# One closing line in the plain "N passed, N failed" form.
sum() { sed -n "s/^Tests $1 *: *\([0-9]*\).*/\1/p" "$WORK/run-tests.out" | head -1; }
passed=$(sum passed); failed=$(sum failed); borked=$(sum borked); skipped=$(sum skipped)
if [[ -n "$passed" ]]; then
    echo "phpt: $passed passed, $((${failed:-0} + ${borked:-0})) failed, ${skipped:-0} skipped"
fi
exit "$status"
