--TEST--
sendMessage() envelope: SIZE checked before MAIL, punycode domains without SMTPUTF8, non-ASCII local parts refused before any byte
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

function wire(array $srv): string { return str_replace("\r\n", "|", scripted_log($srv)); }
$hello = [['send' => "220 hi\r\n"], ['expect' => 'EHLO'], ['send' => "250-old.example.test\r\n250 SIZE 2000\r\n"]];

// Over the server's SIZE: refused before MAIL.
$srv = scripted_server(array_merge($hello, [['expect' => 'QUIT'], ['send' => "221 bye\r\n"]]));
$m = (new SendMail\Message)->from("me@example.test")->to("a@example.test")->text(str_repeat("x", 3000));
try { (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->sendMessage($m); } catch (SendMail\Exception $e) { echo get_class($e), ": ", $e->getMessage(), "\n"; }
echo wire($srv), "\n";

// Under it: SIZE= on MAIL; an internationalised domain in punycode, since SMTPUTF8 is not offered.
$srv = scripted_server(array_merge($hello, [
    ['expect' => 'MAIL FROM:<me@example.test> SIZE='], ['send' => "250 ok\r\n"],
    ['expect' => 'RCPT TO:<info@xn--mnchen-3ya.example>'], ['send' => "250 ok\r\n"],
    ['expect' => 'DATA'], ['send' => "354 go\r\n"], ['read_data' => true], ['send' => "250 ok\r\n"],
    ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]]));
$m = (new SendMail\Message)->from("me@example.test")->to("info@münchen.example", "Müller")->subject("s")->text("hi");
$r = (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->sendMessage($m);
var_dump($r->accepted);
$log = scripted_log($srv);
echo scripted_errors($srv);
$data = substr($log, strpos($log, "DATA\r\n") + 6);
$data = substr($data, 0, strpos($data, "\r\n.\r\n") + 2);
var_dump(preg_match('/^MAIL FROM:<me@example\.test> SIZE=(\d+)\r$/m', $log, $size) === 1, (int) $size[1] === strlen($data));
var_dump(str_contains($log, "To: =?UTF-8?B?TcO8bGxlcg==?= <info@xn--mnchen-3ya.example>\r\n"), preg_match('/[\x80-\xff]/', $log));

// A non-ASCII local part cannot be written without SMTPUTF8: refused before MAIL.
$srv = scripted_server(array_merge($hello, [['expect' => 'QUIT'], ['send' => "221 bye\r\n"]]));
$m = (new SendMail\Message)->from("me@example.test")->to("jürgen@example.test")->text("hi");
try { (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->sendMessage($m); } catch (SendMail\InvalidInputException $e) { echo get_class($e), ": ", $e->getMessage(), "\n"; }
echo wire($srv), "\n";

// With SMTPUTF8 (the sink offers it) the address goes as it is.
$r = (new SendMail("127.0.0.1:" . sink_port()))->sendMessage((new SendMail\Message)->from("me@example.test")->to("jürgen-024@example.test")->text("hi"));
$got = sink_received("jürgen-024@example.test");
var_dump($r->accepted, $got['env']['mail_options']);
?>
--EXPECTF--
SendMail\Exception: the message is %d bytes, over the server's SIZE limit of 2000
EHLO client.example.test|QUIT|
array(1) {
  [0]=>
  string(27) "info@xn--mnchen-3ya.example"
}
bool(true)
bool(true)
bool(true)
int(0)
SendMail\InvalidInputException: invalid $message: <jürgen@example.test> needs SMTPUTF8, which the server does not offer
EHLO client.example.test|QUIT|
array(1) {
  [0]=>
  string(24) "jürgen-024@example.test"
}
array(3) {
  [0]=>
  string(%d) "SIZE=%d"
  [1]=>
  string(13) "BODY=8BITMIME"
  [2]=>
  string(8) "SMTPUTF8"
}
