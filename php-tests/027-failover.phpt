--TEST--
Failover lists: the next server after a refused connection, a failed greeting or TLS; never after a transaction began
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
$l = stream_socket_server("tcp://127.0.0.1:0");
$closed = (int) substr(strrchr(stream_socket_get_name($l, false), ':'), 1);
fclose($l);
$sink = "127.0.0.1:" . sink_port();

function connects(SendMail $m): string {
    preg_match_all('/^>> connect to (\S+)$/m', $m->getTranscript(), $all);
    return implode(" then ", array_map(fn($t) => preg_replace('/:\d+$/', ':<port>', $t), $all[1]));
}

// First refuses the connection, second works.
$m = new SendMail("127.0.0.1:$closed;$sink");
var_dump($m->send("fo1-027@example.test", "me@example.test", "s", "b"), connects($m), $m->port);

// First says 554 at the greeting, second works.
$srv = scripted_server([['send' => "554 5.3.2 not now\r\n"], ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]]);
$m = new SendMail("127.0.0.1:{$srv['port']};$sink");
var_dump($m->send("fo2-027@example.test", "me@example.test", "s", "b"), connects($m));

// First fails TLS (untrusted certificate, TLS required), second works.
$m = (new SendMail("smtp://127.0.0.1:" . sink_port('untrusted') . "?tls=required;$sink"));
var_dump($m->send("fo3-027@example.test", "me@example.test", "s", "b"), connects($m));

// A refused recipient is the server's answer to a transaction: no failover, no second copy.
$m = new SendMail("$sink;127.0.0.1:" . sink_port('clearauth'));
var_dump($m->send("reject-027@example.test", "me@example.test", "s", "b"), connects($m), $m->lastmessage);

// Every server fails: the last error.
$m = new SendMail("127.0.0.1:$closed;127.0.0.1:$closed");
var_dump($m->send("fo5-027@example.test", "me@example.test", "s", "b"), $m->lastact, $m->lastmessage === "connect to 127.0.0.1:$closed: Connection refused");
var_dump(sink_received('fo1-027@example.test') && sink_received('fo2-027@example.test') && sink_received('fo3-027@example.test'));
?>
--EXPECT--
bool(true)
string(38) "127.0.0.1:<port> then 127.0.0.1:<port>"
int(25)
bool(true)
string(38) "127.0.0.1:<port> then 127.0.0.1:<port>"
bool(true)
string(38) "127.0.0.1:<port> then 127.0.0.1:<port>"
bool(false)
string(16) "127.0.0.1:<port>"
string(63) "550 5.1.1 <reject-027@example.test>: Recipient address rejected"
bool(false)
string(7) "connect"
bool(true)
bool(true)
