--TEST--
STARTTLS attacks: injection after the 220, STARTTLS stripped or refused, failed handshakes, capabilities that change under TLS, EHLO refused while TLS is required; nothing transactional crosses in clear text
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

[$user, $pass] = sink_credentials();
const BODY_MARK = 'confidential-body-017';

/**
 * The client's bytes as text, CRLF shown as "|", Date and Message-ID values masked. A TLS
 * ClientHello that came before the server hung up is cut off (tls_tail() checks it).
 */
function wire(string $bytes): string
{
    $bytes = substr($bytes, 0, strlen($bytes) - strlen(tls_tail($bytes)));
    $bytes = preg_replace(['/\r\nDate: [^\r]*/', '/\r\nMessage-ID: [^\r]*/'], ["\r\nDate: <date>", "\r\nMessage-ID: <id>"], $bytes);
    return addcslashes(str_replace("\r\n", '|', $bytes), "\0..\37\177..\377");
}

/** The run of whole TLS records (from the first 0x16 0x03 on) that ends $bytes, or "". */
function tls_tail(string $bytes): string
{
    $i = strpos($bytes, "\x16\x03");
    if ($i === false) {
        return '';
    }
    $rest = substr($bytes, $i);
    while (strlen($rest) >= 5 && $rest[1] === "\x03" && in_array($rest[0], ["\x14", "\x15", "\x16", "\x17"], true)) {
        $len = unpack('n', substr($rest, 3, 2))[1];
        if (strlen($rest) < 5 + $len) {
            break;
        }
        $rest = substr($rest, 5 + $len);
    }
    return $rest === '' ? substr($bytes, $i) : '';
}

/** Which commands, message parts and credentials (raw or base64) crossed in clear text. */
function leaks(string $clear): string
{
    global $user, $pass;
    $found = [];
    $words = ['MAIL', 'RCPT', 'DATA', 'AUTH', 'Subject', BODY_MARK, $user, $pass, base64_encode($pass),
              base64_encode($user), base64_encode("\0$user\0$pass")];
    foreach ($words as $w) {
        if (stripos($clear, $w) !== false) {
            $found[] = $w;
        }
    }
    return $found ? 'in clear text: ' . implode(', ', $found) : 'nothing transactional in clear text';
}

/** The scripted server's notes, without the version-dependent parts of OpenSSL's messages. */
function server_notes(string $err): string
{
    return preg_replace('/\[SSL: ([A-Z0-9_]+)\][^(]*\(_ssl\.c:\d+\)/', '[SSL: $1]', $err);
}

function attempt(string $label, array $steps, string $mode, array $tls = [], bool $auth = true): array
{
    global $user, $pass;
    $srv = scripted_server($steps, tls: $tls);
    $m = new SendMail("127.0.0.1:{$srv['port']}", "client.example.test");
    $m->setTimeout(3)->setTls($mode)->setCaFile(test_cert('ca.pem'));
    if ($auth) {
        $m->setAuth($user, $pass);
    }
    $t0 = microtime(true);
    $ok = $m->send("rcpt@example.test", "me@example.test", "Subject 017", BODY_MARK . "\n");
    $took = microtime(true) - $t0;
    echo "--- $label\n";
    echo "result:  ", var_export($ok, true), " | ", $m->lastact, " | ", $m->lastmessage, "\n";
    $log = scripted_log($srv);
    $clear = scripted_clear_log($srv);
    echo "clear:   ", wire($clear), "\n";
    if ($log !== $clear) {
        echo "all:     ", wire($log), "\n";
    }
    echo "         ", leaks($clear), "\n";
    $err = scripted_errors($srv);
    if ($err !== '') {
        echo "server:  ", server_notes($err);
    }
    if ($took > 2.5) {
        echo "slow: {$took}s\n";
    }
    return ['ok' => $ok, 'log' => $log, 'clear' => $clear, 'm' => $m];
}

$caps = "250-scripted.test\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n";
$hello = [['send' => "220 scripted.test ESMTP\r\n"], ['expect' => 'EHLO client.example.test'], ['send' => $caps]];

// 1. Injection: a reply the client did not ask for rides after the 220 to STARTTLS, in the same
// write. A client that kept its read buffer would take "250 injected" as the reply to its first
// command under TLS (CVE-2011-0411 and friends).
$r = attempt("injection after 220 to STARTTLS", [...$hello,
    ['expect' => 'STARTTLS'], ['send' => "220 go ahead\r\n250 injected\r\n"], ['starttls' => true],
    ['expect' => 'EHLO'], ['send' => "250 scripted.test\r\n"], ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]], "required");
