--TEST--
setKeepAlive(): a 421 to MAIL on a kept connection reconnects once by itself; a 421 after MAIL was accepted fails the message, and the next one opens a new connection
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
function wire(array $srv): string { return str_replace("\r\n", "|", preg_replace('/(DATA\r\n).*?\r\n\.\r\n/s', '$1<message>|', scripted_log($srv))); }
$hello = [['send' => "220 hi\r\n"], ['expect' => 'EHLO'], ['send' => "250 ok\r\n"]];
$one = [['expect' => 'MAIL FROM:<me@example.test>'], ['send' => "250 ok\r\n"], ['expect' => 'RCPT TO:<a@example.test>'], ['send' => "250 ok\r\n"],
        ['expect' => 'DATA'], ['send' => "354 go\r\n"], ['read_data' => true], ['send' => "250 2.0.0 Ok: queued as Q\r\n"]];

// Each connection: one message, then 421 to the next MAIL and a hang-up. The second message
// goes on a new connection without the caller noticing.
$srv = scripted_server(array_merge($hello, $one, [['expect' => 'MAIL'], ['send' => "421 4.4.2 idle too long\r\n"], ['close' => true]]), 2);
$m = (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setKeepAlive(true)->setTimeout(3);
var_dump($m->send("a@example.test", "me@example.test", "1", "one"));
var_dump($m->send("a@example.test", "me@example.test", "2", "two"), $m->lastmessage);
$m->close();
echo wire($srv), "\n";

// The same with sendMessage().
$srv = scripted_server(array_merge($hello, $one, [['expect' => 'MAIL'], ['send' => "421 4.4.2 idle too long\r\n"], ['close' => true]]), 2);
$m = (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setKeepAlive(true)->setTimeout(3);
$msg = fn() => (new SendMail\Message)->from("me@example.test")->to("a@example.test")->text("x");
var_dump($m->sendMessage($msg())->queueId, $m->sendMessage($msg())->queueId);
$m->close();
echo wire($srv), "\n";

// A 421 once MAIL was accepted is not a stale connection: the message fails (the server may
// have started it), the connection is dropped without QUIT, and the next send opens a new one.
$srv = scripted_server(array_merge($hello, $one, [['expect' => 'MAIL'], ['send' => "250 ok\r\n"], ['expect' => 'RCPT'],
    ['send' => "421 4.3.2 shutting down\r\n"], ['close' => true]]), 2);
$m = (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setKeepAlive(true)->setTimeout(3);
var_dump($m->send("a@example.test", "me@example.test", "1", "one"));
var_dump($m->send("a@example.test", "me@example.test", "2", "two"), $m->lastact, $m->lastmessage);
var_dump($m->send("a@example.test", "me@example.test", "3", "three"));
$m->close();
echo wire($srv), "\n";
?>
--EXPECT--
bool(true)
bool(true)
string(25) "250 2.0.0 Ok: queued as Q"
EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|MAIL FROM:<me@example.test>|EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
string(1) "Q"
string(1) "Q"
EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|MAIL FROM:<me@example.test>|EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
bool(true)
bool(false)
string(24) "RCPT TO:<a@example.test>"
string(23) "421 4.3.2 shutting down"
bool(true)
EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
