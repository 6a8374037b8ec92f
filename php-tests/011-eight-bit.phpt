--TEST--
8-bit text: labelled UTF-8, sent as 8bit with BODY=8BITMIME when offered, else quoted-printable; legacy charsets kept
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

// The sink offers 8BITMIME.
$m = new SendMail("127.0.0.1:" . sink_port());
var_dump($m->send("utf8-011@example.test", "me@example.test", "Café ☕", "Grüße,\nçà et là\n"));
$got = sink_received('utf8-011@example.test');
var_dump($got['env']['mail_options']);
$p = mime_parse($got['eml']);
var_dump($p['content_type'], $p['charset'], $p['cte'], $p['body']);
foreach ($p['headers'] as [$k, $v]) {
    if ($k === 'Subject' || $k === 'MIME-Version') echo "$k: $v\n";
}

// A server without 8BITMIME gets quoted-printable.
$srv = scripted_server([
    ['send' => "220 hi\r\n"], ['expect' => 'EHLO'], ['send' => "250-old.example.test\r\n250 SIZE 1000000\r\n"],
    ['expect' => 'MAIL FROM:<me@example.test>'], ['send' => "250 ok\r\n"],
    ['expect' => 'RCPT'], ['send' => "250 ok\r\n"], ['expect' => 'DATA'], ['send' => "354 go\r\n"],
    ['read_data' => true], ['send' => "250 ok\r\n"], ['expect' => 'QUIT'], ['send' => "221 bye\r\n"],
]);
$m = new SendMail("127.0.0.1:" . $srv['port']);
var_dump($m->send("a@example.test", "me@example.test", "s", "Grüße\n"));
$log = scripted_log($srv);
echo scripted_errors($srv);
var_dump(str_contains($log, "MAIL FROM:<me@example.test>\r\n"));
var_dump(str_contains($log, "Content-Transfer-Encoding: quoted-printable\r\n"), str_contains($log, "\r\n\r\nGr=C3=BC=C3=9Fe\r\n.\r\n"));
var_dump(preg_match('/[\x80-\xff]/', $log));

// A legacy GB2312 message with its own Content-Type: the body is left alone, the subject
// is encoded in the charset the script named.
$m = new SendMail("127.0.0.1:" . sink_port());
$subject = "\xc4\xe3\xba\xc3";   // "你好" in GB2312
var_dump($m->send("gb-011@example.test", "me@example.test", $subject, "Content-Type: text/plain; charset=gb2312\n\n\xc4\xe3\xba\xc3\n"));
$got = sink_received('gb-011@example.test');
var_dump(str_contains($got['eml'], "Subject: =?gb2312?B?xOO6ww==?=\r\n"), str_contains($got['eml'], "\r\n\r\n\xc4\xe3\xba\xc3\r\n"));
$p = mime_parse($got['eml']);
foreach ($p['headers'] as [$k, $v]) {
    if ($k === 'Subject') echo "$k: $v\n";
}
?>
--EXPECT--
bool(true)
array(1) {
  [0]=>
  string(13) "BODY=8BITMIME"
}
string(10) "text/plain"
string(5) "utf-8"
string(4) "8bit"
string(21) "Grüße,
çà et là
"
Subject: Café ☕
MIME-Version: 1.0
bool(true)
bool(true)
bool(true)
bool(true)
int(0)
bool(true)
bool(true)
bool(true)
Subject: 你好
