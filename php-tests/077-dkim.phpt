--TEST--
DKIM signatures (RFC 6376, RFC 8463) on every path, checked by two independent verifiers (dkimpy, and OpenDKIM where the sink can run it: as root): sendMessage() over DATA and BDAT, text, HTML with attachments, UTF-8 headers, dots and trailing spaces; sendBatch(), sendRaw(), legacy send(), Compat\Smtp::sendmail() and SendMail\mail() signed from php.ini alone
--EXTENSIONS--
sendmail
--INI--
sendmail.aliases=send_mail,SMTP
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
$keys = sendmail_test_env('SENDMAIL_TEST_DKIM');
$domain = 'dkim.example.test';
$plain = '127.0.0.1:' . sink_port('plain');
$chunking = '127.0.0.1:' . sink_port('chunking');

// What the receiving side found: each verifier's verdict, and the signature's tags.
function verdict(string $rcpt): string
{
    $got = sink_received($rcpt);
    if ($got === null) {
        return "$rcpt: not received";
    }
    // "verified": dkimpy passed it, and OpenDKIM too unless the sink cannot run OpenDKIM here
    // (SENDMAIL_TEST_OPENDKIM says why; as root it always can).
    $dkim = $got['env']['dkim'] ?? ['dkimpy' => '?', 'opendkim' => '?'];
    $openDkimRuns = getenv('SENDMAIL_TEST_OPENDKIM') === '1';
    $verified = $dkim['dkimpy'] === 'pass' && ($dkim['opendkim'] === 'pass' || !$openDkimRuns);
    preg_match_all('/^DKIM-Signature:/mi', $got['eml'], $all);
    $line = "$rcpt: " . ($verified ? 'verified' : "dkimpy={$dkim['dkimpy']} opendkim={$dkim['opendkim']}")
        . " signatures=" . count($all[0]);
    if (preg_match('/^DKIM-Signature:((?:.*\r\n[ \t].*)*.*)\r\n/mi', $got['eml'], $m)) {
        $tags = [];
        foreach (explode(';', preg_replace('/\s+/', '', $m[1])) as $tag) {
            [$k, $v] = array_pad(explode('=', $tag, 2), 2, '');
            $tags[$k] = $v;
        }
        $line .= " a={$tags['a']} d={$tags['d']} s={$tags['s']} c={$tags['c']}" . (isset($tags['l']) ? ' l=!' : '');
    }
    return $line;
}

$attachment = sendmail_test_tempname('.bin');
file_put_contents($attachment, random_bytes(300000));

echo "-- sendMessage(): RSA (PKCS#8 file), text over DATA\n";
$m = (new SendMail($plain))->setDkim($domain, 'rsa', "$keys/rsa.pem");
$m->sendMessage((new SendMail\Message)->from('news@dkim.example.test', 'News')->to('dkim-text-077@example.test')
    ->subject('Plain text')->text("Hello.\nA second line.\n"));
echo verdict('dkim-text-077@example.test'), "\n";

echo "-- Ed25519 (PEM text), HTML with an attachment and an inline image, UTF-8 headers, over BDAT\n";
$m = (new SendMail($chunking))->setDkim($domain, 'ed', file_get_contents("$keys/ed25519.pem"));
$m->sendMessage((new SendMail\Message)->from('news@dkim.example.test', 'Zoë Ünïcode')->to('dkim-html-077@example.test', 'Jürgen')
    ->cc('dkim-cc-077@example.test')->replyTo('reply@dkim.example.test')
    ->subject('Grüße aus Köln — 日本語の件名もここに')->text("Text part\n")->html('<p>HTML <b>part</b> ✓</p>')
    ->attach($attachment, 'data.bin')->attachData("a,b\n1,2\n", 'table.csv', 'text/csv'));
echo verdict('dkim-html-077@example.test'), "\n";

echo "-- dots, trailing spaces and tabs, empty lines at the end, RSA (PKCS#1 text), over DATA\n";
$m = (new SendMail($plain))->setDkim($domain, 'rsa', file_get_contents("$keys/rsa-pkcs1.pem"));
$body = ".starts with a dot\n..two dots\n.\nends with spaces   \nends with a tab\t\n  indented\n\n\n\n";
$m->sendMessage((new SendMail\Message)->from('a@dkim.example.test')->to('dkim-dots-077@example.test')->subject('Dots')->text($body));
echo verdict('dkim-dots-077@example.test'), "\n";

echo "-- options: headers, identity, expire\n";
$m = (new SendMail($plain))->setDkim($domain, 'ed', "$keys/ed25519.pem", [
    'algorithm' => 'ed25519-sha256', 'headers' => ['From', 'To', 'Subject', 'X-Campaign'], 'identity' => 'news@mail.dkim.example.test', 'expire' => 3600,
]);
$m->sendMessage((new SendMail\Message)->from('news@dkim.example.test')->to('dkim-options-077@example.test')->subject('Options')
    ->header('X-Campaign', 'spring')->text('x'));
