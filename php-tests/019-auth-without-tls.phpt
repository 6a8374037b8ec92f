--TEST--
AUTH without TLS: allowed on loopback (the exact clear-text bytes shown), refused when TLS is required; credentials never show in $lastact, $lastmessage, the transcript, debug output, dumps or exception traces
--EXTENSIONS--
sendmail
--INI--
zend.exception_ignore_args=0
zend.exception_string_param_max_len=1000
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

[$user, $pass] = sink_credentials();
// Credentials for the scripted servers: distinctive, so that a match below is a real leak.
const S_USER = 'relay-user@example.test';
const S_PASS = 'Tr0ub4dor&3-zebra';

/** Every form a secret of these credentials takes on the wire. */
function secret_forms(string $label, string $user, string $pass): array
{
    return [
        "$label password" => $pass,
        "$label base64 password (LOGIN)" => base64_encode($pass),
        "$label PLAIN blob" => base64_encode("\0$user\0$pass"),
        "$label XOAUTH2 blob" => base64_encode("user=$user\x01auth=Bearer $pass\x01\x01"),
        "$label URL-encoded password" => rawurlencode($pass),
    ];
}

/** Everything a script can see of a SendMail object, gathered for the leak check at the end. */
$seen = '';
/** What the scripted servers received: proves the secret forms searched for are the real ones. */
$wire = '';
function observe(SendMail $m): void
{
    global $seen;
    $seen .= "\n" . $m->lastact . "\n" . $m->lastmessage . "\n" . $m->getTranscript();
}

function scripted_auth(array $auth_steps, ?string $mechanism, bool $debug = false): array
{
    $srv = scripted_server([['send' => "220 scripted.test ESMTP\r\n"], ['expect' => 'EHLO client.example.test'],
        ['send' => "250-scripted.test\r\n250-AUTH PLAIN LOGIN XOAUTH2\r\n250 8BITMIME\r\n"], ...$auth_steps]);
    $m = new SendMail("127.0.0.1:{$srv['port']}", "client.example.test");
    $m->setTimeout(3)->setAuth(S_USER, S_PASS, $mechanism);
    $m->debug = $debug;
    ob_start();
    $ok = $m->send("rcpt@example.test", "me@example.test", "s", "body");
    $debug_out = ob_get_clean();
    observe($m);
    global $seen;
    $seen .= $debug_out;
    $log = scripted_log($srv);
    $clear = scripted_clear_log($srv);
    $GLOBALS['wire'] .= $log;
    echo scripted_errors($srv);
    echo var_export($ok, true), " | ", $m->lastact, " | ", $m->lastmessage, "\n";
    return [$m, $log, $clear, $debug_out];
}

$mail = [['expect' => 'MAIL'], ['send' => "250 ok\r\n"], ['expect' => 'RCPT'], ['send' => "250 ok\r\n"],
    ['expect' => 'DATA'], ['send' => "354 go\r\n"], ['read_data' => true], ['send' => "250 queued\r\n"],
    ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]];
$quit = [['expect' => 'QUIT'], ['send' => "221 bye\r\n"]];

echo "--- the clearauth sink (AUTH, no TLS) is on loopback: credentials may go in clear text\n";
foreach ([null, 'PLAIN', 'LOGIN', 'XOAUTH2'] as $i => $mechanism) {
    $m = new SendMail("127.0.0.1:" . sink_port('clearauth'), "client.example.test");
    $m->setTimeout(3)->setAuth($user, $pass, $mechanism);
    if ($i === 3) {
        $m->allowInsecureAuth(false);   // the default, said out loud: loopback is trusted anyway
    }
    $rcpt = "clear-" . strtolower($mechanism ?? 'default') . "-019@example.test";
    $ok = $m->send($rcpt, "me@example.test", "s", "body");
    observe($m);
    $env = $ok ? sink_received($rcpt)['env'] : [];
    printf("%-8s %s | %s | tls=%s auth_user=%s auth_mechanism=%s\n", $mechanism ?? '(none)', var_export($ok, true),
        $m->lastact, var_export($env['tls'] ?? null, true), $env['auth_user'] ?? '-', $env['auth_mechanism'] ?? '-');
}
// TLS required: the same server gets no AUTH at all.
$m = (new SendMail("127.0.0.1:" . sink_port('clearauth'), "client.example.test"))->setTls("required")->setAuth($user, $pass);
var_dump($m->send("clear-required-019@example.test", "me@example.test", "s", "body"), $m->lastact, $m->lastmessage);
observe($m);
var_dump(sink_received("clear-required-019@example.test", 0.3));

