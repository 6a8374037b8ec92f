--TEST--
The script's own header block: MIME headers without a blank line, Cc and Bcc delivered, Bcc never shown
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

$m = new SendMail("127.0.0.1:" . sink_port());

// Forgot the blank line: mail servers read the MIME fields as headers, and so does SendMail.
var_dump($m->send("html-014@example.test", "me@example.test", "HTML",
                  "MIME-Version: 1.0\nContent-Type: text/html; charset=UTF-8\n<html><b>hi</b></html>\n"));
$p = mime_parse(sink_received('html-014@example.test')['eml']);
var_dump($p['content_type'], $p['body'], $p['defects']);

// Cc and Bcc in the header block reach their recipients; the Bcc line does not reach anyone.
var_dump($m->send("to-014@example.test", "me@example.test", "Copies",
                  "Cc: Carbon <cc-014@example.test>\nBcc: bcc-014@example.test,\n  bcc2-014@example.test\nX-Mailer: legacy\n\nbody\n"));
$got = sink_received('bcc2-014@example.test');
var_dump($got['env']['rcpt_tos']);
var_dump(str_contains($got['eml'], "bcc"), str_contains($got['eml'], "Cc: Carbon <cc-014@example.test>\r\n"));

// A Cc that is not an address: nothing is sent, and the message says where.
var_dump($m->send("to-014@example.test", "me@example.test", "s", "Cc: nobody at all\n\nbody"), $m->lastmessage);

// A line that only looks like a header stays text.
var_dump($m->send("text-014@example.test", "me@example.test", "s", "To: whom it may concern\nHello\n"));
$p = mime_parse(sink_received('text-014@example.test')['eml']);
var_dump($p['body']);
?>
--EXPECT--
bool(true)
string(9) "text/html"
string(23) "<html><b>hi</b></html>
"
array(0) {
}
bool(true)
array(4) {
  [0]=>
  string(19) "to-014@example.test"
  [1]=>
  string(19) "cc-014@example.test"
  [2]=>
  string(20) "bcc-014@example.test"
  [3]=>
  string(21) "bcc2-014@example.test"
}
bool(false)
bool(true)
bool(false)
string(91) "invalid $message: its Cc header: "nobody at all" is not an address of the form local@domain"
bool(true)
string(30) "To: whom it may concern
Hello
"
