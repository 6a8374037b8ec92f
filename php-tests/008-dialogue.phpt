--TEST--
The dialogue on the wire: multi-line greeting, HELO only after a 5xx to EHLO, CRLF, dot-stuffing, one terminator, QUIT
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

$srv = scripted_server([
    ['send' => "220-mail.example.test ESMTP\r\n220-second line\r\n220 ready\r\n"],
    ['expect' => 'EHLO client.example.test'],
    ['send' => "502 5.5.1 EHLO not implemented\r\n"],
    ['expect' => 'HELO client.example.test'],
    ['send' => "250 mail.example.test\r\n"],
    ['expect' => 'MAIL FROM:<me@example.test>'],
    ['send' => "250 2.1.0 Ok\r\n"],
    ['expect' => 'RCPT TO:<a@example.test>'],
    ['send' => "250 2.1.5 Ok\r\n"],
    ['expect' => 'RCPT TO:<b@example.test>'],
    ['send' => "251 2.1.5 will forward\r\n"],
    ['expect' => 'DATA'],
    ['send' => "354 go ahead\r\n"],
    ['read_data' => true],
    ['send' => "250 2.0.0 Ok: queued as ABC123\r\n"],
    ['expect' => 'QUIT'],
    ['send' => "221 2.0.0 Bye\r\n"],
]);
$m = new send_mail("127.0.0.1", "client.example.test");
$m->port = $srv['port'];
$body = "line one\n.\n..two dots\r.bare CR then dot\r\nend.\n.\n";
var_dump($m->send("a@example.test,b@example.test", "me@example.test", "Wire", $body));
var_dump($m->lastact, $m->lastmessage);
$log = scripted_log($srv);
echo scripted_errors($srv);
$log = preg_replace(['/^Date: .*\r$/m', '/^Message-ID: .*\r$/m'], ["Date: <date>\r", "Message-ID: <id>\r"], $log);
echo str_replace("\r\n", "[CRLF]\n", $log);
var_dump(preg_match("/(?<!\r)\n|\r(?!\n)/", $log));
?>
--EXPECT--
bool(true)
string(4) "QUIT"
string(30) "250 2.0.0 Ok: queued as ABC123"
EHLO client.example.test[CRLF]
HELO client.example.test[CRLF]
MAIL FROM:<me@example.test>[CRLF]
RCPT TO:<a@example.test>[CRLF]
RCPT TO:<b@example.test>[CRLF]
DATA[CRLF]
To: a@example.test, b@example.test[CRLF]
From: me@example.test[CRLF]
Subject: Wire[CRLF]
Date: <date>[CRLF]
Message-ID: <id>[CRLF]
[CRLF]
line one[CRLF]
..[CRLF]
...two dots[CRLF]
..bare CR then dot[CRLF]
end.[CRLF]
.[CRLF]
QUIT[CRLF]
int(0)