echo verdict('dkim-options-077@example.test'), "\n";
$eml = sink_received('dkim-options-077@example.test')['eml'];
preg_match('/^DKIM-Signature:((?:.*\r\n[ \t].*)*.*)\r\n/mi', $eml, $sig);
$sig = preg_replace('/\s+/', '', $sig[1]);
preg_match('/;h=([^;]*)/', $sig, $h);
preg_match('/;i=([^;]*)/', $sig, $i);
preg_match('/;t=(\d+)/', $sig, $t);
preg_match('/;x=(\d+)/', $sig, $x);
var_dump($h[1], $i[1], $x[1] - $t[1]);

echo "-- sendBatch(): two connections, each message signed\n";
$m = (new SendMail($chunking))->setDkim($domain, 'rsa', "$keys/rsa.pem");
$batch = [];
for ($n = 1; $n <= 4; $n++) {
    $batch[] = (new SendMail\Message)->from('batch@dkim.example.test')->to("dkim-batch$n-077@example.test")->subject("Batch $n")->text("Message $n");
}
$batch[] = ['to' => 'dkim-batch-legacy-077@example.test', 'from' => 'batch@dkim.example.test', 'subject' => 'Legacy in a batch', 'message' => "Body\n.dot\n"];
foreach ($m->sendBatch($batch, 2) as $result) {
    if (!$result instanceof SendMail\Receipt) {
        echo get_class($result), ': ', $result->getMessage(), "\n";
    }
}
for ($n = 1; $n <= 4; $n++) {
    echo verdict("dkim-batch$n-077@example.test"), "\n";
}
echo verdict('dkim-batch-legacy-077@example.test'), "\n";

echo "-- sendRaw(): bare LF line ends made CRLF, then signed\n";
$raw = "From: Raw <raw@dkim.example.test>\nTo: dkim-raw-077@example.test\nSubject: Raw\nDate: Thu, 03 Dec 2026 10:00:00 +0000\nMessage-ID: <raw-077@dkim.example.test>\n\nRaw body\n.dot line\n";
foreach ([$plain, $chunking] as $server) {
    $rcpt = $server === $plain ? 'dkim-raw-077@example.test' : 'dkim-raw-bdat-077@example.test';
    (new SendMail($server))->setDkim($domain, 'rsa', "$keys/rsa.pem")->sendRaw($raw, 'raw@dkim.example.test', $rcpt);
    echo verdict($rcpt), "\n";
}

echo "-- legacy send(), kept connection: two messages, both signed\n";
$m = (new SendMail($plain))->setDkim($domain, 'ed', "$keys/ed25519.pem")->setKeepAlive(true);
var_dump($m->send('dkim-legacy1-077@example.test', 'old@dkim.example.test', 'Legacy 1', "Line\r\n.dot\r\ntrailing   \r\n"));
var_dump($m->send('dkim-legacy2-077@example.test', 'old@dkim.example.test', 'Legacy 2', "Content-Type: text/html\r\n\r\n<p>hi</p>\n"));
$m->close();
echo verdict('dkim-legacy1-077@example.test'), "\n", verdict('dkim-legacy2-077@example.test'), "\n";

echo "-- a kept connection the server dropped: the message goes on a new connection, signed too\n";
$hello = [['send' => "220 hi\r\n"], ['expect' => 'EHLO'], ['send' => "250 ok\r\n"]];
$one = [['expect' => 'MAIL'], ['send' => "250 ok\r\n"], ['expect' => 'RCPT'], ['send' => "250 ok\r\n"],
    ['expect' => 'DATA'], ['send' => "354 go\r\n"], ['read_data' => true], ['send' => "250 2.0.0 Ok: queued as Q\r\n"]];
$srv = scripted_server(array_merge($hello, $one, [['expect' => 'MAIL'], ['send' => "421 4.4.2 idle too long\r\n"], ['close' => true]]), 2);
$m = (new SendMail("127.0.0.1:{$srv['port']}", 'client.example.test'))->setKeepAlive(true)->setTimeout(3)
    ->setDkim($domain, 'ed', "$keys/ed25519.pem");
var_dump($m->send('a@example.test', 'me@dkim.example.test', '1', 'one'), $m->send('a@example.test', 'me@dkim.example.test', '2', 'two'));
$m->close();
$log = scripted_log($srv);
var_dump(preg_match_all('/^EHLO /m', $log), preg_match_all('/DATA\r\nDKIM-Signature: v=1; a=ed25519-sha256;/', $log));

