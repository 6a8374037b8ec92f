--TEST--
Arguments: the legacy SMTP class takes subject and body bytes in any charset; Message text must be UTF-8 (the exception says so); messages about a huge argument stay short
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

// Compat\Smtp, like send(), sends Latin-1 bytes as given (8-bit, or quoted-printable).
$smtp = new SendMail\Compat\Smtp("127.0.0.1", sink_port(), false, "", "");
var_dump($smtp->sendmail("latin1-036@example.test", "me@example.test", "R\xe9sum\xe9", "Caf\xe9 cr\xe8me\n"));
$got = sink_received("latin1-036@example.test");
var_dump($got !== null && (str_contains($got['eml'], "Caf\xe9 cr\xe8me") || str_contains($got['eml'], "Caf=E9 cr=E8me")));

// Message text is UTF-8: anything else is an InvalidInputException naming the argument.
foreach (['text', 'html', 'subject'] as $method) {
    try { (new SendMail\Message)->$method("Caf\xe9"); } catch (SendMail\InvalidInputException $e) { echo $e->getMessage(), "\n"; }
}
try { (new SendMail\Message)->to("a@example.test", "J\xe9r\xf4me"); } catch (SendMail\InvalidInputException $e) { echo $e->getMessage(), "\n"; }
try { (new SendMail\Message)->header("X-A", "\xff"); } catch (SendMail\InvalidInputException $e) { echo $e->getMessage(), "\n"; }

// A megabyte argument gives a message of a line.
$huge = str_repeat("x", 1 << 20);
$calls = [
    'new SendMail' => fn() => new SendMail($huge . " " . $huge),
    'setTls' => fn() => (new SendMail("127.0.0.1"))->setTls($huge),
    'setCaFile' => fn() => (new SendMail("127.0.0.1"))->setCaFile("php://$huge"),
    'setAuth' => fn() => (new SendMail("127.0.0.1"))->setAuth("u", "p", $huge),
    'header' => fn() => (new SendMail\Message)->header($huge, "v"),
    'to' => fn() => (new SendMail\Message)->to($huge),
    'attach' => fn() => (new SendMail\Message)->attach("php://$huge"),
    'attachData' => fn() => (new SendMail\Message)->attachData("x", "a.txt", $huge),
];
foreach ($calls as $name => $call) {
    try { $call(); echo "$name: no error\n"; }
    catch (Throwable $e) { printf("%s: %s, %s\n", $name, get_class($e), strlen($e->getMessage()) < 400 ? "short message" : strlen($e->getMessage()) . " bytes"); }
}
?>
--EXPECT--
bool(true)
bool(true)
SendMail\Message::text(): $body is not valid UTF-8 (byte 3 is not; convert it with mb_convert_encoding())
SendMail\Message::html(): $body is not valid UTF-8 (byte 3 is not; convert it with mb_convert_encoding())
SendMail\Message::subject(): $subject is not valid UTF-8 (byte 3 is not; convert it with mb_convert_encoding())
SendMail\Message::to(): $name is not valid UTF-8 (byte 1 is not; convert it with mb_convert_encoding())
SendMail\Message::header(): $value is not valid UTF-8 (byte 0 is not; convert it with mb_convert_encoding())
new SendMail: ValueError, short message
setTls: ValueError, short message
setCaFile: ValueError, short message
setAuth: ValueError, short message
header: SendMail\InvalidInputException, short message
to: SendMail\InvalidInputException, short message
attach: SendMail\InvalidInputException, short message
attachData: SendMail\InvalidInputException, short message
