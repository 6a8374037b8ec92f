--TEST--
No HELO after 421 or a dropped connection; greeting refusals; a connection dropped mid-transaction
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

function run(array $steps, string $label): void {
    $srv = scripted_server($steps);
    $m = new SendMail("127.0.0.1:" . $srv['port'], "client.example.test");
    $m->setTimeout(5);
    $ok = $m->send("a@example.test", "me@example.test", "s", "body");
    echo "$label: ", var_export($ok, true), " | ", $m->lastact, " | ", $m->lastmessage, "\n";
    echo "   wire: ", str_replace("\r\n", "|", scripted_log($srv)), "\n";
}

run([['send' => "220 hi\r\n"], ['expect' => 'EHLO'], ['send' => "421 4.3.2 shutting down\r\n"], ['close' => true]], "421 to EHLO");
run([['send' => "220 hi\r\n"], ['expect' => 'EHLO'], ['close' => true]], "EHLO dropped");
run([['send' => "220 hi\r\n"], ['expect' => 'EHLO'], ['send' => "450 4.7.1 try later\r\n"], ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]], "450 to EHLO");
run([['send' => "554 5.7.1 no service for you\r\n"], ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]], "554 greeting");
run([['send' => "220-a\r\n221 b\r\n"], ['close' => true]], "mixed codes");
run([['send' => "hello there\r\n"]], "garbage greeting");
run([['send' => "220 hi\r\n"], ['expect' => 'EHLO'], ['send' => "250 ok\r\n"], ['expect' => 'MAIL'], ['send' => "250 ok\r\n"],
     ['expect' => 'RCPT'], ['send' => "250 ok\r\n"], ['expect' => 'DATA'], ['send' => "354 go\r\n"], ['close' => true]], "dropped in DATA");
run([['send' => "220 hi\r\n"], ['expect' => 'EHLO'], ['send' => "250 ok\r\n"], ['expect' => 'MAIL'], ['send' => "250 ok\r\n"],
     ['expect' => 'RCPT'], ['send' => "250 ok\r\n"], ['expect' => 'DATA'], ['send' => "250 ok\r\n"], ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]], "250 instead of 354");
run([['send' => "220 hi\r\n"], ['expect' => 'EHLO'], ['send' => "250 ok\r\n"], ['expect' => 'MAIL'], ['send' => "250 ok\r\n"],
     ['expect' => 'RCPT'], ['send' => "250 ok\r\n"], ['expect' => 'DATA'], ['send' => "354 go\r\n"], ['read_data' => true],
     ['send' => "250 2.0.0 queued as Q1\r\n"], ['expect' => 'QUIT'], ['close' => true]], "QUIT dropped");
?>
--EXPECTF--
421 to EHLO: false | EHLO client.example.test | 421 4.3.2 shutting down
   wire: EHLO client.example.test|
EHLO dropped: false | EHLO client.example.test | the server closed the connection at ehlo
   wire: EHLO client.example.test|
450 to EHLO: false | EHLO client.example.test | 450 4.7.1 try later
   wire: EHLO client.example.test|QUIT|
554 greeting: false | connect | 554 5.7.1 no service for you
   wire: QUIT|
mixed codes: false | connect | protocol error at greeting: reply lines carry different codes (220 then 221)
   wire: 
garbage greeting: false | connect | protocol error at greeting: malformed reply line: "hello there"
   wire: 
dropped in DATA: false | . | the server closed the connection at data
   wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|%A
250 instead of 354: false | DATA | 250 ok
   wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|QUIT|
QUIT dropped: true | QUIT | 250 2.0.0 queued as Q1
   wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|%s|.|QUIT|