echo "-- php.ini alone: an unchanged legacy script, the smtp class and mail()\n";
ini_set('sendmail.dkim_domain', $domain);
ini_set('sendmail.dkim_selector', 'rsa');
ini_set('sendmail.dkim_key', "$keys/rsa.pem");
ini_set('sendmail.host', $chunking);
$mail = new send_mail($plain, 'script.dkim.example.test');
var_dump($mail->send('dkim-ini-sendmail-077@example.test', 'script@dkim.example.test', 'Old script', "Hello\n"));
$smtp = new SMTP('127.0.0.1', (string) sink_port('plain'), false, '', '');
var_dump($smtp->sendmail('dkim-ini-smtp-077@example.test', 'script@dkim.example.test', 'Old smtp class', '<b>HTML</b>', 'HTML', 'dkim-ini-cc-077@example.test', 'dkim-ini-bcc-077@example.test'));
var_dump(SendMail\mail('dkim-ini-mail-077@example.test', 'mail() subject', "Body\n", ['From' => 'script@dkim.example.test']));
foreach (['sendmail', 'smtp', 'cc', 'bcc', 'mail'] as $what) {
    echo verdict("dkim-ini-$what-077@example.test"), "\n";
}
// setDkim() wins over php.ini.
(new SendMail($plain))->setDkim($domain, 'ed', "$keys/ed25519.pem")
    ->send('dkim-ini-override-077@example.test', 'script@dkim.example.test', 'Override', 'x');
echo verdict('dkim-ini-override-077@example.test'), "\n";
?>
--CLEAN--
<?php
?>
--EXPECTF--
-- sendMessage(): RSA (PKCS#8 file), text over DATA
dkim-text-077@example.test: verified signatures=1 a=rsa-sha256 d=dkim.example.test s=rsa c=relaxed/relaxed
-- Ed25519 (PEM text), HTML with an attachment and an inline image, UTF-8 headers, over BDAT
dkim-html-077@example.test: verified signatures=1 a=ed25519-sha256 d=dkim.example.test s=ed c=relaxed/relaxed
-- dots, trailing spaces and tabs, empty lines at the end, RSA (PKCS#1 text), over DATA
dkim-dots-077@example.test: verified signatures=1 a=rsa-sha256 d=dkim.example.test s=rsa c=relaxed/relaxed
-- options: headers, identity, expire
dkim-options-077@example.test: verified signatures=1 a=ed25519-sha256 d=dkim.example.test s=ed c=relaxed/relaxed
string(%d) "X-Campaign:Subject:To:From"
string(27) "news@mail.dkim.example.test"
int(3600)
-- sendBatch(): two connections, each message signed
dkim-batch1-077@example.test: verified signatures=1 a=rsa-sha256 d=dkim.example.test s=rsa c=relaxed/relaxed
dkim-batch2-077@example.test: verified signatures=1 a=rsa-sha256 d=dkim.example.test s=rsa c=relaxed/relaxed
dkim-batch3-077@example.test: verified signatures=1 a=rsa-sha256 d=dkim.example.test s=rsa c=relaxed/relaxed
dkim-batch4-077@example.test: verified signatures=1 a=rsa-sha256 d=dkim.example.test s=rsa c=relaxed/relaxed
dkim-batch-legacy-077@example.test: verified signatures=1 a=rsa-sha256 d=dkim.example.test s=rsa c=relaxed/relaxed
-- sendRaw(): bare LF line ends made CRLF, then signed
dkim-raw-077@example.test: verified signatures=1 a=rsa-sha256 d=dkim.example.test s=rsa c=relaxed/relaxed
dkim-raw-bdat-077@example.test: verified signatures=1 a=rsa-sha256 d=dkim.example.test s=rsa c=relaxed/relaxed
-- legacy send(), kept connection: two messages, both signed
bool(true)
bool(true)
dkim-legacy1-077@example.test: verified signatures=1 a=ed25519-sha256 d=dkim.example.test s=ed c=relaxed/relaxed
dkim-legacy2-077@example.test: verified signatures=1 a=ed25519-sha256 d=dkim.example.test s=ed c=relaxed/relaxed
-- a kept connection the server dropped: the message goes on a new connection, signed too
bool(true)
bool(true)
int(2)
int(2)
-- php.ini alone: an unchanged legacy script, the smtp class and mail()
bool(true)
bool(true)
bool(true)
dkim-ini-sendmail-077@example.test: verified signatures=1 a=rsa-sha256 d=dkim.example.test s=rsa c=relaxed/relaxed
dkim-ini-smtp-077@example.test: verified signatures=1 a=rsa-sha256 d=dkim.example.test s=rsa c=relaxed/relaxed
dkim-ini-cc-077@example.test: verified signatures=1 a=rsa-sha256 d=dkim.example.test s=rsa c=relaxed/relaxed
dkim-ini-bcc-077@example.test: verified signatures=1 a=rsa-sha256 d=dkim.example.test s=rsa c=relaxed/relaxed
dkim-ini-mail-077@example.test: verified signatures=1 a=rsa-sha256 d=dkim.example.test s=rsa c=relaxed/relaxed
dkim-ini-override-077@example.test: verified signatures=1 a=ed25519-sha256 d=dkim.example.test s=ed c=relaxed/relaxed
