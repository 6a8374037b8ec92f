--TEST--
Persistent connections and their faults: a one-recipient mail is one write; php.ini alone makes an unchanged legacy script, a subclass of it, Compat\Smtp and mail() share one connection, QUIT when the process ends; a server that dropped the idle connection or says 421 to the NOOP costs one reconnect and no error; a message whose verdict never came is not sent again; sendmail.max_persistent bounds the pool
--EXTENSIONS--
sendmail
--INI--
sendmail.max_persistent=1
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
$wire = fn (array $srv) => str_replace("\r\n", "|", preg_replace('/(DATA\r\n).*?\r\n\.\r\n/s', '$1<message>|', scripted_log($srv)));
$hello = [['send' => "220 hi\r\n"], ['expect' => 'EHLO'], ['send' => "250-hi\r\n250 PIPELINING\r\n"]];
$message = [['expect' => 'MAIL'], ['send' => "250 ok\r\n"], ['expect' => 'RCPT'], ['send' => "250 ok\r\n"],
    ['expect' => 'DATA'], ['send' => "354 go\r\n"], ['read_data' => true], ['send' => "250 2.0.0 Ok: queued as Q\r\n"]];
$quit = [['expect' => 'QUIT'], ['send' => "221 bye\r\n"]];

echo "-- php.ini alone, four legacy callers (a subclass too), one connection, QUIT at the end of the process\n";
$srv = scripted_server(array_merge($hello, $message, $message, $message, $message, $quit));
$php = [PHP_BINARY, '-n', '-d', 'extension=' . getenv('SENDMAIL_TEST_SO'), '-d', "sendmail.host=127.0.0.1:{$srv['port']}",
    '-d', 'sendmail.persistent=1', '-d', 'sendmail.helo=legacy.example.test', '-r', '
    $m = new send_mail("127.0.0.1", "legacy.example.test");
    $m->port = "' . $srv['port'] . '";
    var_dump($m->send("a@example.test", "me@example.test", "send_mail", "one"), $m->lastact);
    $smtp = new SendMail\Compat\Smtp("127.0.0.1", "' . $srv['port'] . '");
    $smtp->host_name = "legacy.example.test";
    var_dump($smtp->sendmail("a@example.test", "me@example.test", "Compat", "two"));
    var_dump(SendMail\mail("a@example.test", "mail()", "three", "From: me@example.test"));
    class shop_mail extends send_mail {
        public $shop = "demo";
        function __construct() {
            $this->shop = "shop";
            parent::__construct("127.0.0.1", "legacy.example.test");
            $this->port = "' . $srv['port'] . '";
        }
    }
    $shop = new shop_mail();
    var_dump($shop->send("a@example.test", "me@example.test", "subclass", "four"));'];
$proc = proc_open($php, [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
fclose($pipes[0]);
echo stream_get_contents($pipes[1]), stream_get_contents($pipes[2]);
proc_close($proc);
echo $wire($srv), "\n";

echo "-- the server dropped the idle connection: one reconnect, no error\n";
$srv = scripted_server([['per_connection' => [array_merge($hello, $message, [['close' => true]]), array_merge($hello, $message, $quit)]]], 2);
$m = fn () => (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setPersistent(true)->setTimeout(3);
foreach ([1, 2] as $n) {
    $one = $m();
    var_dump($one->send("a@example.test", "me@example.test", "s", "b$n"), $one->lastmessage);
    usleep(300000);   // the server hangs up meanwhile
}
$one->close();
echo $wire($srv), "\n";

echo "-- 421 to the NOOP of the idle check: one reconnect, no error\n";
$srv = scripted_server([['per_connection' => [array_merge($hello, $message, [['expect' => 'NOOP'], ['send' => "421 4.4.2 idle too long\r\n"], ['close' => true]]),
    array_merge($hello, $message, $quit)]]], 2);
$m = fn () => (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setPersistent(true)->setIdleCheck(0)->setTimeout(3);
foreach ([1, 2] as $n) {
    $one = $m();
    var_dump($one->send("a@example.test", "me@example.test", "s", "b$n"), $one->lastmessage);
}
$one->close();
echo $wire($srv), "\n";

echo "-- the verdict on a message never came: it fails, and is never sent again\n";
$srv = scripted_server([['per_connection' => [array_merge($hello, $message, array_slice($message, 0, 7), [['close' => true]]),
    array_merge($hello, $message, $quit)]]], 2);
$m = fn () => (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setPersistent(true)->setTimeout(3);
foreach ([1, 2, 3] as $n) {
    $one = $m();
    var_dump($one->send("a@example.test", "me@example.test", "s", "b$n"), $one->lastact, $one->lastmessage);
}
$one->close();
echo $wire($srv), "\n";

echo "-- one recipient: MAIL, RCPT and BDAT with the message in one write (the server answers only once it has all)\n";
$chunking = [['send' => "220 hi\r\n"], ['expect' => 'EHLO'], ['send' => "250-hi\r\n250-PIPELINING\r\n250 CHUNKING\r\n"]];
$srv = scripted_server(array_merge($chunking, [['expect' => 'MAIL'], ['expect' => 'RCPT'], ['expect' => 'BDAT'], ['read_until' => "one-write\r\n"],
    ['send' => "250 ok\r\n250 ok\r\n250 2.0.0 Ok: queued as Q\r\n"]], $quit));
$one = (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setPersistent(true)->setTimeout(2);
var_dump($one->send("a@example.test", "me@example.test", "s", "one-write"), $one->lastmessage);
$one->close();
echo "-- the server took a whole pipelined message and hung up without its replies: it fails, and is never sent again\n";
$bdat = fn (string $body) => [['expect' => 'MAIL'], ['expect' => 'RCPT'], ['expect' => 'BDAT'], ['read_until' => "$body\r\n"]];
$answer = [['send' => "250 ok\r\n250 ok\r\n250 2.0.0 Ok: queued as Q\r\n"]];
$srv = scripted_server([['per_connection' => [array_merge($chunking, $bdat('body-1'), $answer, $bdat('body-2'), [['close' => true]]),
    array_merge($chunking, $bdat('body-3'), $answer, $quit)]]], 2);
foreach ([1, 2, 3] as $n) {
    $one = (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setPersistent(true)->setTimeout(3);
    var_dump($one->send("a@example.test", "me@example.test", "s", "body-$n"), $one->lastmessage);
}
$one->close();
$log = scripted_log($srv);
echo "connections: ", substr_count($log, "EHLO"), "; body-2 read ", substr_count($log, "body-2"), " time(s)\n";
echo "-- a server that hung up while the connection was idle is seen before the message goes: one reconnect, no error\n";
$srv = scripted_server([['per_connection' => [array_merge($chunking, $bdat('body-1'), $answer, [['close' => true]]),
    array_merge($chunking, $bdat('body-2'), $answer, $quit)]]], 2);
foreach ([1, 2] as $n) {
    $one = (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setPersistent(true)->setTimeout(3);
    var_dump($one->send("a@example.test", "me@example.test", "s", "body-$n"), $one->lastmessage);
    usleep(300000);   // the server hangs up meanwhile
}
$one->close();
$log = scripted_log($srv);
echo "connections: ", substr_count($log, "EHLO"), "; body-2 read ", substr_count($log, "body-2"), " time(s)\n";
echo "-- the same with DATA: MAIL, RCPT and DATA in one write, the message after the 354\n";
$srv = scripted_server(array_merge($hello, [['expect' => 'MAIL'], ['expect' => 'RCPT'], ['expect' => 'DATA'],
    ['send' => "250 ok\r\n250 ok\r\n354 go\r\n"], ['read_data' => true], ['send' => "250 2.0.0 Ok: queued as Q\r\n"]], $quit));
$one = (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setPersistent(true)->setTimeout(2);
var_dump($one->send("a@example.test", "me@example.test", "s", "data"), $one->lastmessage);
$one->close();
echo "-- two recipients: the replies are awaited, a refused one stops the message before BDAT\n";
$srv = scripted_server(array_merge($chunking, [['expect' => 'MAIL'], ['expect' => 'RCPT'], ['expect' => 'RCPT'],
    ['send' => "250 ok\r\n250 ok\r\n550 5.1.1 no such user\r\n"], ['expect' => 'RSET'], ['send' => "250 ok\r\n"]], $quit));
$one = (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setPersistent(true)->setTimeout(2);
var_dump($one->send("a@example.test, b@example.test", "me@example.test", "s", "two"), $one->lastact, $one->lastmessage);
$one->close();
echo $wire($srv), "\n";

echo "-- sendmail.max_persistent=1: a second kind of connection closes the first\n";
$port = sink_port();
$tag = bin2hex(random_bytes(4));
$by = fn (string $helo, int $n) => (new SendMail("127.0.0.1:$port", $helo))->setPersistent(true)
    ->send("m$n-$tag@example.test", "me@example.test", "s", "b") ? "m$n-$tag@example.test" : "failed";
$rcpts = [$by('a.example.test', 1), $by('a.example.test', 2), $by('b.example.test', 3), $by('a.example.test', 4)];
$ports = array_map(fn ($r) => sink_received($r, 3.0)['env']['peer'][1] ?? 'lost', $rcpts);
echo "a a b a: ", json_encode([$ports[0] === $ports[1], $ports[2] !== $ports[1], $ports[3] !== $ports[1]]), "\n";
?>
--EXPECT--
-- php.ini alone, four legacy callers (a subclass too), one connection, QUIT at the end of the process
bool(true)
string(4) "QUIT"
bool(true)
bool(true)
bool(true)
EHLO legacy.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
-- the server dropped the idle connection: one reconnect, no error
bool(true)
string(25) "250 2.0.0 Ok: queued as Q"
bool(true)
string(25) "250 2.0.0 Ok: queued as Q"
EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
-- 421 to the NOOP of the idle check: one reconnect, no error
bool(true)
string(25) "250 2.0.0 Ok: queued as Q"
bool(true)
string(25) "250 2.0.0 Ok: queued as Q"
EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|NOOP|EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
-- the verdict on a message never came: it fails, and is never sent again
bool(true)
string(4) "QUIT"
string(25) "250 2.0.0 Ok: queued as Q"
bool(false)
string(1) "."
string(40) "the server closed the connection at data"
bool(true)
string(4) "QUIT"
string(25) "250 2.0.0 Ok: queued as Q"
EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
-- one recipient: MAIL, RCPT and BDAT with the message in one write (the server answers only once it has all)
bool(true)
string(25) "250 2.0.0 Ok: queued as Q"
-- the server took a whole pipelined message and hung up without its replies: it fails, and is never sent again
bool(true)
string(25) "250 2.0.0 Ok: queued as Q"
bool(false)
string(40) "the server closed the connection at data"
bool(true)
string(25) "250 2.0.0 Ok: queued as Q"
connections: 2; body-2 read 1 time(s)
-- a server that hung up while the connection was idle is seen before the message goes: one reconnect, no error
bool(true)
string(25) "250 2.0.0 Ok: queued as Q"
bool(true)
string(25) "250 2.0.0 Ok: queued as Q"
connections: 2; body-2 read 1 time(s)
-- the same with DATA: MAIL, RCPT and DATA in one write, the message after the 354
bool(true)
string(25) "250 2.0.0 Ok: queued as Q"
-- two recipients: the replies are awaited, a refused one stops the message before BDAT
bool(false)
string(24) "RCPT TO:<b@example.test>"
string(22) "550 5.1.1 no such user"
EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|RCPT TO:<b@example.test>|RSET|QUIT|
-- sendmail.max_persistent=1: a second kind of connection closes the first
a a b a: [true,true,true]