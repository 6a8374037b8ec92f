--TEST--
PIPELINING: sendMessage() sends MAIL, every RCPT and DATA in one write; send() pipelines the envelope but waits before DATA
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
function wire(array $srv): string { return str_replace("\r\n", "|", preg_replace('/(DATA\r\n)(?!\r).*?\r\n\.\r\n/s', '$1<message>|', scripted_log($srv))); }
$hello = [['send' => "220 hi\r\n"], ['expect' => 'EHLO'], ['send' => "250-pipe.example.test\r\n250 PIPELINING\r\n"]];
$msg = fn() => (new SendMail\Message)->from("me@example.test")->to("a@example.test")->to("b@example.test")->text("hello");

// One write for the envelope (the server reads all four lines before it answers any).
$srv = scripted_server(array_merge($hello, [
    ['expect' => "MAIL FROM:<me@example.test>"], ['expect' => "RCPT TO:<a@example.test>"], ['expect' => "RCPT TO:<b@example.test>"], ['expect' => "DATA"],
    ['send' => "250 ok\r\n250 ok\r\n550 5.1.1 no such user\r\n354 go\r\n"],
    ['read_data' => true], ['send' => "250 2.0.0 Ok: queued as P1\r\n"], ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]]));
$r = (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setTimeout(3)->sendMessage($msg());
var_dump($r->queueId, $r->accepted, $r->rejected);
echo wire($srv), "\n", scripted_errors($srv);

// Every recipient refused but DATA accepted: the empty message is ended at once, nothing is delivered.
$srv = scripted_server(array_merge($hello, [
    ['expect' => "MAIL FROM"], ['expect' => "RCPT TO"], ['expect' => "RCPT TO"], ['expect' => "DATA"],
    ['send' => "250 ok\r\n550 no\r\n550 no\r\n354 go\r\n"], ['read_data' => true], ['send' => "554 5.5.1 no valid recipients\r\n"],
    ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]]));
try { (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setTimeout(3)->sendMessage($msg()); }
catch (SendMail\RecipientException $e) { echo get_class($e), ": ", count($e->getRejected()), " refused\n"; }
echo wire($srv), "\n", scripted_errors($srv);

// Legacy send(): MAIL and RCPTs together, DATA only once every recipient is accepted.
$srv = scripted_server(array_merge($hello, [
    ['expect' => "MAIL FROM"], ['expect' => "RCPT TO:<a@example.test>"], ['expect' => "RCPT TO:<b@example.test>"],
    ['send' => "250 ok\r\n250 ok\r\n250 ok\r\n"], ['expect' => 'DATA'], ['send' => "354 go\r\n"],
    ['read_data' => true], ['send' => "250 ok\r\n"], ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]]));
$m = (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setTimeout(3);
var_dump($m->send("a@example.test, b@example.test", "me@example.test", "s", "b"));
echo wire($srv), "\n", scripted_errors($srv);

$srv = scripted_server(array_merge($hello, [
    ['expect' => "MAIL FROM"], ['expect' => "RCPT TO:<a@example.test>"], ['expect' => "RCPT TO:<b@example.test>"],
    ['send' => "250 ok\r\n550 5.1.1 no\r\n250 ok\r\n"], ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]]));
$m = (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setTimeout(3);
var_dump($m->send("a@example.test, b@example.test", "me@example.test", "s", "b"), $m->lastact, $m->lastmessage);
echo wire($srv), "\n", scripted_errors($srv);
?>
--EXPECT--
string(2) "P1"
array(1) {
  [0]=>
  string(14) "a@example.test"
}
array(1) {
  ["b@example.test"]=>
  string(22) "550 5.1.1 no such user"
}
EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|RCPT TO:<b@example.test>|DATA|<message>|QUIT|
SendMail\RecipientException: 2 refused
EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|RCPT TO:<b@example.test>|DATA|.|QUIT|
bool(true)
EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|RCPT TO:<b@example.test>|DATA|<message>|QUIT|
bool(false)
string(24) "RCPT TO:<a@example.test>"
string(12) "550 5.1.1 no"
EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|RCPT TO:<b@example.test>|QUIT|
