--TEST--
setPinnedPublicKey(): curl's sha256//BASE64 pins of the server's public key (as the README's openssl command computes them), checked besides verification: a right pin sends, a wrong one is a TlsException that names the server's own pin, over STARTTLS and implicit TLS, on a resumed session and a kept connection too; with verification off the pin alone is checked; bad syntax is a ValueError that names the argument
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
$ca = test_cert('ca.pem');
// The README's command: the SHA-256 of the certificate's public key (SubjectPublicKeyInfo, DER), base64.
function pin(string $name): string
{
    $cmd = sprintf('openssl x509 -in %s -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | openssl enc -base64', escapeshellarg(test_cert("$name.pem")));
    $base64 = trim((string) shell_exec($cmd));
    if (strlen($base64) !== 44) {
        throw new RuntimeException("no pin for $name: $base64");
    }
    return "sha256//$base64";
}
$pins = ['server' => pin('server'), 'wrong' => pin('wrong'), 'untrusted' => pin('untrusted')];
// Pins differ at each run (the keys are made anew): shown by name.
$show = function (string $text) use ($pins): string {
    foreach ($pins as $name => $pin) {
        $text = str_replace($pin, "PIN($name)", $text);
        $text = str_replace(substr($pin, 8), "BASE64($name)", $text);
        $text = str_replace(rtrim(substr($pin, 8), '='), "BASE64($name) without its =", $text);
    }
    return $text;
};
$tls = '127.0.0.1:' . sink_port('tls');
$smtps = '127.0.0.1:' . sink_port('smtps');
$untrusted = '127.0.0.1:' . sink_port('untrusted');
$wrongname = '127.0.0.1:' . sink_port('wrongname');
$n = 0;
$run = function (string $what, SendMail $m) use (&$n, $show) {
    $rcpt = 'pin-' . ++$n . '-082@example.test';
    $ok = $m->setTimeout(10)->send($rcpt, 'me@example.test', 'Pinned', 'x');
    printf("%-40s %s | %s | %s\n", $what, var_export($ok, true), $ok ? (sink_received($rcpt) === null ? 'nothing arrived' : 'arrived') : (sink_received($rcpt, 0.3) === null ? 'nothing arrived' : 'ARRIVED'), $show(preg_replace('/queued as \w+/', 'queued as ID', $m->lastmessage)));
};

echo "-- verification on: the pin is checked besides\n";
$run('right pin, STARTTLS', (new SendMail($tls))->setCaFile($ca)->setPinnedPublicKey($pins['server']));
$run('one of two pins', (new SendMail($tls))->setCaFile($ca)->setPinnedPublicKey("{$pins['wrong']};{$pins['server']}"));
$run('wrong pin, STARTTLS', (new SendMail($tls))->setCaFile($ca)->setPinnedPublicKey($pins['wrong']));
$run('right pin, implicit TLS', (new SendMail($smtps))->setTls('implicit')->setCaFile($ca)->setPinnedPublicKey($pins['server']));
$run('wrong pin, implicit TLS', (new SendMail($smtps))->setTls('implicit')->setCaFile($ca)->setPinnedPublicKey($pins['untrusted']));
$run('right pin, CA not trusted', (new SendMail($untrusted))->setCaFile($ca)->setPinnedPublicKey($pins['untrusted']));
try {
    (new SendMail($tls))->setCaFile($ca)->setPinnedPublicKey($pins['wrong'])
        ->sendMessage((new SendMail\Message)->from('me@example.test')->to('pin-exception-082@example.test')->text('x'));
} catch (SendMail\Exception $e) {
    echo get_class($e), " | stage ", $e->getStage(), " | ", $e->isTemporary() ? 'temporary' : 'permanent', " | ", $show($e->getMessage()), "\n";
}
$probe = (new SendMail($smtps))->setTls('implicit')->setCaFile($ca)->setPinnedPublicKey($pins['untrusted']);
try {
    $probe->probe();
} catch (SendMail\TlsException $e) {
    echo "probe(): ", $show($e->getMessage()), "\n";
}

echo "-- verification off: the pin alone\n";
$run('untrusted CA, its pin', (new SendMail($untrusted))->setVerifyPeer(false)->setPinnedPublicKey($pins['untrusted']));
$run('wrong name, its pin', (new SendMail($wrongname))->setVerifyPeer(false)->setPinnedPublicKey($pins['wrong']));
$run('untrusted CA, another pin', (new SendMail($untrusted))->setVerifyPeer(false)->setPinnedPublicKey($pins['server']));

echo "-- pins are part of the TLS settings: a resumed session or a kept connection skips no pin\n";
$resumed = fn (string $pin) => (new SendMail($smtps))->setTls('implicit')->setCaFile($ca)->setPinnedPublicKey($pin)->setTimeout(10)->probe()['tls']['resumed'];
echo "right pin, then again: ", json_encode([$resumed($pins['server']), $resumed($pins['server'])]), "\n";
try {
    $resumed("{$pins['untrusted']};{$pins['wrong']}");
    echo "a wrong pin after a resumable session: accepted?!\n";
} catch (SendMail\TlsException $e) {
    echo "a wrong pin after a resumable session: ", $show($e->getMessage()), "\n";
}
$kept = (new SendMail($tls))->setCaFile($ca)->setKeepAlive(true)->setPinnedPublicKey($pins['server']);
$run('kept connection, right pin', $kept);
$run('the same object, pin changed', $kept->setPinnedPublicKey($pins['wrong']));
$kept->close();

echo "-- bad pins: a ValueError that names the argument\n";
foreach ([
    '',
    ' ; ',
    substr($pins['server'], 8),
    'SHA256//' . substr($pins['server'], 8),
    'sha1//' . base64_encode(str_repeat("\1", 20)),
    'sha256//',
    'sha256//not*base64',
    'sha256//' . base64_encode(str_repeat("\1", 20)),
    'sha256//' . rtrim(substr($pins['server'], 8), '='),
    "{$pins['server']};",
    "{$pins['server']};;{$pins['wrong']}",
    "{$pins['server']};pin2",
    "sha256//\xff\xfe",
] as $value) {
    try {
        (new SendMail($tls))->setPinnedPublicKey($value);
        echo json_encode($value), ": accepted?!\n";
    } catch (ValueError $e) {
        echo $show($e->getMessage()), "\n";
    }
}
$p = (new ReflectionMethod(SendMail::class, 'setPinnedPublicKey'));
echo $p->getName(), '(', implode(', ', array_map(fn ($x) => $x->getType() . ' $' . $x->getName(), $p->getParameters())), '): ', $p->getReturnType(), "\n";
?>
--EXPECT--
-- verification on: the pin is checked besides
right pin, STARTTLS                      true | arrived | 250 2.0.0 Ok: queued as ID
one of two pins                          true | arrived | 250 2.0.0 Ok: queued as ID
wrong pin, STARTTLS                      false | nothing arrived | TLS handshake with 127.0.0.1 failed: the server's public key does not match the pinned public key (setPinnedPublicKey()): the server's is PIN(server)
right pin, implicit TLS                  true | arrived | 250 2.0.0 Ok: queued as ID
wrong pin, implicit TLS                  false | nothing arrived | TLS handshake with 127.0.0.1 failed: the server's public key does not match the pinned public key (setPinnedPublicKey()): the server's is PIN(server)
right pin, CA not trusted                false | nothing arrived | TLS handshake with 127.0.0.1 failed: the server's certificate is not signed by a trusted CA (setCaFile() names a private CA)
SendMail\TlsException | stage tls | permanent | TLS handshake with 127.0.0.1 failed: the server's public key does not match the pinned public key (setPinnedPublicKey()): the server's is PIN(server)
probe(): TLS handshake with 127.0.0.1 failed: the server's public key does not match the pinned public key (setPinnedPublicKey()): the server's is PIN(server)
-- verification off: the pin alone
untrusted CA, its pin                    true | arrived | 250 2.0.0 Ok: queued as ID
wrong name, its pin                      true | arrived | 250 2.0.0 Ok: queued as ID
untrusted CA, another pin                false | nothing arrived | TLS handshake with 127.0.0.1 failed: the server's public key does not match the pinned public key (setPinnedPublicKey()): the server's is PIN(untrusted)
-- pins are part of the TLS settings: a resumed session or a kept connection skips no pin
right pin, then again: [true,true]
a wrong pin after a resumable session: TLS handshake with 127.0.0.1 failed: the server's public key does not match the pinned public key (setPinnedPublicKey()): the server's is PIN(server)
kept connection, right pin               true | arrived | 250 2.0.0 Ok: queued as ID
the same object, pin changed             false | nothing arrived | TLS handshake with 127.0.0.1 failed: the server's public key does not match the pinned public key (setPinnedPublicKey()): the server's is PIN(server)
-- bad pins: a ValueError that names the argument
SendMail::setPinnedPublicKey(): Argument #1 ($pins) must not be empty: give sha256//BASE64[;sha256//BASE64...]
SendMail::setPinnedPublicKey(): Argument #1 ($pins) has an empty pin 1 (a stray ";"): give sha256//BASE64[;sha256//BASE64...]
SendMail::setPinnedPublicKey(): Argument #1 ($pins) has pin 1 ("BASE64(server)") without sha256//: give sha256//BASE64[;sha256//BASE64...]
SendMail::setPinnedPublicKey(): Argument #1 ($pins) has pin 1 ("SHA256//BASE64(server)") without sha256//: give sha256//BASE64[;sha256//BASE64...]
SendMail::setPinnedPublicKey(): Argument #1 ($pins) has pin 1 ("sha1//AQEBAQEBAQEBAQEBAQEBAQEBAQE=") without sha256//: give sha256//BASE64[;sha256//BASE64...]
SendMail::setPinnedPublicKey(): Argument #1 ($pins) has pin 1 ("sha256//") of 0 bytes, not the 32 of a SHA-256 digest
SendMail::setPinnedPublicKey(): Argument #1 ($pins) has pin 1 ("sha256//not*base64") that is not valid base64
SendMail::setPinnedPublicKey(): Argument #1 ($pins) has pin 1 ("sha256//AQEBAQEBAQEBAQEBAQEBAQEBAQE=") of 20 bytes, not the 32 of a SHA-256 digest
SendMail::setPinnedPublicKey(): Argument #1 ($pins) has pin 1 ("sha256//BASE64(server) without its =") that is not valid base64
SendMail::setPinnedPublicKey(): Argument #1 ($pins) has an empty pin 2 (a stray ";"): give sha256//BASE64[;sha256//BASE64...]
SendMail::setPinnedPublicKey(): Argument #1 ($pins) has an empty pin 2 (a stray ";"): give sha256//BASE64[;sha256//BASE64...]
SendMail::setPinnedPublicKey(): Argument #1 ($pins) has pin 2 ("pin2") without sha256//: give sha256//BASE64[;sha256//BASE64...]
SendMail::setPinnedPublicKey(): Argument #1 ($pins) has pin 1 ("sha256//��") that is not valid base64
setPinnedPublicKey(string $pins): SendMail