var_dump($r['clear'] === "EHLO client.example.test\r\nSTARTTLS\r\n");
// The client read the 220 and nothing after it: "250 injected" was never taken as a reply.
$transcript = $r['m']->getTranscript();
echo "transcript:\n", preg_replace('/127\.0\.0\.1:\d+/', '127.0.0.1:<port>', $transcript);
var_dump(str_contains($transcript, 'injected'));

// The same in auto mode, and with the injected line in its own packet: it then reaches the
// TLS layer, which refuses it as a record.
attempt("injection, auto mode", [...$hello,
    ['expect' => 'STARTTLS'], ['send' => "220 go ahead\r\n250 injected\r\n"], ['starttls' => true]], "auto");
attempt("injection in a later packet", [...$hello,
    ['expect' => 'STARTTLS'], ['send' => "220 go ahead\r\n"], ['sleep' => 0.2], ['send' => "250 injected\r\n"],
    ['starttls' => true]], "required");

// 2. STARTTLS stripped from the EHLO reply (a man in the middle): required refuses and says why.
$stripped = [['send' => "220 scripted.test ESMTP\r\n"], ['expect' => 'EHLO client.example.test'],
    ['send' => "250-scripted.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"], ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]];
$r = attempt("STARTTLS stripped, required", $stripped, "required");
var_dump($r['clear'] === "EHLO client.example.test\r\nQUIT\r\n");
// Auto mode is opportunistic: against the same server it sends the mail in clear text. This is
// why "required" exists; shown here so that the line above means something.
attempt("STARTTLS stripped, auto (opportunistic: goes on in clear text)", [...array_slice($stripped, 0, 3),
    ['expect' => 'MAIL'], ['send' => "250 ok\r\n"],
    ['expect' => 'RCPT'], ['send' => "250 ok\r\n"], ['expect' => 'DATA'], ['send' => "354 go\r\n"], ['read_data' => true],
    ['send' => "250 queued\r\n"], ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]], "auto", auth: false);

// 3. 454 to STARTTLS: no fallback to clear text, in required and in auto mode.
foreach (['required', 'auto'] as $mode) {
    $r = attempt("454 to STARTTLS, $mode", [...$hello,
        ['expect' => 'STARTTLS'], ['send' => "454 4.7.0 TLS not available due to temporary reason\r\n"],
        ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]], $mode);
    var_dump($r['clear'] === "EHLO client.example.test\r\nSTARTTLS\r\nQUIT\r\n");
}

// 4. Failed handshakes: the server hangs up instead; a certificate for another name; a
// certificate from a CA the client does not trust.
$r = attempt("server closes instead of handshaking", [...$hello,
    ['expect' => 'STARTTLS'], ['send' => "220 go ahead\r\n"], ['sleep' => 0.3], ['close' => true]], "required");
// The clear log ends with the client's ClientHello (the server had no TLS layer to take it):
// whole TLS records, and nothing else, after STARTTLS.
$tail = tls_tail($r['clear']);
var_dump($r['clear'] === "EHLO client.example.test\r\nSTARTTLS\r\n$tail", $tail === '' || $tail[0] === "\x16");
foreach ([['wrong.pem', 'wrong.key'], ['untrusted.pem', 'untrusted.key']] as [$cert, $key]) {
    $r = attempt("handshake with $cert", [...$hello,
        ['expect' => 'STARTTLS'], ['send' => "220 go ahead\r\n"], ['starttls' => true],
        ['expect' => 'EHLO'], ['send' => "250 scripted.test\r\n"], ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]],
        "auto", ['cert' => $cert, 'key' => $key]);
    var_dump($r['clear'] === "EHLO client.example.test\r\nSTARTTLS\r\n", $r['log'] === $r['clear']);
}

// Implicit TLS against a server that talks in clear text: its greeting is not taken as a
// reply, and the only bytes that cross are the client's ClientHello.
$r = attempt("implicit TLS, the server talks in clear text", [['send' => "220 scripted.test ESMTP\r\n"],
    ['read_until_close' => true]], "implicit");
var_dump($r['clear'] !== '' && tls_tail($r['clear']) === $r['clear']);

