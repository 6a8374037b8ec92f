--TEST--
Debug output: ">> " client and "<< " server lines through PHP's output layer, the body summarised
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

$m = new SendMail("127.0.0.1:" . sink_port(), "client.example.test", true);
ob_start();
$ok = $m->send("debug-006@example.test", "me@example.test", "Debug", "SECRET BODY TEXT\n");
$out = ob_get_clean();
var_dump($ok);
$port = sink_port();
$out = preg_replace(['/^>> Date: .*$/m', '/^>> Message-ID: .*$/m', "/127\\.0\\.0\\.1:$port/", '/^<< 220 .*$/m', '/^<< 250-.*$/m', '/^<< 250 (?!2)(?!Ok|OK).*$/m', '/queued as [0-9A-F]+/', '/^<< 221 .*$/m'],
                    ['>> Date: <date>', '>> Message-ID: <id>', '127.0.0.1:<port>', '<< 220 <greeting>', '<< 250-<ehlo>', '<< 250 <ehlo-last>', 'queued as <id>', '<< 221 <bye>'], $out);
echo $out;
var_dump(str_contains($out, "SECRET BODY TEXT"));

// show_debug() itself, and silence when debug is off.
ob_start();
$m->show_debug("from the server", "in");
$m->show_debug("to the server\n", "out");
$m->debug = false;
$m->show_debug("hidden", "in");
var_dump($m->send("quiet-006@example.test", "me@example.test", "s", "b"));
echo ob_get_clean();
?>
--EXPECT--
bool(true)
>> connect to 127.0.0.1:<port>
<< 220 <greeting>
>> EHLO client.example.test
<< 250-<ehlo>
<< 250-<ehlo>
<< 250-<ehlo>
<< 250-<ehlo>
<< 250 <ehlo-last>
>> MAIL FROM:<me@example.test>
<< 250 OK
>> RCPT TO:<debug-006@example.test>
<< 250 2.1.5 Ok
>> DATA
<< 354 End data with <CR><LF>.<CR><LF>
>> To: debug-006@example.test
>> From: me@example.test
>> Subject: Debug
>> Date: <date>
>> Message-ID: <id>
>> [message: 181 bytes]
>> .
<< 250 2.0.0 Ok: queued as <id>
>> QUIT
<< 221 <bye>
bool(false)
<< from the server
>> to the server
bool(true)
