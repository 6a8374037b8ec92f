--TEST--
Hostile servers, STARTTLS and AUTH, as sendMessage() sees them (017 and 019 cover send() and the clear-text side in depth): STARTTLS stripped, refused, silent, injected or failing; AUTH refused, temporary, endless challenges, hang-ups
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/hostile.inc';

$tlsCaps = [...h_greet(), ...h_ehlo("250-hostile.test\r\n250 STARTTLS\r\n")];
$req = ['tls' => 'required'];

echo "=== STARTTLS\n";
hostile("STARTTLS stripped, required", [...h_greet(), ...h_ehlo("250-hostile.test\r\n250 8BITMIME\r\n"), ...h_quit()], 'message', $req);
hostile("454 to STARTTLS, required", [...$tlsCaps, ['expect' => 'STARTTLS'], ['send' => "454 4.7.0 TLS not available\r\n"], ...h_quit()],
    'message', $req);
hostile("454 to STARTTLS, auto: no fallback to clear text", [...$tlsCaps, ['expect' => 'STARTTLS'],
    ['send' => "454 4.7.0 TLS not available\r\n"], ...h_quit()], 'message', ['tls' => 'auto']);
hostile("STARTTLS answered with silence, timeout 1", [...$tlsCaps, ['expect' => 'STARTTLS'], ['read_until_close' => true]], 'message',
    ['tls' => 'required', 'timeout' => 1, 'min' => 0.75, 'max' => 3.0]);
hostile("reply injected after the 220 to STARTTLS", [...$tlsCaps, ['expect' => 'STARTTLS'], ['send' => "220 go ahead\r\n250 injected\r\n"],
    ['starttls' => true]], 'message', $req);
// The server waits for the start of the client's handshake (a TLS record header), then hangs up.
hostile("the server hangs up instead of the handshake", [...$tlsCaps, ['expect' => 'STARTTLS'], ['send' => "220 go ahead\r\n"],
    ['read_bytes' => 5], ['close' => true]], 'message', $req);
hostile("TLS up, then the EHLO reply never comes, timeout 1", [...$tlsCaps, ['expect' => 'STARTTLS'], ['send' => "220 go ahead\r\n"],
    ['starttls' => true], ['expect' => 'EHLO'], ['read_until_close' => true]], 'message', ['tls' => 'required', 'timeout' => 1, 'min' => 0.75, 'max' => 3.0]);
hostile("TLS up, then 16 MiB without CRLF", [...$tlsCaps, ['expect' => 'STARTTLS'], ['send' => "220 go ahead\r\n"],
    ['starttls' => true], ['expect' => 'EHLO'], ['flood' => 16 << 20]], 'message', ['tls' => 'required', 'rss' => 4 << 20]);

echo "=== AUTH\n";
const SECRET = 'Tr0ub4dor&3-hostile';
$auth = ['auth' => ['relay@example.test', SECRET, 'PLAIN']];
$authCaps = [...h_greet(), ...h_ehlo("250-hostile.test\r\n250 AUTH PLAIN LOGIN\r\n")];
$plain = base64_encode("\0relay@example.test\0" . SECRET);

/** The secret in any form, anywhere PHP can see it after the call (the wire carries it, as AUTH must). */
function leaks(array $r): void
{
    $m = $r['m'];
    $seen = $m->lastact . "\n" . $m->lastmessage . "\n" . $m->getTranscript() . "\n"
        . ($r['result'] instanceof Throwable ? $r['result'] . "\n" . $r['result']->getReply() : '') . print_r($m, true);
    $forms = [SECRET, base64_encode(SECRET), base64_encode("\0relay@example.test\0" . SECRET)];
    $found = array_filter($forms, fn($f) => str_contains($seen, $f));
    echo "secret visible to PHP: ", $found ? implode(', ', $found) : 'no', "\n";
}
$r = hostile("535 to AUTH: no MAIL", [...$authCaps, ['expect' => "AUTH PLAIN $plain"], ['send' => "535 5.7.8 credentials invalid\r\n"], ...h_quit()],
    'message', $auth);
leaks($r);
$r = hostile("454 to AUTH", [...$authCaps, ['expect' => "AUTH PLAIN"], ['send' => "454 4.7.0 try later\r\n"], ...h_quit()], 'send', $auth);
leaks($r);
hostile("AUTH answered by a hang-up", [...$authCaps, ['expect' => "AUTH PLAIN"], ['close' => true]], 'message', $auth);
hostile("AUTH reply 235-a then 535 b", [...$authCaps, ['expect' => "AUTH PLAIN"], ['send' => "235-ok\r\n535 no\r\n"], ['sleep' => 0.2],
    ['close' => true]], 'message', $auth);