echo "--- scripted, AUTH PLAIN in clear text on loopback: the exact bytes\n";
[$m, $log, $clear, $debug_out] = scripted_auth([['expect' => 'AUTH PLAIN '], ['send' => "235 2.7.0 ok\r\n"], ...$mail], null, true);
$plain = base64_encode("\0" . S_USER . "\0" . S_PASS);
echo str_replace("\r\n", "|", substr($log, 0, strpos($log, "DATA\r\n") + 6)), "\n";
var_dump($plain, str_starts_with($log, "EHLO client.example.test\r\nAUTH PLAIN $plain\r\nMAIL FROM:<me@example.test>\r\n"), $clear === $log);
echo "debug output:\n", preg_replace(['/127\.0\.0\.1:\d+/', '/^>> (Date|Message-ID): .*$/m'], ['127.0.0.1:<port>', '>> $1: <masked>'], $debug_out);

echo "--- scripted, AUTH LOGIN in clear text, password refused\n";
[$m, $log, $clear] = scripted_auth([['expect' => 'AUTH LOGIN'], ['send' => "334 VXNlcm5hbWU6\r\n"], ['expect' => base64_encode(S_USER)],
    ['send' => "334 UGFzc3dvcmQ6\r\n"], ['expect' => base64_encode(S_PASS)], ['send' => "535 5.7.8 Authentication credentials invalid\r\n"],
    ...$quit], 'LOGIN', true);
echo str_replace("\r\n", "|", $log), "\n";
var_dump($log === "EHLO client.example.test\r\nAUTH LOGIN\r\n" . base64_encode(S_USER) . "\r\n" . base64_encode(S_PASS) . "\r\nQUIT\r\n", $clear === $log);
echo preg_replace('/127\.0\.0\.1:\d+/', '127.0.0.1:<port>', $m->getTranscript());

echo "--- scripted, AUTH PLAIN refused\n";
scripted_auth([['expect' => 'AUTH PLAIN '], ['send' => "535 5.7.8 Authentication credentials invalid\r\n"], ...$quit], 'PLAIN');

echo "--- scripted, XOAUTH2 refused (334 with the JSON error, an empty line, then 535)\n";
[$m, $log] = scripted_auth([['expect' => 'AUTH XOAUTH2 '], ['send' => "334 eyJzdGF0dXMiOiI0MDEifQ==\r\n"], ['expect' => "\r\n"],
    ['send' => "535 5.7.8 Username and Password not accepted\r\n"], ...$quit], 'XOAUTH2');
echo str_replace("\r\n", "|", preg_replace('/XOAUTH2 \S+/', 'XOAUTH2 <blob>', $log)), "\n";

echo "--- do_command(): AUTH typed by hand, in clear text on loopback\n";
$srv = scripted_server([['send' => "220 scripted.test ESMTP\r\n"], ['expect' => 'EHLO client.example.test'],
    ['send' => "250-scripted.test\r\n250 AUTH PLAIN LOGIN\r\n"],
    ['expect' => "AUTH PLAIN $plain"], ['send' => "535 5.7.8 no\r\n"], ['expect' => "auth plain $plain"], ['send' => "535 5.7.8 no\r\n"],
    ['expect' => 'AUTH LOGIN'], ['send' => "334 VXNlcm5hbWU6\r\n"], ['expect' => base64_encode(S_USER)],
    ['send' => "334 UGFzc3dvcmQ6\r\n"], ['expect' => base64_encode(S_PASS)], ['send' => "235 2.7.0 ok\r\n"], ...$quit]);
$m = new SendMail("127.0.0.1:{$srv['port']}", "client.example.test", true);
$m->setTimeout(3);
ob_start();
$results = [];
foreach (["AUTH PLAIN $plain" => 235, "auth plain $plain" => 235, 'AUTH LOGIN' => 334, base64_encode(S_USER) => 334, base64_encode(S_PASS) => 235] as $cmd => $code) {
    $results[] = var_export($m->do_command($cmd, $code), true) . " | " . $m->lastact . " | " . $m->lastmessage;
    observe($m);
}
$m->close();
observe($m);
$debug_out = ob_get_clean();
$seen .= $debug_out;
echo implode("\n", $results), "\n";
echo scripted_errors($srv);
$wire .= scripted_log($srv);
var_dump(scripted_log($srv) === "EHLO client.example.test\r\nAUTH PLAIN $plain\r\nauth plain $plain\r\nAUTH LOGIN\r\n" . base64_encode(S_USER) . "\r\n" . base64_encode(S_PASS) . "\r\nQUIT\r\n");
echo "debug output:\n", preg_replace('/127\.0\.0\.1:\d+/', '127.0.0.1:<port>', $debug_out);

