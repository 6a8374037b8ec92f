--TEST--
send() failures: $lastact names the failing command, $lastmessage the reply or the cause
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

// Nothing listens: a port taken from a closed listener.
$l = stream_socket_server("tcp://127.0.0.1:0");
$closed = (int) substr(strrchr(stream_socket_get_name($l, false), ':'), 1);
fclose($l);
$m = new SendMail("127.0.0.1");
$m->port = $closed;
var_dump($m->send("a@example.test", "me@example.test", "s", "b"));
var_dump($m->lastact, $m->lastmessage === "connect to 127.0.0.1:$closed: Connection refused");

$m = new SendMail("127.0.0.1:" . sink_port());
// One refused recipient: nothing is sent, to anyone.
var_dump($m->send("ok-004@example.test, reject-004@example.test", "me@example.test", "s", "b"));
var_dump($m->lastact, $m->lastmessage);
var_dump(sink_received('ok-004@example.test', 0.5));

var_dump($m->send("tempfail-004@example.test", "me@example.test", "s", "b"));
var_dump($m->lastact, $m->lastmessage);

// The server refuses the message itself after DATA.
var_dump($m->send("data-004@example.test", "me@example.test", "s", "X-Test-Reject: yes\n\nbody"));
var_dump($m->lastact, $m->lastmessage);

// And a success right after: the object is reusable.
var_dump($m->send("after-004@example.test", "me@example.test", "s", "b"), $m->lastact);
?>
--EXPECT--
bool(false)
string(7) "connect"
bool(true)
bool(false)
string(33) "RCPT TO:<reject-004@example.test>"
string(63) "550 5.1.1 <reject-004@example.test>: Recipient address rejected"
NULL
bool(false)
string(35) "RCPT TO:<tempfail-004@example.test>"
string(54) "451 4.3.0 <tempfail-004@example.test>: Try again later"
bool(false)
string(1) "."
string(26) "554 5.6.0 Message rejected"
bool(true)
string(4) "QUIT"
