--TEST--
Hosts written with PHP's stream prefixes: ssl:// and tls:// are TLS from the first byte, tcp:// is a plain connection, in both classes, in $smtp and with an explicit port (smtps:// too)
--EXTENSIONS--
sendmail
--INI--
sendmail.aliases=send_mail,SMTP
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
[$user, $password] = sink_credentials();
ini_set('sendmail.cafile', test_cert('ca.pem'));
$tls = sink_port('smtps');
$plain = sink_port('plain');
$arrived = function (string $rcpt) {
    $a = legacy_arrival($rcpt);
    return $a === null ? 'nothing arrived' : ($a['tls'] ? "TLS via {$a['rcpt'][0]}" : "clear via {$a['rcpt'][0]}");
};

// SendMail: the prefix in $smtp, the port in $smtp or in $port.
$m = new send_mail("ssl://127.0.0.1:$tls");
var_dump($m->port === $tls, $m->send("ssl1-067@example.test", "me@example.test", "s", "b"), $arrived("ssl1-067@example.test"));
$m = new send_mail("tls://127.0.0.1");
var_dump($m->port);
$m->port = (string) $tls;
var_dump($m->send("tls1-067@example.test", "me@example.test", "s", "b"), $arrived("tls1-067@example.test"));
$m = new send_mail("tcp://127.0.0.1:$plain");
var_dump($m->send("tcp1-067@example.test", "me@example.test", "s", "b"), $arrived("tcp1-067@example.test"));
// A failover list of prefixed hosts: the first is down, the second takes the mail.
$m = new send_mail("ssl://127.0.0.1:1;ssl://127.0.0.1:$tls");
var_dump($m->send("list-067@example.test", "me@example.test", "s", "b"), $arrived("list-067@example.test"));

// The smtp class: the prefix in $relay_host, the port as the second argument.
foreach (['ssl', 'tls', 'smtps'] as $prefix) {
    $s = new SMTP("$prefix://127.0.0.1", $tls, true, $user, $password);
    var_dump($s->smtp_port === $tls, $s->sendmail("$prefix-067@example.test", "me@example.test", "s", "b"), $arrived("$prefix-067@example.test"));
}
$s = new SMTP("tcp://127.0.0.1", (string) $plain);
var_dump($s->sendmail("tcp2-067@example.test", "me@example.test", "s", "b"), $arrived("tcp2-067@example.test"));
// A scheme that is not one is refused with a reason.
$s = new SMTP("udp://127.0.0.1", $plain);
var_dump($s->sendmail("x@example.test", "me@example.test"), $s->lastmessage);
?>
--EXPECTF--
bool(true)
bool(true)
string(%d) "TLS via ssl1-067@example.test"
int(465)
bool(true)
string(%d) "TLS via tls1-067@example.test"
bool(true)
string(%d) "clear via tcp1-067@example.test"
bool(true)
string(%d) "TLS via list-067@example.test"
bool(true)
bool(true)
string(%d) "TLS via ssl-067@example.test"
bool(true)
bool(true)
string(%d) "TLS via tls-067@example.test"
bool(true)
bool(true)
string(%d) "TLS via smtps-067@example.test"
bool(true)
string(%d) "clear via tcp2-067@example.test"
bool(false)
string(%d) "invalid $smtp: "udp://127.0.0.1": the scheme must be smtp://, smtps://, ssl://, tls:// or tcp://"