// 5. Capabilities learned in clear text are forgotten: before TLS the server offers AUTH PLAIN
// and 8BITMIME, after TLS only AUTH LOGIN and no 8BITMIME. The client must log in with LOGIN and
// send its UTF-8 body as quoted-printable, without BODY=8BITMIME.
$srv = scripted_server([['send' => "220 scripted.test ESMTP\r\n"], ['expect' => 'EHLO client.example.test'],
    ['send' => "250-scripted.test\r\n250-AUTH PLAIN\r\n250-8BITMIME\r\n250 STARTTLS\r\n"],
    ['expect' => 'STARTTLS'], ['send' => "220 go ahead\r\n"], ['starttls' => true],
    ['expect' => 'EHLO client.example.test'], ['send' => "250-scripted.test\r\n250 AUTH LOGIN\r\n"],
    ['expect' => 'AUTH LOGIN'], ['send' => "334 VXNlcm5hbWU6\r\n"], ['expect' => base64_encode($user)],
    ['send' => "334 UGFzc3dvcmQ6\r\n"], ['expect' => base64_encode($pass)], ['send' => "235 2.7.0 ok\r\n"],
    ['expect' => 'MAIL FROM:<me@example.test>'], ['send' => "250 ok\r\n"], ['expect' => 'RCPT'], ['send' => "250 ok\r\n"],
    ['expect' => 'DATA'], ['send' => "354 go\r\n"], ['read_data' => true], ['send' => "250 2.0.0 queued\r\n"],
    ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]]);
$m = new SendMail("127.0.0.1:{$srv['port']}", "client.example.test");
$m->setTimeout(3)->setTls("required")->setCaFile(test_cert('ca.pem'))->setAuth($user, $pass);
echo "--- capabilities change under TLS\n";
var_dump($m->send("rcpt@example.test", "me@example.test", "Caps", "Grüße aus Köln\n"), $m->lastmessage);
$log = scripted_log($srv);
$clear = scripted_clear_log($srv);
echo scripted_errors($srv);
echo "clear: ", wire($clear), "\n";
if (preg_match('/^(.*?DATA\r\n)(.*?)\r\n\r\n(.*?\r\n)(\.\r\n.*)$/s', $log, $parts)) {
    [, $before, $head, $body, $after] = $parts;
    echo "all:   ", wire("$before<message>$after"), "\n";
    echo "head:  ", wire($head), "\n";
    echo "body:  ", wire($body), "\n";
} else {
    echo "no message: ", wire($log), "\n";
}
echo "AUTH LOGIN under TLS: ", var_export(str_contains($log, "\r\nAUTH LOGIN\r\n"), true),
    ", AUTH PLAIN anywhere: ", var_export(str_contains($log, "AUTH PLAIN"), true),
    ", 8BITMIME anywhere: ", var_export(str_contains($log, "8BITMIME"), true),
    ", 8-bit bytes: ", preg_match('/[\x80-\xff]/', $log),
    ", AUTH in clear text: ", var_export(stripos($clear, 'AUTH') !== false, true), "\n";

// 6. EHLO refused while TLS is required: no HELO (HELO cannot lead to STARTTLS).
$refused = [['send' => "220 scripted.test ESMTP\r\n"], ['expect' => 'EHLO client.example.test'],
    ['send' => "502 5.5.1 EHLO not implemented\r\n"]];
$r = attempt("EHLO refused, required", [...$refused, ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]], "required");
var_dump($r['clear'] === "EHLO client.example.test\r\nQUIT\r\n");
// The same server in auto mode gets HELO: the fallback exists, and required turns it off.
attempt("EHLO refused, auto (HELO fallback)", [...$refused, ['expect' => 'HELO client.example.test'],
    ['send' => "250 scripted.test\r\n"], ['expect' => 'MAIL'], ['send' => "250 ok\r\n"], ['expect' => 'RCPT'],
    ['send' => "250 ok\r\n"], ['expect' => 'DATA'], ['send' => "354 go\r\n"], ['read_data' => true],
    ['send' => "250 queued\r\n"], ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]], "auto", auth: false);
?>
--EXPECT--
--- injection after 220 to STARTTLS
result:  false | STARTTLS | the server sent data after its reply to STARTTLS (an injection attack?)
clear:   EHLO client.example.test|STARTTLS|
         nothing transactional in clear text
server:  !! handshake failed: the client closed the connection (connection 1, step 5)
bool(true)
transcript:
>> connect to 127.0.0.1:<port>
<< 220 scripted.test ESMTP
>> EHLO client.example.test
<< 250-scripted.test
<< 250-AUTH PLAIN LOGIN
<< 250 STARTTLS
>> STARTTLS
<< 220 go ahead
<< the server sent data after its reply to STARTTLS (an injection attack?)
bool(false)
--- injection, auto mode
result:  false | STARTTLS | the server sent data after its reply to STARTTLS (an injection attack?)
clear:   EHLO client.example.test|STARTTLS|
         nothing transactional in clear text
