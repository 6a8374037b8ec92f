--TEST--
Test infrastructure for TLS and AUTH: the test certificates, the sink's TLS/AUTH listeners, scripted STARTTLS
--EXTENSIONS--
openssl
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

function smtp_cmd($s, ?string $line): string
{
    if ($line !== null) {
        fwrite($s, "$line\r\n");
    }
    $reply = '';
    while (($l = fgets($s)) !== false) {
        $reply .= $l;
        if (strlen($l) < 4 || $l[3] !== '-') {
            break;
        }
    }
    return $reply;
}

function ssl_context(string $cafile, string $peer = '127.0.0.1')
{
    return stream_context_create(['ssl' => [
        'cafile' => test_cert($cafile), 'peer_name' => $peer,
        'verify_peer' => true, 'verify_peer_name' => true,
    ]]);
}

function connect(string $url, $ctx = null)
{
    $s = stream_socket_client($url, $errno, $errstr, 5, STREAM_CLIENT_CONNECT, $ctx ?? stream_context_create());
    if ($s === false) {
        echo "connect $url failed: $errstr\n";
        return false;
    }
    stream_set_timeout($s, 5);
    return $s;
}

/** EHLO keywords, after the greeting (when $greet) */
function ehlo($s, bool $greet = false): string
{
    if ($greet) {
        smtp_cmd($s, null);
    }
    $lines = explode("\r\n", trim(smtp_cmd($s, 'EHLO infra.test')));
    return implode(' | ', array_map(fn ($l) => substr($l, 4), array_slice($lines, 1)));
}

/** stream_context_set_options() since PHP 8.3, where the two-argument set_option() is deprecated. */
function set_ssl_options($s, array $ssl): void
{
    function_exists('stream_context_set_options')
        ? stream_context_set_options($s, ['ssl' => $ssl]) : stream_context_set_option($s, ['ssl' => $ssl]);
}

function starttls($s, string $cafile, string $peer = '127.0.0.1'): bool
{
    echo 'STARTTLS: ', smtp_cmd($s, 'STARTTLS');
    set_ssl_options($s, [
        'cafile' => test_cert($cafile), 'peer_name' => $peer,
        'verify_peer' => true, 'verify_peer_name' => true,
    ]);
    return @stream_socket_enable_crypto($s, true, STREAM_CRYPTO_METHOD_TLS_CLIENT) === true;
}

function deliver($s, string $rcpt): void
{
    smtp_cmd($s, 'MAIL FROM:<a@example.test>');
    smtp_cmd($s, "RCPT TO:<$rcpt>");
    smtp_cmd($s, 'DATA');
    echo 'queued: ', substr(smtp_cmd($s, "Subject: $rcpt\r\n\r\nhello\r\n."), 0, 23), "\n";
    smtp_cmd($s, 'QUIT');
    fclose($s);
    $env = sink_received($rcpt)['env'] ?? [];
    printf("%s: listener=%s tls=%s %s auth_user=%s auth_mechanism=%s\n", $rcpt, $env['listener'],
        var_export($env['tls'], true), preg_match('/^TLSv1\.[23]$/', (string) $env['tls_version']) ? 'TLSv1.x' : var_export($env['tls_version'], true),
        var_export($env['auth_user'], true), var_export($env['auth_mechanism'], true));
}

[$user, $pass] = sink_credentials();
$plain = base64_encode("\0$user\0$pass");

echo "--- certificates\n";
foreach (['ca.pem', 'ca.key', 'server.pem', 'server.key', 'wrong.pem', 'wrong.key', 'other-ca.pem', 'untrusted.pem', 'untrusted.key'] as $f) {
    is_file(test_cert($f)) or print("missing $f\n");
}
$x = openssl_x509_parse(file_get_contents(test_cert('server.pem')));
echo $x['extensions']['subjectAltName'], ' / ', $x['extensions']['extendedKeyUsage'], "\n";
var_dump(openssl_x509_checkpurpose(file_get_contents(test_cert('server.pem')), X509_PURPOSE_SSL_SERVER, [test_cert('ca.pem')]));
var_dump(openssl_x509_checkpurpose(file_get_contents(test_cert('untrusted.pem')), X509_PURPOSE_SSL_SERVER, [test_cert('ca.pem')]));

echo "--- plain: no STARTTLS, no AUTH\n";
$s = connect('tcp://127.0.0.1:' . sink_port());
echo ehlo($s, true), "\n";
echo smtp_cmd($s, "AUTH PLAIN $plain");
fclose($s);

