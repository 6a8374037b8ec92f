--TEST--
Timeouts: a silent server and a server that drips its reply both fail within the deadline, per reply
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

$srv = scripted_server([['sleep' => 10]], 1, 12.0);
$m = new SendMail("127.0.0.1:" . $srv['port']);
$m->setTimeout(1);
$t = microtime(true);
var_dump($m->send("a@example.test", "me@example.test", "s", "b"));
$elapsed = microtime(true) - $t;
var_dump($m->lastact, $m->lastmessage, $elapsed < 3.0);

// One byte every 0.4 s: each read succeeds, but the whole reply would take 8 s.
$srv = scripted_server([['drip' => "220 a slow server greets you\r\n", 'interval' => 0.4]], 1, 20.0);
$m = new SendMail("127.0.0.1:" . $srv['port']);
$m->setTimeout(1.5);
$t = microtime(true);
var_dump($m->send("a@example.test", "me@example.test", "s", "b"));
$elapsed = microtime(true) - $t;
var_dump($m->lastmessage, $elapsed < 3.5);

// The deadline holds at every stage: here the reply to the message never comes.
$srv = scripted_server([['send' => "220 hi\r\n"], ['expect' => 'EHLO'], ['send' => "250 ok\r\n"], ['expect' => 'MAIL'], ['send' => "250 ok\r\n"],
    ['expect' => 'RCPT'], ['send' => "250 ok\r\n"], ['expect' => 'DATA'], ['send' => "354 go\r\n"], ['read_data' => true], ['sleep' => 5]], 1, 8.0);
$m = new SendMail("127.0.0.1:" . $srv['port']);
$m->setTimeout(1);
$t = microtime(true);
var_dump($m->send("a@example.test", "me@example.test", "s", "b"), $m->lastact, $m->lastmessage, microtime(true) - $t < 3.0);
// The connection was dropped, not reused: no QUIT after the timeout.
var_dump(str_ends_with(scripted_log($srv), "\r\n.\r\n"));

// default_socket_timeout is the default.
ini_set('default_socket_timeout', '1');
$srv = scripted_server([['sleep' => 10]], 1, 12.0);
$m = new SendMail("127.0.0.1:" . $srv['port']);
$t = microtime(true);
var_dump($m->send("a@example.test", "me@example.test", "s", "b"), $m->lastmessage, microtime(true) - $t < 3.0);

foreach ([0, -1, INF, NAN, 86401] as $bad) {
    try {
        $m->setTimeout($bad);
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
    }
}
var_dump($m->setTimeout(2) === $m);
?>
--EXPECT--
bool(false)
string(7) "connect"
string(49) "timed out after 1s waiting for the greeting reply"
bool(true)
bool(false)
string(51) "timed out after 1.5s waiting for the greeting reply"
bool(true)
bool(false)
string(1) "."
string(45) "timed out after 1s waiting for the data reply"
bool(true)
bool(true)
bool(false)
string(49) "timed out after 1s waiting for the greeting reply"
bool(true)
SendMail::setTimeout(): Argument #1 ($seconds) must be greater than 0 and at most 86400
SendMail::setTimeout(): Argument #1 ($seconds) must be greater than 0 and at most 86400
SendMail::setTimeout(): Argument #1 ($seconds) must be greater than 0 and at most 86400
SendMail::setTimeout(): Argument #1 ($seconds) must be greater than 0 and at most 86400
SendMail::setTimeout(): Argument #1 ($seconds) must be greater than 0 and at most 86400
bool(true)