echo "--- dumps, serialisation, exception traces of objects holding credentials\n";
$url = "smtp://" . rawurlencode(S_USER) . ":" . rawurlencode(S_PASS) . "@127.0.0.1:2525";
$objects = [(new SendMail("127.0.0.1:2525", "client.example.test"))->setAuth(S_USER, S_PASS, 'PLAIN'),
            new SendMail($url, "client.example.test"), $m];
class MySendMail extends SendMail {}
$objects[] = (new MySendMail("127.0.0.1:2525", "client.example.test"))->setAuth(S_USER, S_PASS);
$objects[] = clone $objects[0];
function handle(SendMail $m, string $note): void
{
    throw new RuntimeException("cannot handle $note");
}
foreach ($objects as $i => $o) {
    ob_start();
    var_dump($o);
    print_r($o);
    var_export($o);
    debug_zval_dump($o);
    echo json_encode($o);
    var_dump((array) $o, get_object_vars($o));
    foreach ((new ReflectionObject($o))->getProperties() as $p) {
        var_dump($p->getValue($o));
    }
    foreach ([fn() => serialize($o), fn() => serialize([$o]), fn() => var_export(unserialize(serialize($o)))] as $try) {
        try {
            echo $try();
        } catch (Throwable $e) {
            echo get_class($e), ": ", $e->getMessage(), "\n";
        }
    }
    try {
        handle($o, "object $i");
    } catch (RuntimeException $e) {
        echo $e, "\n", $e->getTraceAsString(), "\n";
        print_r($e->getTrace());
        var_dump($e->getTrace());
        var_export($e->getTrace());
    }
    $dump = ob_get_clean();
    $seen .= $dump;
    if ($i === 0) {
        // The trace does carry the object (the arguments are not ignored); only its public properties show.
        var_dump(str_contains($dump, "#0 " . __FILE__), str_contains($dump, "handle(Object(SendMail), 'object 0')"),
            str_contains($dump, "Serialization of 'SendMail' is not allowed"));
    }
    if ($i === 1) {
        echo "smtp: ", $o->smtp, "\n";
    }
}
// A bad mechanism: setAuth() throws with the password in its arguments; the trace hides it.
try {
    (new SendMail("127.0.0.1:2525"))->setAuth(S_USER, S_PASS, "GSSAPI");
} catch (ValueError $e) {
    ob_start();
    echo $e, "\n";
    print_r($e->getTrace());
    var_export($e->getTrace());
    $dump = ob_get_clean();
    $seen .= $dump;
    echo preg_replace('/^#0 .*\(\d+\): /m', '#0 <file>(<line>): ', explode("\n", $dump)[2]), "\n";
}

