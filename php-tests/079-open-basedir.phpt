--TEST--
open_basedir: attachment files, embedded images, the CA file and the DKIM key file obey it as PHP's own file functions do (a key given as PEM text names no file)
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

ini_set('open_basedir', $inside);
$show = fn (string $text) => str_replace([$inside, dirname($outsideFile), $keys], ['INSIDE', 'CERTS', 'KEYS'], $text);
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
attach outside: SendMail\InvalidInputException: SendMail\Message::attach(): CERTS/ca.pem is outside the directories open_basedir allows
embed outside: SendMail\InvalidInputException: SendMail\Message::embed(): CERTS/ca.pem is outside the directories open_basedir allows
attach through ..: SendMail\InvalidInputException: SendMail\Message::attach(): INSIDE/../%s/../certs/ca.pem is outside the directories open_basedir allows
unserialize a message naming a file outside: SendMail\InvalidInputException: SendMail\Message::__unserialize(): CERTS/ca.pem is outside the directories open_basedir allows
setCaFile outside: ValueError: SendMail::setCaFile(): "CERTS/ca.pem" is outside the directories open_basedir allows
setDkim key file outside: ValueError: SendMail::setDkim(): Argument #3 ($privateKey) names a file outside the directories open_basedir allows
attach inside: accepted
setDkim key file inside: accepted
setDkim key as text: accepted
bool(true)
