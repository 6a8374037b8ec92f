--TEST--
Mutual TLS: setClientCertificate() with PEM text or paths (RSA with a PKCS#1 key, ECDSA with a SEC1 key and its intermediate CA) to a server that requires a client certificate; php.ini sendmail.client_cert/client_key for an unchanged legacy script, the smtp class and mail(); what PHP gets when the server refuses (no certificate, an untrusted one); ValueErrors that name the argument; php.ini settings that cannot be used stop the send; the key never shows
--EXTENSIONS--
sendmail
--INI--
sendmail.aliases=send_mail,SMTP
sendmail.cafile={TMP}/certs/ca.pem
sendmail.client_cert={TMP}/certs/client-ec.pem
sendmail.client_key={TMP}/certs/client-ec.key
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
$certs = sendmail_test_env('SENDMAIL_TEST_CERTS');
$mtls = '127.0.0.1:' . sink_port('mtls');
$ca = test_cert('ca.pem');
$pem = fn (string $file) => file_get_contents(test_cert($file));
// A line from the middle of each client key: no output may hold it.
$secretLines = [];
foreach (['client-rsa.key', 'client-ec.key', 'client-untrusted.key'] as $file) {
    $lines = explode("\n", trim($pem($file)));
    $secretLines[] = $lines[intdiv(count($lines), 2)];
}
$leaks = function (string $text) use ($secretLines, $certs): bool {
    foreach ($secretLines as $line) {
        if (str_contains($text, $line)) {
            return true;
        }
    }
    return str_contains($text, "$certs/client-");   // no path of a key (or certificate) either
};
$seen = '';
// What arrived for $rcpt: over TLS, with which client certificate (its CN).
$arrived = function (string $rcpt, float $wait = 5.0): string {
    $got = sink_received($rcpt, $wait);
    return $got === null ? 'nothing arrived'
        : sprintf('arrived, tls %s, client certificate %s', json_encode($got['env']['tls']), json_encode($got['env']['client_cert']));
};
// The --INI-- settings, set back after a part of the test changed them.
$restore = function () {
    ini_restore('sendmail.client_cert');
    ini_restore('sendmail.client_key');
};
$mailer = fn () => (new SendMail($mtls, 'client.example.test'))->setCaFile($ca)->setTls('required')->setTimeout(10);

echo "-- setClientCertificate(): paths or PEM text\n";
$both = $pem('client-ec.pem') . $pem('client-ec.key');
foreach ([
    'RSA, paths' => [test_cert('client-rsa.pem'), test_cert('client-rsa.key')],
    'RSA, PEM text' => [$pem('client-rsa.pem'), $pem('client-rsa.key')],
    'ECDSA with its chain, paths' => [test_cert('client-ec.pem'), test_cert('client-ec.key')],
    'ECDSA, PEM text' => [$pem('client-ec.pem'), $pem('client-ec.key')],
    'one PEM text holding both' => [$both, $both],
] as $what => [$cert, $key]) {
    $rcpt = 'mtls-' . preg_replace('/\W+/', '-', strtolower($what)) . '-081@example.test';
    $m = $mailer()->setClientCertificate($cert, $key);
    echo "$what: ", var_export($m->send($rcpt, 'me@example.test', 'Mutual TLS', 'x'), true), ', ', $arrived($rcpt), "\n";
    $seen .= $m->getTranscript() . $m->lastmessage;
}
$receipt = $mailer()->setClientCertificate(test_cert('client-rsa.pem'), test_cert('client-rsa.key'))
    ->sendMessage((new SendMail\Message)->from('me@example.test')->to('mtls-message-081@example.test')->text('x'));
echo "sendMessage(): ", $receipt->queueId !== '' ? 'queued' : 'no queue id', ', ', $arrived('mtls-message-081@example.test'), "\n";
// A kept connection is kept for its certificate only.
$kept = $mailer()->setKeepAlive(true)->setClientCertificate(test_cert('client-rsa.pem'), test_cert('client-rsa.key'));
$keptSend = function (string $rcpt) use ($kept): array {
    $kept->send($rcpt, 'me@example.test', 'Kept', 'x');
    $env = sink_received($rcpt)['env'] ?? [];
    return [$env['client_cert'] ?? $kept->lastmessage, $env['peer'][1] ?? null];
};
[$first, $port1] = $keptSend('mtls-kept1-081@example.test');
[$second, $port2] = $keptSend('mtls-kept2-081@example.test');
$kept->setClientCertificate(test_cert('client-ec.pem'), test_cert('client-ec.key'));
[$third, $port3] = $keptSend('mtls-kept3-081@example.test');
$kept->close();
echo "kept connection: $first, $second", $port2 === $port1 ? ' (the same connection)' : ' (another connection?!)',
    ", then $third", $port3 === $port1 ? ' (the same connection?!)' : ' (a new connection)', "\n";
echo "probe(): ", json_encode($mailer()->setClientCertificate($pem('client-rsa.pem'), $pem('client-rsa.key'))->probe()['tls']['version']), "\n";

echo "-- the server refuses: no client certificate, or one by a CA it does not trust\n";
ini_set('sendmail.client_cert', '');
ini_set('sendmail.client_key', '');
foreach (['no certificate' => null, 'untrusted certificate' => 'client-untrusted'] as $what => $name) {
    $rcpt = 'mtls-refused-' . ($name ?? 'none') . '-081@example.test';
    $m = $mailer();
    if ($name !== null) {
        $m->setClientCertificate(test_cert("$name.pem"), test_cert("$name.key"));
    }
    echo "$what: send() ", var_export($m->send($rcpt, 'me@example.test', 'Refused', 'x'), true), " | $m->lastact | $m->lastmessage\n";
    try {
        $m->sendMessage((new SendMail\Message)->from('me@example.test')->to($rcpt)->text('x'));
    } catch (SendMail\Exception $e) {
        echo "  sendMessage(): ", get_class($e), " | stage ", $e->getStage(), " | ", $e->isTemporary() ? 'temporary' : 'permanent', " | ", $e->getMessage(), "\n";
        $seen .= $e->getMessage() . $e->getTraceAsString();
    }
    echo "  ", $arrived($rcpt, 0.5), "\n";
    $seen .= $m->getTranscript();
}
$restore();

echo "-- ValueErrors name the argument, never the value\n";
$tmp = sendmail_test_tempname();
mkdir($tmp);
exec(sprintf('openssl pkcs8 -topk8 -in %s -v2 aes-256-cbc -passout pass:secret -out %s 2>&1', escapeshellarg(test_cert('client-ec.key')), escapeshellarg("$tmp/encrypted.key")), $out, $rc);
exec(sprintf('openssl req -x509 -newkey rsa:1024 -nodes -subj /CN=small -days 1 -keyout %s -out %s 2>&1', escapeshellarg("$tmp/small.key"), escapeshellarg("$tmp/small.pem")), $out, $rc2);
echo $rc === 0 && $rc2 === 0 ? '' : "openssl failed: " . implode("\n", $out) . "\n";
$ecPem = $pem('client-ec.pem');
$ecKey = $pem('client-ec.key');
foreach ([
    'certificate file missing' => ["$certs/client-none.pem", test_cert('client-ec.key')],
    'key file missing' => [test_cert('client-ec.pem'), "$certs/client-none.key"],
    'key file a directory' => [test_cert('client-ec.pem'), $certs],
    'the key as the certificate' => [test_cert('client-ec.key'), test_cert('client-ec.key')],
    'the certificate as the key' => [test_cert('client-ec.pem'), test_cert('client-ec.pem')],
    'empty certificate' => ['', $ecKey],
    'empty key' => [$ecPem, ''],
    'key body without its armour' => [$ecPem, implode('', array_slice(explode("\n", trim($ecKey)), 1, -1))],
    'damaged certificate text' => [str_replace(substr($ecPem, 100, 40), str_repeat('*', 40), $ecPem), $ecKey],
    'a key that is not the certificate\'s' => [test_cert('client-rsa.pem'), test_cert('client-ec.key')],
    'another EC key, as text' => [$ecPem, $pem('client-untrusted.key')],
    'encrypted key' => [$ecPem, "$tmp/encrypted.key"],
    'RSA 1024' => ["$tmp/small.pem", "$tmp/small.key"],
] as $what => [$cert, $key]) {
    try {
        (new SendMail($mtls))->setClientCertificate($cert, $key);
        echo "$what: accepted?!\n";
    } catch (ValueError $e) {
        $seen .= $e->getMessage() . $e->getTraceAsString();
        echo "$what: ", $e->getMessage(), "\n";
    }
}
$p = (new ReflectionMethod(SendMail::class, 'setClientCertificate'))->getParameters();
echo implode(', ', array_map(fn ($x) => ($x->getAttributes() ? '#[' . $x->getAttributes()[0]->getName() . '] ' : '') . $x->getType() . ' $' . $x->getName(), $p)), "\n";

echo "-- the key never shows\n";
$m = $mailer()->setClientCertificate($pem('client-rsa.pem'), $pem('client-rsa.key'));
ob_start();
var_dump($m);
print_r($m);
var_export($m);
echo json_encode($m), "\n";
$seen .= ob_get_clean();
// A key refused in a call: the trace shows it as a sensitive parameter.
try {
    $m->setClientCertificate($pem('client-ec.pem'), $pem('client-rsa.key'));
} catch (ValueError $e) {
    $trace = $e->getTraceAsString();
    $seen .= $trace . print_r($e->getTrace(), true);
    echo str_contains($trace, 'SensitiveParameterValue') ? "sensitive in the trace\n" : "the key is in the trace?!\n";
}
// One PEM holding certificate and key (or a key given as the certificate): $cert is hidden too.
try {
    $m->setClientCertificate($pem('client-ec.pem') . $pem('client-ec.key'), $pem('client-rsa.key'));
} catch (ValueError $e) {
    $trace = print_r($e->getTrace(), true);
    $seen .= $trace;
    echo str_contains($trace, 'PRIVATE KEY') ? "the key is in the trace?!\n" : "certificate and key hidden in the trace\n";
}
$m->send('mtls-shown-081@example.test', 'me@example.test', 'Shown', 'x');
$seen .= $m->getTranscript();
// phpinfo() shows an absolute path, never PEM text.
foreach ([$pem('client-rsa.key'), test_cert('client-rsa.key')] as $value) {
    ini_set('sendmail.client_key', $value);
    ob_start();
    phpinfo(INFO_MODULES);
    $info = ob_get_clean();
    preg_match('/^sendmail\.client_key => (.*)$/m', $info, $row);
    echo str_replace($certs, 'CERTS', $row[0]), "\n";
    if (!str_contains($value, '/')) {
        $seen .= $info;
    }
}
$restore();
var_dump($leaks($seen));

echo "-- php.ini alone: an unchanged legacy script, the smtp class and mail()\n";
$legacy = new send_mail($mtls, 'client.example.test');
var_dump($legacy->send('mtls-ini-legacy-081@example.test', 'script@example.test', 'Old script', "Hello\n"));
$smtp = new SMTP('127.0.0.1', (string) sink_port('mtls'), false, '', '');
var_dump($smtp->sendmail('mtls-ini-smtp-081@example.test', 'script@example.test', 'Old smtp class', 'x', 'TXT'));
ini_set('sendmail.host', $mtls);
var_dump(SendMail\mail('mtls-ini-mail-081@example.test', 'mail()', "Body\n", ['From' => 'script@example.test']));
foreach (['legacy', 'smtp', 'mail'] as $what) {
    echo "$what: ", $arrived("mtls-ini-$what-081@example.test"), "\n";
}
// setClientCertificate() wins over php.ini.
$mailer()->setClientCertificate(test_cert('client-rsa.pem'), test_cert('client-rsa.key'))
    ->send('mtls-ini-override-081@example.test', 'me@example.test', 'Override', 'x');
echo "override: ", $arrived('mtls-ini-override-081@example.test'), "\n";

echo "-- php.ini settings that cannot be used stop the send\n";
foreach ([
    'key missing' => ['sendmail.client_key' => ''],
    'certificate missing' => ['sendmail.client_cert' => '', 'sendmail.client_key' => test_cert('client-ec.key')],
    'key unreadable' => ['sendmail.client_cert' => test_cert('client-ec.pem'), 'sendmail.client_key' => "$certs/client-none.key"],
    'key not the certificate\'s' => ['sendmail.client_key' => test_cert('client-rsa.key')],
] as $what => $settings) {
    foreach ($settings as $name => $value) {
        ini_set($name, $value);
    }
    $rcpt = 'mtls-ini-bad-' . preg_replace('/\W+/', '-', $what) . '-081@example.test';
    $legacy = new send_mail($mtls, 'client.example.test');
    $ok = $legacy->send($rcpt, 'script@example.test', 'Must not go without', 'x');
    $mailed = @SendMail\mail($rcpt, 'Must not go without', 'x', ['From' => 'script@example.test']);
    $warning = error_get_last()['message'] ?? '';
    error_clear_last();
    $seen .= $legacy->lastmessage . $warning;
    echo "$what: send() ", var_export($ok, true), ": $legacy->lastmessage\n  mail() ", var_export($mailed, true), ": $warning\n  ", $arrived($rcpt, 0.5), "\n";
}
try {
    (new SendMail($mtls))->sendMessage((new SendMail\Message)->from('me@example.test')->to('mtls-ini-bad-081@example.test')->text('x'));
} catch (SendMail\Exception $e) {
    echo get_class($e), " | stage ", $e->getStage(), " | ", $e->getMessage(), "\n";
}
$restore();
var_dump($leaks($seen));

echo "-- open_basedir: php.ini's files are the administrator's; ini_set() ones obey it\n";
$inside = sendmail_test_tempname('-basedir');
mkdir($inside);
$php = [PHP_BINARY, '-n', '-d', 'extension=' . getenv('SENDMAIL_TEST_SO'), '-d', "open_basedir=$inside",
    '-d', "sendmail.host=$mtls", '-d', "sendmail.cafile=$ca", '-d', 'sendmail.tls=required',
    '-d', 'sendmail.client_cert=' . test_cert('client-rsa.pem'), '-d', 'sendmail.client_key=' . test_cert('client-rsa.key'), '-r',
    '$m = new SendMail(); var_dump($m->send("mtls-basedir-ini-081@example.test", "a@example.test", "s", "x"));
     ini_set("sendmail.client_key", $argv[1]);
     $m = new SendMail(); var_dump($m->send("mtls-basedir-set-081@example.test", "a@example.test", "s", "x"), $m->lastmessage);
     ini_set("sendmail.client_cert", $argv[2]);
     $m = new SendMail(); var_dump($m->send("mtls-basedir-cert-081@example.test", "a@example.test", "s", "x"), $m->lastmessage);
     try { $m->setClientCertificate($argv[2], $argv[1]); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }',
    test_cert('client-ec.key'), test_cert('client-ec.pem')];
$proc = proc_open($php, [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
fclose($pipes[0]);
$child = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
proc_close($proc);
echo $child;
foreach (['ini', 'set', 'cert'] as $what) {
    echo "$what: ", $arrived("mtls-basedir-$what-081@example.test", $what === 'ini' ? 5.0 : 0.5), "\n";
}
var_dump($leaks($child));
array_map('unlink', glob("$tmp/*"));
rmdir($tmp);
rmdir($inside);
?>
--EXPECT--
-- setClientCertificate(): paths or PEM text
RSA, paths: true, arrived, tls true, client certificate "client-rsa"
RSA, PEM text: true, arrived, tls true, client certificate "client-rsa"
ECDSA with its chain, paths: true, arrived, tls true, client certificate "client-ec"
ECDSA, PEM text: true, arrived, tls true, client certificate "client-ec"
one PEM text holding both: true, arrived, tls true, client certificate "client-ec"
sendMessage(): queued, arrived, tls true, client certificate "client-rsa"
kept connection: client-rsa, client-rsa (the same connection), then client-ec (a new connection)
probe(): "TLSv1.3"
-- the server refuses: no client certificate, or one by a CA it does not trust
no certificate: send() false | EHLO client.example.test | TLS handshake with 127.0.0.1 failed: the server closed the connection as the handshake ended (does it require a client certificate? setClientCertificate(), sendmail.client_cert)
  sendMessage(): SendMail\TlsException | stage tls | permanent | TLS handshake with 127.0.0.1 failed: the server closed the connection as the handshake ended (does it require a client certificate? setClientCertificate(), sendmail.client_cert)
  nothing arrived
untrusted certificate: send() false | EHLO client.example.test | TLS handshake with 127.0.0.1 failed: the server closed the connection as the handshake ended (did it refuse the client certificate?)
  sendMessage(): SendMail\TlsException | stage tls | permanent | TLS handshake with 127.0.0.1 failed: the server closed the connection as the handshake ended (did it refuse the client certificate?)
  nothing arrived
-- ValueErrors name the argument, never the value
certificate file missing: SendMail::setClientCertificate(): Argument #1 ($cert) names a file that cannot be read (No such file or directory (os error 2))
key file missing: SendMail::setClientCertificate(): Argument #2 ($key) names a file that cannot be read (No such file or directory (os error 2))
key file a directory: SendMail::setClientCertificate(): Argument #2 ($key) names a file that cannot be read (Is a directory (os error 21))
the key as the certificate: SendMail::setClientCertificate(): Argument #1 ($cert) holds no PEM certificate (-----BEGIN CERTIFICATE-----)
the certificate as the key: SendMail::setClientCertificate(): Argument #2 ($key) holds no PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)
empty certificate: SendMail::setClientCertificate(): Argument #1 ($cert) is not a PEM certificate: PEM text needs its -----BEGIN and -----END lines
empty key: SendMail::setClientCertificate(): Argument #2 ($key) is not a PEM private key: PEM text needs its -----BEGIN and -----END lines
key body without its armour: SendMail::setClientCertificate(): Argument #2 ($key) is not a PEM private key: PEM text needs its -----BEGIN and -----END lines
damaged certificate text: SendMail::setClientCertificate(): Argument #1 ($cert) is not valid PEM (a section is cut short or not base64)
a key that is not the certificate's: SendMail::setClientCertificate(): Argument #2 ($key) is not the private key of the certificate
another EC key, as text: SendMail::setClientCertificate(): Argument #2 ($key) is not the private key of the certificate
encrypted key: SendMail::setClientCertificate(): Argument #2 ($key) is an encrypted private key: give it decrypted (openssl pkey -in key.pem -out plain.pem)
RSA 1024: SendMail::setClientCertificate(): Argument #2 ($key) is not a key TLS can sign with (RSA of 2048 bits or more, ECDSA P-256 or P-384, Ed25519)
#[SensitiveParameter] string $cert, #[SensitiveParameter] string $key
-- the key never shows
sensitive in the trace
certificate and key hidden in the trace
sendmail.client_key => ******** => CERTS/client-ec.key
sendmail.client_key => CERTS/client-rsa.key => CERTS/client-ec.key
bool(false)
-- php.ini alone: an unchanged legacy script, the smtp class and mail()
bool(true)
bool(true)
bool(true)
legacy: arrived, tls true, client certificate "client-ec"
smtp: arrived, tls true, client certificate "client-ec"
mail: arrived, tls true, client certificate "client-ec"
override: arrived, tls true, client certificate "client-rsa"
-- php.ini settings that cannot be used stop the send
key missing: send() false: php.ini sendmail.client_key is not set, but sendmail.client_cert is: mutual TLS needs both
  mail() false: SendMail\mail(): could not send: php.ini sendmail.client_key is not set, but sendmail.client_cert is: mutual TLS needs both
  nothing arrived
certificate missing: send() false: php.ini sendmail.client_cert is not set, but sendmail.client_key is: mutual TLS needs both
  mail() false: SendMail\mail(): could not send: php.ini sendmail.client_cert is not set, but sendmail.client_key is: mutual TLS needs both
  nothing arrived
key unreadable: send() false: php.ini sendmail.client_key names a file that cannot be read (No such file or directory (os error 2))
  mail() false: SendMail\mail(): could not send: php.ini sendmail.client_key names a file that cannot be read (No such file or directory (os error 2))
  nothing arrived
key not the certificate's: send() false: php.ini sendmail.client_key is not the private key of the certificate
  mail() false: SendMail\mail(): could not send: php.ini sendmail.client_key is not the private key of the certificate
  nothing arrived
SendMail\TlsException | stage tls | php.ini sendmail.client_key is not the private key of the certificate
bool(false)
-- open_basedir: php.ini's files are the administrator's; ini_set() ones obey it
bool(true)
bool(false)
string(84) "php.ini sendmail.client_key names a file outside the directories open_basedir allows"
bool(false)
string(85) "php.ini sendmail.client_cert names a file outside the directories open_basedir allows"
SendMail::setClientCertificate(): Argument #1 ($cert) names a file outside the directories open_basedir allows
ini: arrived, tls true, client certificate "client-rsa"
set: nothing arrived
cert: nothing arrived
bool(false)