echo "--- tls: STARTTLS, then AUTH\n";
$s = connect('tcp://127.0.0.1:' . sink_port('tls'));
echo ehlo($s, true), "\n";
echo smtp_cmd($s, "AUTH PLAIN $plain");
var_dump(starttls($s, 'ca.pem'));
echo ehlo($s), "\n";
echo smtp_cmd($s, 'AUTH PLAIN ' . base64_encode("\0$user\0wrong"));
echo smtp_cmd($s, 'AUTH LOGIN');
echo smtp_cmd($s, base64_encode($user));
echo smtp_cmd($s, base64_encode('wrong'));
$c = smtp_cmd($s, 'AUTH CRAM-MD5');
$challenge = base64_decode(substr(trim($c), 4));
var_dump((bool) preg_match('/^<\d+\.\d+@sink\.test>$/', $challenge));
echo smtp_cmd($s, base64_encode("$user " . hash_hmac('md5', $challenge, 'wrong')));
$r = smtp_cmd($s, 'AUTH XOAUTH2 ' . base64_encode("user=$user\x01auth=Bearer wrong\x01\x01"));
echo substr($r, 0, 4), base64_decode(substr(trim($r), 4)), "\n";
echo smtp_cmd($s, '');
echo smtp_cmd($s, "AUTH PLAIN $plain");
deliver($s, 'infra-tls@example.test');

echo "--- smtps: TLS from the first byte\n";
$s = connect('tls://127.0.0.1:' . sink_port('smtps'), ssl_context('ca.pem'));
echo ehlo($s, true), "\n";
$c = smtp_cmd($s, 'AUTH CRAM-MD5');
echo smtp_cmd($s, base64_encode("$user " . hash_hmac('md5', base64_decode(substr(trim($c), 4)), $pass)));
deliver($s, 'infra-smtps@example.test');
var_dump(connect('tcp://127.0.0.1:' . sink_port('smtps')) !== false);

echo "--- clearauth: AUTH without TLS\n";
$s = connect('tcp://127.0.0.1:' . sink_port('clearauth'));
echo ehlo($s, true), "\n";
echo smtp_cmd($s, 'AUTH XOAUTH2');
echo smtp_cmd($s, base64_encode("user=$user\x01auth=Bearer $pass\x01\x01"));
deliver($s, 'infra-clearauth@example.test');

echo "--- wrongname and untrusted: verification fails, but not for the right name / CA\n";
foreach ([['wrongname', 'ca.pem', '127.0.0.1'], ['wrongname', 'ca.pem', 'wrong.example'],
          ['untrusted', 'ca.pem', 'localhost'], ['untrusted', 'other-ca.pem', 'localhost']] as [$which, $ca, $peer]) {
    $s = connect('tcp://127.0.0.1:' . sink_port($which));
    echo "$which $ca $peer: ", ehlo($s, true), "\n";
    var_dump(starttls($s, $ca, $peer));
    fclose($s);
}

echo "--- scripted STARTTLS\n";
$srv = scripted_server([
    ['send' => "220 scripted\r\n"],
    ['expect' => 'EHLO '],
    ['send' => "250-scripted\r\n250 STARTTLS\r\n"],
    ['expect' => 'STARTTLS'],
    ['send' => "220 go ahead\r\n250 injected\r\n"],
    ['starttls' => true],
    ['expect' => 'EHLO '],
    ['send' => "250 scripted\r\n"],
    ['expect' => 'AUTH PLAIN '],
    ['send' => "235 ok\r\n"],
    ['expect' => 'QUIT'],
    ['send' => "221 bye\r\n"],
]);
$s = connect("tcp://127.0.0.1:{$srv['port']}");
echo ehlo($s, true), "\n";
fwrite($s, "STARTTLS\r\n");
// Both lines came in one write, so they are here at once.
$r = fread($s, 1024);
var_dump($r);
set_ssl_options($s, ['cafile' => test_cert('ca.pem'), 'peer_name' => 'localhost']);
var_dump(stream_socket_enable_crypto($s, true, STREAM_CRYPTO_METHOD_TLS_CLIENT));
echo smtp_cmd($s, 'EHLO again');
echo smtp_cmd($s, "AUTH PLAIN $plain");
echo smtp_cmd($s, 'QUIT');
fclose($s);
var_dump(scripted_log($srv) === "EHLO infra.test\r\nSTARTTLS\r\nEHLO again\r\nAUTH PLAIN $plain\r\nQUIT\r\n");
var_dump(scripted_clear_log($srv), scripted_errors($srv));

