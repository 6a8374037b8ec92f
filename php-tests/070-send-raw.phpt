--TEST--
sendRaw(): ready-made RFC 5322 bytes with an explicit envelope, over DATA and BDAT, kept connections, refused recipients; what cannot be sent as given is an InvalidInputException
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

// A message rendered elsewhere: mixed line ends, a line that is a lone dot, 8-bit text.
$raw = "From: Shop <shop@example.test>\nTo: a@example.test\r\nSubject: Raw\r\n"
     . "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n"
     . "Grüße\n.\n..two dots\nno final line end";
$crlf = preg_replace("/\r?\n/", "\r\n", $raw) . "\r\n";

foreach (['plain' => 'DATA', 'chunking' => 'BDAT'] as $listener => $how) {
    $m = new SendMail("127.0.0.1:" . sink_port($listener));
    $r = $m->sendRaw($raw, "bounce@example.test", ["raw-$listener-070@example.test", "Other <other-$listener-070@example.test>"]);
    $got = sink_received("raw-$listener-070@example.test");
    echo "$how: ", json_encode([
        $got['eml'] === $crlf, $got['env']['mail_from'], $got['env']['rcpt_tos'], $got['env']['chunked'],
        $got['env']['mail_options'], $r->accepted, $r->queueId === $got['env']['queue_id'],
    ]), "\n";
}

// A comma-separated string of recipients; a kept connection; a refused recipient is listed.
$m = (new SendMail("127.0.0.1:" . sink_port('chunking')))->setKeepAlive(true);
$r1 = $m->sendRaw($crlf, "me@example.test", "k1-070@example.test, reject-070@example.test");
$r2 = $m->sendRaw($crlf, "me@example.test", "k2-070@example.test");
var_dump($r1->accepted, $r1->rejected, $r2->accepted, substr_count($m->getTranscript(), ">> connect"));
$m->close();

// Every recipient refused: nothing is sent.
try {
    $m->sendRaw($crlf, "me@example.test", ["reject-a-070@example.test"]);
} catch (SendMail\RecipientException $e) {
    echo get_class($e), ": ", json_encode($e->getRejected()), "\n";
}

// What cannot be sent as given, before anything is sent.
$cases = [
    'NUL' => ["Subject: x\r\n\r\nnul\0here", "me@example.test", ["a@example.test"]],
    'long line' => ["Subject: x\r\n\r\n" . str_repeat('a', 999), "me@example.test", ["a@example.test"]],
    'no blank line before the body' => ["Subject: x\r\nthe body, right after the headers\r\n", "me@example.test", ["a@example.test"]],
    'no headers' => ["Just text.\r\n", "me@example.test", ["a@example.test"]],
    'empty' => ["", "me@example.test", ["a@example.test"]],
    'sender' => [$crlf, "not an address", ["a@example.test"]],
    'no recipients' => [$crlf, "me@example.test", []],
    'recipient with CRLF' => [$crlf, "me@example.test", ["a@example.test\r\nRCPT TO:<evil@example.test>"]],
    'recipient not a string' => [$crlf, "me@example.test", [42]],
];
$m = new SendMail("127.0.0.1:1");
foreach ($cases as $what => $args) {
    try {
        $m->sendRaw(...$args);
        echo "$what: sent?!\n";
    } catch (SendMail\InvalidInputException $e) {
        echo "$what: ", $e->getStage(), " | ", $e->getMessage(), "\n";
    }
}
try {
    $m->sendRaw($crlf, "me@example.test", new stdClass);
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}

// A server's SIZE limit is checked before MAIL; 8-bit bytes need 8BITMIME (or SMTPUTF8).
$srv = scripted_server([['send' => "220 s ESMTP\r\n"], ['expect' => 'EHLO'], ['send' => "250-s\r\n250-8BITMIME\r\n250 SIZE 100\r\n"],
    ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]]);
try {
    (new SendMail("127.0.0.1:{$srv['port']}"))->sendRaw($crlf, "me@example.test", "a@example.test");
} catch (SendMail\Exception $e) {
    echo get_class($e), ": ", $e->getStage(), " | ", $e->getMessage(), "\n";
}
echo str_replace("\r\n", "|", scripted_log($srv)), "\n";
$srv = scripted_server([['send' => "220 s ESMTP\r\n"], ['expect' => 'EHLO'], ['send' => "250 s\r\n"],
    ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]]);
try {
    (new SendMail("127.0.0.1:{$srv['port']}"))->sendRaw($crlf, "me@example.test", "a@example.test");
} catch (SendMail\Exception $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
echo str_replace("\r\n", "|", scripted_log($srv)), "\n";
?>
--EXPECTF--
DATA: [true,"bounce@example.test",["raw-plain-070@example.test","other-plain-070@example.test"],false,["SIZE=204","BODY=8BITMIME"],["raw-plain-070@example.test","other-plain-070@example.test"],true]
BDAT: [true,"bounce@example.test",["raw-chunking-070@example.test","other-chunking-070@example.test"],true,["SIZE=204","BODY=8BITMIME"],["raw-chunking-070@example.test","other-chunking-070@example.test"],true]
array(1) {
  [0]=>
  string(19) "k1-070@example.test"
}
array(1) {
  ["reject-070@example.test"]=>
  string(%d) "550 5.1.1 <reject-070@example.test>: Recipient address rejected"
}
array(1) {
  [0]=>
  string(19) "k2-070@example.test"
}
int(1)
SendMail\RecipientException: {"reject-a-070@example.test":"550 5.1.1 <reject-a-070@example.test>: Recipient address rejected"}
NUL: input | invalid $message: the message has a NUL byte (at offset 17)
long line: input | invalid $message: line 3 is longer than 998 octets (RFC 5322 §2.1.1)
no blank line before the body: input | invalid $message: line 2 is neither a header field nor the empty line that ends the headers (a header block without the empty line before the body?)
no headers: input | invalid $message: line 1 is neither a header field nor the empty line that ends the headers (a header block without the empty line before the body?)
empty: input | invalid $message: the message is empty
sender: input | invalid $from: "not an address" is not an address of the form local@domain
no recipients: input | invalid $recipients: no recipient given
recipient with CRLF: input | invalid $recipients: the address contains a control character (CR, LF or NUL)
recipient not a string: input | invalid $recipients: [0] must be a string of UTF-8 text, int given
SendMail::sendRaw(): Argument #3 ($recipients) must be of type array|string, stdClass given
SendMail\Exception: mail | the message is %d bytes, over the server's SIZE limit of 100
EHLO %s|QUIT|
SendMail\InvalidInputException: invalid $message: the message has 8-bit bytes and the server offers neither 8BITMIME nor SMTPUTF8
EHLO %s|QUIT|