echo "--- the leak check: every output above, searched for every form of both secrets\n";
echo "gathered ", strlen($seen) > 10000 ? "more than 10000" : strlen($seen), " bytes\n";
foreach ([...secret_forms('scripted', S_USER, S_PASS), ...secret_forms('sink', $user, $pass)] as $what => $secret) {
    printf("%-38s on the wire: %-3s  shown to the script: %s\n", $what, str_contains($wire, $secret) ? 'yes' : 'no',
        str_contains($seen, $secret) ? 'YES (leak)' : 'no');
}
var_dump(str_contains($seen, S_USER), str_contains($seen, '****'));
echo "done\n";
?>
--EXPECT--
--- the clearauth sink (AUTH, no TLS) is on loopback: credentials may go in clear text
(none)   true | QUIT | tls=false auth_user=user@example.test auth_mechanism=CRAM-MD5
PLAIN    true | QUIT | tls=false auth_user=user@example.test auth_mechanism=PLAIN
LOGIN    true | QUIT | tls=false auth_user=user@example.test auth_mechanism=LOGIN
XOAUTH2  true | QUIT | tls=false auth_user=user@example.test auth_mechanism=XOAUTH2
bool(false)
string(24) "EHLO client.example.test"
string(54) "TLS is required but the server does not offer STARTTLS"
NULL
--- scripted, AUTH PLAIN in clear text on loopback: the exact bytes
true | QUIT | 250 queued
EHLO client.example.test|AUTH PLAIN AHJlbGF5LXVzZXJAZXhhbXBsZS50ZXN0AFRyMHViNGRvciYzLXplYnJh|MAIL FROM:<me@example.test>|RCPT TO:<rcpt@example.test>|DATA|
string(56) "AHJlbGF5LXVzZXJAZXhhbXBsZS50ZXN0AFRyMHViNGRvciYzLXplYnJh"
bool(true)
bool(true)
debug output:
>> connect to 127.0.0.1:<port>
<< 220 scripted.test ESMTP
>> EHLO client.example.test
<< 250-scripted.test
<< 250-AUTH PLAIN LOGIN XOAUTH2
<< 250 8BITMIME
>> AUTH PLAIN ****
<< 235 2.7.0 ok
>> MAIL FROM:<me@example.test>
<< 250 ok
>> RCPT TO:<rcpt@example.test>
<< 250 ok
>> DATA
<< 354 go
>> To: rcpt@example.test
>> From: me@example.test
>> Subject: s
>> Date: <masked>
>> Message-ID: <masked>
>> [message: 159 bytes]
>> .
<< 250 queued
>> QUIT
<< 221 bye
--- scripted, AUTH LOGIN in clear text, password refused
false | AUTH LOGIN | 535 5.7.8 Authentication credentials invalid
EHLO client.example.test|AUTH LOGIN|cmVsYXktdXNlckBleGFtcGxlLnRlc3Q=|VHIwdWI0ZG9yJjMtemVicmE=|QUIT|
bool(true)
bool(true)
>> connect to 127.0.0.1:<port>
<< 220 scripted.test ESMTP
>> EHLO client.example.test
<< 250-scripted.test
<< 250-AUTH PLAIN LOGIN XOAUTH2
<< 250 8BITMIME
>> AUTH LOGIN
<< 334 VXNlcm5hbWU6
>> ****
<< 334 UGFzc3dvcmQ6
>> ****
<< 535 5.7.8 Authentication credentials invalid
>> QUIT
<< 221 bye
--- scripted, AUTH PLAIN refused
false | AUTH PLAIN **** | 535 5.7.8 Authentication credentials invalid
--- scripted, XOAUTH2 refused (334 with the JSON error, an empty line, then 535)
false | AUTH XOAUTH2 **** | 535 5.7.8 Username and Password not accepted
EHLO client.example.test|AUTH XOAUTH2 <blob>||QUIT|
--- do_command(): AUTH typed by hand, in clear text on loopback
false | AUTH PLAIN **** | 535 5.7.8 no
false | AUTH PLAIN **** | 535 5.7.8 no
true | AUTH LOGIN | 334 VXNlcm5hbWU6
true | **** | 334 UGFzc3dvcmQ6
true | **** | 235 2.7.0 ok
bool(true)
debug output:
>> connect to 127.0.0.1:<port>
<< 220 scripted.test ESMTP
>> EHLO client.example.test
<< 250-scripted.test
<< 250 AUTH PLAIN LOGIN
>> AUTH PLAIN ****
<< 535 5.7.8 no
>> AUTH PLAIN ****
<< 535 5.7.8 no
>> AUTH LOGIN
<< 334 VXNlcm5hbWU6
>> ****
<< 334 UGFzc3dvcmQ6
>> ****
<< 235 2.7.0 ok
>> QUIT
<< 221 bye
--- dumps, serialisation, exception traces of objects holding credentials
bool(true)
bool(true)
bool(true)
smtp: smtp://relay-user%40example.test:****@127.0.0.1:2525
#0 <file>(<line>): SendMail->setAuth('relay-user@example.test', Object(SensitiveParameterValue), 'GSSAPI')
--- the leak check: every output above, searched for every form of both secrets
gathered more than 10000 bytes
scripted password                      on the wire: no   shown to the script: no
scripted base64 password (LOGIN)       on the wire: yes  shown to the script: no
scripted PLAIN blob                    on the wire: yes  shown to the script: no
scripted XOAUTH2 blob                  on the wire: yes  shown to the script: no
scripted URL-encoded password          on the wire: no   shown to the script: no
sink password                          on the wire: no   shown to the script: no
sink base64 password (LOGIN)           on the wire: no   shown to the script: no
sink PLAIN blob                        on the wire: no   shown to the script: no
sink XOAUTH2 blob                      on the wire: no   shown to the script: no
sink URL-encoded password              on the wire: no   shown to the script: no
bool(true)
bool(true)
done