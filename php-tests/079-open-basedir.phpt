--TEST--
open_basedir: attachment files, embedded images, the CA file (setCaFile() and an ini_set() sendmail.cafile) and the DKIM key file obey it as PHP's own file functions do (a key given as PEM text names no file)
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
$keys = sendmail_test_env('SENDMAIL_TEST_DKIM');
$inside = sendmail_test_tempname('-basedir');
mkdir($inside);
file_put_contents("$inside/note.txt", "inside\n");
copy("$keys/ed25519.pem", "$inside/key.pem");
$pemText = file_get_contents("$keys/rsa.pem");
$outsideFile = test_cert('ca.pem');
$serialized = serialize((new SendMail\Message)->from('a@example.test')->to('b@example.test')->attach($outsideFile));

// php.ini's DKIM key and CA file are the administrator's: read whatever open_basedir says.
// Ones a script sets with ini_set() obey open_basedir (another PHP process, started with both
// settings).
$php = [PHP_BINARY, '-n', '-d', 'extension=' . getenv('SENDMAIL_TEST_SO'), '-d', "open_basedir=$inside",
    '-d', 'sendmail.host=127.0.0.1:' . sink_port(), '-d', 'sendmail.dkim_domain=dkim.example.test',
    '-d', 'sendmail.dkim_selector=rsa', '-d', "sendmail.dkim_key=$keys/rsa.pem", '-d', "sendmail.cafile=$outsideFile", '-r',
    '$m = new SendMail(); var_dump($m->send("basedir-ini-079@example.test", "a@dkim.example.test", "s", "x"));
     $m = (new SendMail("127.0.0.1:' . sink_port('tls') . '"))->setTls("required");
     var_dump($m->send("basedir-cafile-079@example.test", "a@dkim.example.test", "s", "x"));
     ini_set("sendmail.cafile", "' . $outsideFile . '.copy");
     var_dump($m->send("basedir-cafile-set-079@example.test", "a@dkim.example.test", "s", "x"), $m->lastmessage);
     ini_restore("sendmail.cafile");
     ini_set("sendmail.dkim_key", $argv[1]);
     $m = new SendMail(); var_dump($m->send("basedir-set-079@example.test", "a@dkim.example.test", "s", "x"), $m->lastmessage);',
    "$keys/ed25519.pem"];
copy($outsideFile, "$outsideFile.copy");
$proc = proc_open($php, [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
fclose($pipes[0]);
echo stream_get_contents($pipes[1]), stream_get_contents($pipes[2]);
proc_close($proc);
$got = sink_received('basedir-ini-079@example.test');
echo 'php.ini key: ', $got['env']['dkim']['dkimpy'] ?? 'not received', "\n";
var_dump(sink_received('basedir-set-079@example.test', 0.5));

ini_set('open_basedir', $inside);
// A quoted path is cut at 60 characters: it shows as "PATH".
$show = fn (string $text) => str_replace([$inside, dirname($outsideFile), $keys], ['INSIDE', 'CERTS', 'KEYS'],
    preg_replace('~"/[^"]*"(\.\.\.)?~', '"PATH"', $text));
$try = function (string $what, callable $call) use ($show) {
    try {
        $call();
        echo "$what: accepted\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), ": ", $show($e->getMessage()), "\n";
    }
};
$try('attach outside', fn () => (new SendMail\Message)->attach($outsideFile));
$try('embed outside', fn () => (new SendMail\Message)->embed($outsideFile, 'logo'));
$try('attach through ..', fn () => (new SendMail\Message)->attach("$inside/../" . basename($inside) . "/../" . basename(dirname($outsideFile)) . '/ca.pem'));
$try('unserialize a message naming a file outside', fn () => unserialize($serialized));
$try('setCaFile outside', fn () => (new SendMail('127.0.0.1:1'))->setCaFile($outsideFile));
$try('setDkim key file outside', fn () => (new SendMail('127.0.0.1:1'))->setDkim('dkim.example.test', 'rsa', "$keys/rsa.pem"));
$try('attach inside', fn () => (new SendMail\Message)->attach("$inside/note.txt"));
$try('setDkim key file inside', fn () => (new SendMail('127.0.0.1:1'))->setDkim('dkim.example.test', 'ed', "$inside/key.pem"));
$try('setDkim key as text', fn () => (new SendMail('127.0.0.1:1'))->setDkim('dkim.example.test', 'rsa', $pemText));
// The file inside is read when the message is written.
$eml = (new SendMail\Message)->from('a@example.test')->to('b@example.test')->text('x')->attach("$inside/note.txt")->toString();
var_dump(str_contains($eml, base64_encode("inside\n")));
?>
--EXPECTF--
bool(true)
bool(true)
bool(false)
string(80) "php.ini sendmail.cafile names a file outside the directories open_basedir allows"
bool(false)
string(82) "php.ini sendmail.dkim_key names a file outside the directories open_basedir allows"
php.ini key: pass
NULL
attach outside: SendMail\InvalidInputException: SendMail\Message::attach(): CERTS/ca.pem is outside the directories open_basedir allows
embed outside: SendMail\InvalidInputException: SendMail\Message::embed(): CERTS/ca.pem is outside the directories open_basedir allows
attach through ..: SendMail\InvalidInputException: SendMail\Message::attach(): INSIDE/../%s/../certs/ca.pem is outside the directories open_basedir allows
unserialize a message naming a file outside: SendMail\InvalidInputException: SendMail\Message::__unserialize(): CERTS/ca.pem is outside the directories open_basedir allows
setCaFile outside: ValueError: SendMail::setCaFile(): "PATH" is outside the directories open_basedir allows
setDkim key file outside: ValueError: SendMail::setDkim(): Argument #3 ($privateKey) names a file outside the directories open_basedir allows
attach inside: accepted
setDkim key file inside: accepted
setDkim key as text: accepted
bool(true)