echo "--- scripted: a failed handshake is noted\n";
$srv = scripted_server([['send' => "220 x\r\n"], ['expect' => 'STARTTLS'], ['send' => "220 go\r\n"], ['starttls' => true]],
    tls: ['cert' => 'untrusted.pem', 'key' => 'untrusted.key']);
$s = connect("tcp://127.0.0.1:{$srv['port']}");
fgets($s);
var_dump(starttls($s, 'ca.pem'));
fclose($s);
var_dump(scripted_clear_log($srv));
echo preg_replace('/: .*\(/', ': ... (', scripted_errors($srv));

echo "--- scripted implicit TLS\n";
$srv = scripted_server([['implicit_tls' => true], ['send' => "220 smtps\r\n"], ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]]);
$s = connect("tls://127.0.0.1:{$srv['port']}", ssl_context('ca.pem'));
echo fgets($s);
echo smtp_cmd($s, 'QUIT');
fclose($s);
var_dump(scripted_log($srv), scripted_clear_log($srv), scripted_errors($srv));
?>
--EXPECT--
--- certificates
IP Address:127.0.0.1, DNS:localhost / TLS Web Server Authentication
bool(true)
bool(false)
--- plain: no STARTTLS, no AUTH
SIZE 52428800 | 8BITMIME | SMTPUTF8 | HELP
538 5.7.11 Encryption required for requested authentication mechanism
--- tls: STARTTLS, then AUTH
SIZE 52428800 | 8BITMIME | SMTPUTF8 | STARTTLS | HELP
538 5.7.11 Encryption required for requested authentication mechanism
STARTTLS: 220 Ready to start TLS
bool(true)
SIZE 52428800 | 8BITMIME | SMTPUTF8 | AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2 OAUTHBEARER | HELP
535 5.7.8 Authentication credentials invalid
334 VXNlcm5hbWU6
334 UGFzc3dvcmQ6
535 5.7.8 Authentication credentials invalid
bool(true)
535 5.7.8 Authentication credentials invalid
334 {"status": "401", "schemes": "bearer", "scope": "https://mail.google.com/"}
535 5.7.8 Username and Password not accepted
235 2.7.0 Authentication successful
queued: 250 2.0.0 Ok: queued as
infra-tls@example.test: listener=tls tls=true TLSv1.x auth_user='user@example.test' auth_mechanism='PLAIN'
--- smtps: TLS from the first byte
SIZE 52428800 | 8BITMIME | SMTPUTF8 | AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2 OAUTHBEARER | HELP
235 2.7.0 Authentication successful
queued: 250 2.0.0 Ok: queued as
infra-smtps@example.test: listener=smtps tls=true TLSv1.x auth_user='user@example.test' auth_mechanism='CRAM-MD5'
bool(true)
--- clearauth: AUTH without TLS
SIZE 52428800 | 8BITMIME | SMTPUTF8 | AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2 OAUTHBEARER | HELP
334 
235 2.7.0 Authentication successful
queued: 250 2.0.0 Ok: queued as
infra-clearauth@example.test: listener=clearauth tls=false NULL auth_user='user@example.test' auth_mechanism='XOAUTH2'
--- wrongname and untrusted: verification fails, but not for the right name / CA
wrongname ca.pem 127.0.0.1: SIZE 52428800 | 8BITMIME | SMTPUTF8 | STARTTLS | HELP
STARTTLS: 220 Ready to start TLS
bool(false)
wrongname ca.pem wrong.example: SIZE 52428800 | 8BITMIME | SMTPUTF8 | STARTTLS | HELP
STARTTLS: 220 Ready to start TLS
bool(true)
untrusted ca.pem localhost: SIZE 52428800 | 8BITMIME | SMTPUTF8 | STARTTLS | HELP
STARTTLS: 220 Ready to start TLS
bool(false)
untrusted other-ca.pem localhost: SIZE 52428800 | 8BITMIME | SMTPUTF8 | STARTTLS | HELP
STARTTLS: 220 Ready to start TLS
bool(true)
--- scripted STARTTLS
STARTTLS
string(28) "220 go ahead
250 injected
"
bool(true)
250 scripted
235 ok
221 bye
bool(true)
string(27) "EHLO infra.test
STARTTLS
"
string(0) ""
--- scripted: a failed handshake is noted
STARTTLS: 220 go
bool(false)
string(10) "STARTTLS
"
!! handshake failed: ... (connection 1, step 3)
--- scripted implicit TLS
220 smtps
221 bye
string(6) "QUIT
"
string(0) ""
string(0) ""
