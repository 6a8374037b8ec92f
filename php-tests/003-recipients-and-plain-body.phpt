--TEST--
send(): a comma-separated $to gets one RCPT each; a message without headers gets its blank line; names and UTF-8
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

$m = new SendMail("127.0.0.1:" . sink_port(), "client.example.test");
$ok = $m->send("one-003@example.test, \"Doe, Jane\" <two-003@example.test>", "Zoë Sender <me@example.test>",
               "Grüße aus Köln", "Subject: is not a header here because\nthis line is not one.\n");
var_dump($ok, $m->lastact);
$got = sink_received('two-003@example.test');
var_dump($got['env']['rcpt_tos'], $got['env']['mail_from'], $got['env']['helo']);
$p = mime_parse($got['eml']);
foreach ($p['headers'] as [$name, $value]) {
    if (in_array($name, ['To', 'From', 'Subject'], true)) {
        echo "$name: $value\n";
    }
}
var_dump($p['body']);
var_dump($p['defects']);
// The raw Subject is an RFC 2047 encoded-word, the From display name too.
var_dump((bool) preg_match('/^Subject: =\?UTF-8\?B\?[A-Za-z0-9+\/=]+\?=\r$/m', $got['eml']));
var_dump(str_contains($got['eml'], "From: =?UTF-8?B?"));
?>
--EXPECT--
bool(true)
string(4) "QUIT"
array(2) {
  [0]=>
  string(20) "one-003@example.test"
  [1]=>
  string(20) "two-003@example.test"
}
string(15) "me@example.test"
string(19) "client.example.test"
To: one-003@example.test, "Doe, Jane" <two-003@example.test>
From: Zoë Sender <me@example.test>
Subject: Grüße aus Köln
string(60) "Subject: is not a header here because
this line is not one.
"
array(0) {
}
bool(true)
bool(true)
