--TEST--
send() with bad input: false, a $lastmessage that names the argument, and nothing on the wire
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

// A server that only records: any connection at all would show in its log.
$srv = scripted_server([['send' => "220 recorder\r\n"], ['read_until_close' => true]], 1, 4.0);
$m = new SendMail("127.0.0.1:" . $srv['port']);
$cases = [
    ["you@example.test\r\nBcc: victim@example.test", "me@example.test", "s"],
    ["you@example.test\n", "me@example.test", "s"],
    ["you\0@example.test", "me@example.test", "s"],
    ["not an address", "me@example.test", "s"],
    ["", "me@example.test", "s"],
    ["you@example.test", "me@example.test\r\nRCPT TO:<x@example.test>", "s"],
    ["you@example.test", "<me@example.test", "s"],
    ["you@example.test", "", "s"],
    ["you@example.test", "me@example.test", "Hello\r\nBcc: victim@example.test"],
    ["you@example.test", "me@example.test", "Hello\n"],
    ["you@example.test", "me@example.test", "Hel\0lo"],
    ["you@example.test", "me@example.test", "Hello\rX"],
    ["you@example.test", "\xff@example.test", "s"],
];
foreach ($cases as [$to, $from, $subject]) {
    $m->lastact = "before";
    var_dump($m->send($to, $from, $subject, "body"));
    echo $m->lastmessage, " | lastact=", json_encode($m->lastact), "\n";
}
var_dump(scripted_log($srv, 0.5));
?>
--EXPECT--
bool(false)
invalid $to: the address contains a control character (CR, LF or NUL) | lastact=""
bool(false)
invalid $to: the address contains a control character (CR, LF or NUL) | lastact=""
bool(false)
invalid $to: the address contains a control character (CR, LF or NUL) | lastact=""
bool(false)
invalid $to: "not an address" is not an address of the form local@domain | lastact=""
bool(false)
invalid $to: no address given | lastact=""
bool(false)
invalid $from: the address contains a control character (CR, LF or NUL) | lastact=""
bool(false)
invalid $from: "<me@example.test" is not an address or `Name <address>` | lastact=""
bool(false)
invalid $from: no address given | lastact=""
bool(false)
invalid $subject: the subject contains CR, LF or NUL (header injection) | lastact=""
bool(false)
invalid $subject: the subject contains CR, LF or NUL (header injection) | lastact=""
bool(false)
invalid $subject: the subject contains CR, LF or NUL (header injection) | lastact=""
bool(false)
invalid $subject: the subject contains CR, LF or NUL (header injection) | lastact=""
bool(false)
invalid $from: not valid UTF-8 | lastact=""
string(0) ""