server:  !! handshake failed: the client closed the connection (connection 1, step 5)
--- injection in a later packet
result:  false | STARTTLS | TLS handshake with 127.0.0.1 failed: received corrupt message of type InvalidContentType
clear:   EHLO client.example.test|STARTTLS|
         nothing transactional in clear text
server:  !! handshake failed: [SSL: TLSV1_ALERT_DECODE_ERROR] (connection 1, step 7)
--- STARTTLS stripped, required
result:  false | EHLO client.example.test | TLS is required but the server does not offer STARTTLS
clear:   EHLO client.example.test|QUIT|
         nothing transactional in clear text
bool(true)
--- STARTTLS stripped, auto (opportunistic: goes on in clear text)
result:  true | QUIT | 250 queued
clear:   EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<rcpt@example.test>|DATA|To: rcpt@example.test|From: me@example.test|Subject: Subject 017|Date: <date>|Message-ID: <id>||confidential-body-017|.|QUIT|
         in clear text: MAIL, RCPT, DATA, Subject, confidential-body-017
--- 454 to STARTTLS, required
result:  false | STARTTLS | 454 4.7.0 TLS not available due to temporary reason
clear:   EHLO client.example.test|STARTTLS|QUIT|
         nothing transactional in clear text
bool(true)
--- 454 to STARTTLS, auto
result:  false | STARTTLS | 454 4.7.0 TLS not available due to temporary reason
clear:   EHLO client.example.test|STARTTLS|QUIT|
         nothing transactional in clear text
bool(true)
--- server closes instead of handshaking
result:  false | STARTTLS | TLS handshake with 127.0.0.1 failed: the server closed the connection
clear:   EHLO client.example.test|STARTTLS|
         nothing transactional in clear text
bool(true)
bool(true)
--- handshake with wrong.pem
result:  false | STARTTLS | TLS handshake with 127.0.0.1 failed: the server's certificate is not valid for 127.0.0.1
clear:   EHLO client.example.test|STARTTLS|
         nothing transactional in clear text
server:  !! handshake failed: [SSL: SSLV3_ALERT_BAD_CERTIFICATE] (connection 1, step 5)
bool(true)
bool(true)
--- handshake with untrusted.pem
result:  false | STARTTLS | TLS handshake with 127.0.0.1 failed: the server's certificate is not signed by a trusted CA (setCaFile() names a private CA)
clear:   EHLO client.example.test|STARTTLS|
         nothing transactional in clear text
server:  !! handshake failed: [SSL: TLSV1_ALERT_UNKNOWN_CA] (connection 1, step 5)
bool(true)
bool(true)
--- implicit TLS, the server talks in clear text
result:  false | connect | TLS handshake with 127.0.0.1 failed: received corrupt message of type InvalidContentType
clear:   
         nothing transactional in clear text
bool(true)
--- capabilities change under TLS
bool(true)
string(16) "250 2.0.0 queued"
clear: EHLO client.example.test|STARTTLS|
all:   EHLO client.example.test|STARTTLS|EHLO client.example.test|AUTH LOGIN|dXNlckBleGFtcGxlLnRlc3Q=|czNjcmV0|MAIL FROM:<me@example.test>|RCPT TO:<rcpt@example.test>|DATA|<message>.|QUIT|
head:  To: rcpt@example.test|From: me@example.test|Subject: Caps|Date: <date>|Message-ID: <id>|MIME-Version: 1.0|Content-Type: text/plain; charset=UTF-8|Content-Transfer-Encoding: quoted-printable
body:  Gr=C3=BC=C3=9Fe aus K=C3=B6ln|
AUTH LOGIN under TLS: true, AUTH PLAIN anywhere: false, 8BITMIME anywhere: false, 8-bit bytes: 0, AUTH in clear text: false
--- EHLO refused, required
result:  false | EHLO client.example.test | 502 5.5.1 EHLO not implemented
clear:   EHLO client.example.test|QUIT|
         nothing transactional in clear text
bool(true)
--- EHLO refused, auto (HELO fallback)
result:  true | QUIT | 250 queued
clear:   EHLO client.example.test|HELO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<rcpt@example.test>|DATA|To: rcpt@example.test|From: me@example.test|Subject: Subject 017|Date: <date>|Message-ID: <id>||confidential-body-017|.|QUIT|
         in clear text: MAIL, RCPT, DATA, Subject, confidential-body-017