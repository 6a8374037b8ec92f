--TEST--
setKeepAlive(): one connection across sends, RSET after a failure, reconnect when the server closed it, QUIT on close() and destruction
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
function wire(array $srv): string { return str_replace("\r\n", "|", preg_replace('/(DATA\r\n).*?\r\n\.\r\n/s', '$1<message>|', scripted_log($srv))); }
$tx = fn(string $rcpt, string $rcptReply = "250 ok") => [
    ['expect' => 'MAIL FROM:<me@example.test>'], ['send' => "250 ok\r\n"],
    ['expect' => "RCPT TO:<$rcpt>"], ['send' => "$rcptReply\r\n"],
];
$data = [['expect' => 'DATA'], ['send' => "354 go\r\n"], ['read_data' => true], ['send' => "250 2.0.0 Ok: queued as Q\r\n"]];
$hello = [['send' => "220 hi\r\n"], ['expect' => 'EHLO'], ['send' => "250 ok\r\n"]];

// Two messages, one connection, QUIT on close().
$srv = scripted_server(array_merge($hello, $tx('a@example.test'), $data, $tx('b@example.test'), $data, [['expect' => 'QUIT'], ['send' => "221 bye\r\n"]]));
$m = (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setKeepAlive(true);
var_dump($m->send("a@example.test", "me@example.test", "1", "one"), $m->lastact);
var_dump($m->sendMessage((new SendMail\Message)->from("me@example.test")->to("b@example.test")->text("two"))->queueId);
$m->close();
echo wire($srv), "\n", scripted_errors($srv);

// A refused recipient: RSET, and the next message on the same connection; QUIT when the object goes.
$srv = scripted_server(array_merge($hello, $tx('x@example.test', '550 5.1.1 no such user'), [['expect' => 'RSET'], ['send' => "250 ok\r\n"]],
    $tx('b@example.test'), $data, [['expect' => 'QUIT'], ['send' => "221 bye\r\n"]]));
$m = (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setKeepAlive(true);
var_dump($m->send("x@example.test", "me@example.test", "1", "one"), $m->lastact, $m->lastmessage);
var_dump($m->send("b@example.test", "me@example.test", "2", "two"));
unset($m);
echo wire($srv), "\n", scripted_errors($srv);

// The server closes the kept connection: the next send reconnects by itself.
$srv = scripted_server(array_merge($hello, $tx('a@example.test'), $data, [['close' => true]]), 2);
$m = (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setKeepAlive(true);
var_dump($m->send("a@example.test", "me@example.test", "1", "one"));
usleep(200000);
var_dump($m->send("a@example.test", "me@example.test", "2", "two"));
unset($m);
$log = wire($srv);
var_dump(substr_count($log, "EHLO client.example.test"), substr_count($log, "<message>"));

// Without keep-alive nothing changes: QUIT after each message.
$srv = scripted_server(array_merge($hello, $tx('a@example.test'), $data, [['expect' => 'QUIT'], ['send' => "221 bye\r\n"]]), 2);
$m = new SendMail("127.0.0.1:{$srv['port']}", "client.example.test");
var_dump($m->send("a@example.test", "me@example.test", "1", "one"), $m->send("a@example.test", "me@example.test", "2", "two"), $m->lastact);
echo wire($srv), "\n";
?>
--EXPECT--
bool(true)
string(1) "."
string(1) "Q"
EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|MAIL FROM:<me@example.test>|RCPT TO:<b@example.test>|DATA|<message>|QUIT|
bool(false)
string(24) "RCPT TO:<x@example.test>"
string(22) "550 5.1.1 no such user"
bool(true)
EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<x@example.test>|RSET|MAIL FROM:<me@example.test>|RCPT TO:<b@example.test>|DATA|<message>|QUIT|
bool(true)
bool(true)
int(2)
int(2)
bool(true)
bool(true)
string(4) "QUIT"
EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
