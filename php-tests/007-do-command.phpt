--TEST--
do_command(): raw commands on an open connection (opened on demand), whole replies, code as int or string
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

$srv = scripted_server([
    ['send' => "220-first line\r\n220 second line\r\n"],
    ['expect' => 'EHLO client.example.test'],
    ['send' => "250-hello\r\n250 8BITMIME\r\n"],
    ['expect' => 'NOOP'],
    ['send' => "250 2.0.0 Ok\r\n"],
    ['expect' => 'VRFY postmaster'],
    ['send' => "252-2.0.0 cannot verify\r\n252 2.0.0 but will try\r\n"],
    ['expect' => 'MAIL FROM:<a@example.test>'],
    ['send' => "550 5.7.1 no\r\n"],
    ['expect' => 'QUIT'],
    ['send' => "221 2.0.0 Bye\r\n"],
    ['close' => true],
]);
$m = new send_mail("127.0.0.1:" . $srv['port'], "client.example.test");
var_dump($m->do_command("NOOP\n", "250"), $m->lastact, $m->lastmessage);
var_dump($m->do_command("VRFY postmaster\r\n", 252), $m->lastmessage);
var_dump($m->do_command("MAIL FROM:<a@example.test>\n", 250), $m->lastact, $m->lastmessage);
var_dump($m->do_command("QUIT\n", "221"), $m->lastmessage);
try {
    $m->do_command("NOOP\n", [250]);
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}
echo str_replace("\r\n", "[CRLF]\n", scripted_log($srv));
echo scripted_errors($srv);
?>
--EXPECT--
bool(true)
string(4) "NOOP"
string(12) "250 2.0.0 Ok"
bool(true)
string(46) "252-2.0.0 cannot verify
252 2.0.0 but will try"
bool(false)
string(26) "MAIL FROM:<a@example.test>"
string(12) "550 5.7.1 no"
bool(true)
string(13) "221 2.0.0 Bye"
SendMail::do_command(): Argument #2 ($code) must be of type string|int, array given
EHLO client.example.test[CRLF]
NOOP[CRLF]
VRFY postmaster[CRLF]
MAIL FROM:<a@example.test>[CRLF]
QUIT[CRLF]