// AUTH LOGIN against a server that asks again and again: the client gives up after a few rounds.
$challenges = [];
for ($i = 0; $i < 12; $i++) {
    $challenges[] = ['send' => "334 VXNlcm5hbWU6\r\n"];
    $challenges[] = ['expect' => ''];
}
// The password goes once; the exchange is cancelled with "*" (RFC 4954), then QUIT.
$r = hostile("endless 334 challenges", [...$authCaps, ['expect' => "AUTH LOGIN"], ...$challenges, ['read_until_close' => true]], 'message',
    ['auth' => ['relay@example.test', SECRET, 'LOGIN'],
     'wire' => fn($w) => preg_replace('/^(.*?' . preg_quote(base64_encode(SECRET), '/') . '\|)(?:\|)*(\*\|QUIT\|)$/', '$1<empty answers>|$2', $w)]);
leaks($r);
?>
--EXPECT--
=== STARTTLS
--- STARTTLS stripped, required
threw: SendMail\TlsException | stage tls | code 0 | permanent | TLS is required but the server does not offer STARTTLS
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|QUIT|
--- 454 to STARTTLS, required
threw: SendMail\TlsException | stage tls | code 454 | temporary | tls refused: 454 4.7.0 TLS not available
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|STARTTLS|QUIT|
--- 454 to STARTTLS, auto: no fallback to clear text
threw: SendMail\TlsException | stage tls | code 454 | temporary | tls refused: 454 4.7.0 TLS not available
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|STARTTLS|QUIT|
--- STARTTLS answered with silence, timeout 1
threw: SendMail\TimeoutException | stage tls | code 0 | temporary | timed out after 1s waiting for the tls reply
within: 0.75s <= time <= 3s, PHP memory +1 MiB
wire: EHLO client.example.test|STARTTLS|
--- reply injected after the 220 to STARTTLS
threw: SendMail\TlsException | stage tls | code 0 | permanent | the server sent data after its reply to STARTTLS (an injection attack?)
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|STARTTLS|
!! handshake failed: the client closed the connection (connection 1, step 5)
--- the server hangs up instead of the handshake
threw: SendMail\TlsException | stage tls | code 0 | permanent | TLS handshake with 127.0.0.1 failed: the server closed the connection
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|STARTTLS|<TLS records>
--- TLS up, then the EHLO reply never comes, timeout 1
threw: SendMail\TimeoutException | stage ehlo | code 0 | temporary | timed out after 1s waiting for the ehlo reply
within: 0.75s <= time <= 3s, PHP memory +1 MiB
wire: EHLO client.example.test|STARTTLS|EHLO client.example.test|
--- TLS up, then 16 MiB without CRLF
threw: SendMail\ProtocolException | stage ehlo | code 0 | permanent | protocol error at ehlo: reply line longer than 8192 bytes
within: time <= 2s, PHP memory +1 MiB, peak RSS +4 MiB
wire: EHLO client.example.test|STARTTLS|EHLO client.example.test|
=== AUTH
--- 535 to AUTH: no MAIL
threw: SendMail\AuthException | stage auth | code 535 | permanent | auth refused: 535 5.7.8 credentials invalid
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|AUTH PLAIN AHJlbGF5QGV4YW1wbGUudGVzdABUcjB1YjRkb3ImMy1ob3N0aWxl|QUIT|
secret visible to PHP: no
--- 454 to AUTH
send: false | AUTH PLAIN **** | 454 4.7.0 try later
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|AUTH PLAIN AHJlbGF5QGV4YW1wbGUudGVzdABUcjB1YjRkb3ImMy1ob3N0aWxl|QUIT|
secret visible to PHP: no
--- AUTH answered by a hang-up
threw: SendMail\ProtocolException | stage auth | code 0 | permanent | the server closed the connection at auth
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|AUTH PLAIN AHJlbGF5QGV4YW1wbGUudGVzdABUcjB1YjRkb3ImMy1ob3N0aWxl|
--- AUTH reply 235-a then 535 b
threw: SendMail\ProtocolException | stage auth | code 0 | permanent | protocol error at auth: reply lines carry different codes (235 then 535)
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|AUTH PLAIN AHJlbGF5QGV4YW1wbGUudGVzdABUcjB1YjRkb3ImMy1ob3N0aWxl|
--- endless 334 challenges
threw: SendMail\AuthException | stage auth | code 0 | permanent | the server sent more than 4 AUTH challenges
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|AUTH LOGIN|cmVsYXlAZXhhbXBsZS50ZXN0|VHIwdWI0ZG9yJjMtaG9zdGlsZQ==|<empty answers>|*|QUIT|
!! expected '' got EOF (connection 1, step 17)
secret visible to PHP: no