--TEST--
The smtp class's properties at work: $debug prints the dialogue, $log_file gets one line per step when the file exists, $time_out bounds the wait, a refused Cc leaves the mail to the others and returns false
--EXTENSIONS--
sendmail
--INI--
sendmail.aliases=send_mail,SMTP
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

echo "-- defaults\n";
$s = new SMTP("127.0.0.1", sink_port('plain'));
var_dump($s->log_file, $s->debug, $s->time_out, $s->auth, $s->user, $s->pass, $s->host_name);
// The password reads back, but never shows where objects are displayed.
$secret = new SMTP("127.0.0.1", 25, true, "u", "hunter2-062");
$shown = print_r($secret, true) . var_export($secret, true) . json_encode($secret);
ob_start();
var_dump($secret);
debug_zval_dump($secret);
$shown .= ob_get_clean();
var_dump($secret->pass, str_contains($shown, "hunter2"), substr_count($shown, '********'), get_object_vars($secret)['pass']);

echo "-- \$debug = true prints the dialogue, as SendMail's does\n";
$s->debug = true;
ob_start();
$ok = $s->sendmail("debug-062@example.test", "me@example.test", "Debug", "body");
$printed = ob_get_clean();
var_dump($ok);
var_dump(str_starts_with($printed, ">> connect to 127.0.0.1:" . sink_port('plain') . "\n<< 220 "));
foreach (["\n>> EHLO ", "\n>> MAIL FROM:<me@example.test>", "\n>> RCPT TO:<debug-062@example.test>",
          "\n>> [message: ", "\n<< 250 2.0.0 Ok: queued as ", "\n>> QUIT\n<< 221 "] as $line) {
    echo json_encode($line), ": ", str_contains($printed, $line) ? "yes" : "NO", "\n";
}
$s->debug = false;

echo "-- \$log_file: appended when the file exists, never created\n";
$log = sendmail_test_tempname('.log');
touch($log);
$s->log_file = $log;
$s->sendmail("log-062@example.test", "me@example.test", "Log", "body", "TXT", "logcc-062@example.test");
$lines = file($log, FILE_IGNORE_NEW_LINES);
$pid = getmypid();
foreach ($lines as $line) {
    // "M d H:i:s user[pid]: step", as the class wrote it.
    echo preg_match('/^[A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} [^\[]*\[' . $pid . '\]: (.*)$/', $line, $m) ? $m[1] : "BAD: $line", "\n";
}
$s->sendmail("reject-062@example.test", "me@example.test", "Log", "body");
echo implode("\n", array_map(fn ($l) => substr($l, strpos($l, ']: ') + 3), array_slice(file($log, FILE_IGNORE_NEW_LINES), count($lines)))), "\n";
unlink($log);
$s->sendmail("nolog-062@example.test", "me@example.test", "Log", "body");
var_dump(file_exists($log), $s->log_file === $log);
$s->debug = true;
ob_start();
$s->sendmail("nolog2-062@example.test", "me@example.test", "Log", "body");
var_dump(str_contains(ob_get_clean(), "Warning: Cannot open log file \"$log\""));
$s->debug = false;
$s->log_file = "";

echo "-- a refused Cc: the others get the mail, sendmail() returns false\n";
$r = $s->sendmail("part-062@example.test", "me@example.test", "Partial", "body", "TXT",
    "reject-cc-062@example.test, partcc-062@example.test", "partbcc-062@example.test");
var_dump($r, $s->lastmessage);
$a = legacy_arrival('part-062@example.test');
echo json_encode([$a['rcpt'], $a['Cc'], $a['Bcc']]), "\n";
// Every recipient refused: nothing is sent.
var_dump($s->sendmail("reject-all-062@example.test", "me@example.test", "x", "y"), $s->lastmessage);

echo "-- \$time_out bounds the wait for a silent server\n";
$srv = scripted_server([['send' => "220 silent.test ESMTP\r\n"], ['expect' => 'EHLO'], ['sleep' => 4]]);
$t = new SMTP("127.0.0.1", $srv['port']);
$t->time_out = "1";
$start = microtime(true);
var_dump($t->sendmail("slow-062@example.test", "me@example.test", "s", "b"));
$took = microtime(true) - $start;
var_dump($took > 0.8 && $took < 3.0, $t->lastmessage);
scripted_wait($srv);

echo "-- bad input is false with the reason, before any connection\n";
var_dump($s->sendmail("ok-062@example.test", "me@example.test", "s", "b", "TXT", "Boss <boss@example.test"), $s->lastmessage);
var_dump($s->sendmail("ok-062@example.test", "me@example.test", "s", "b", "TXT", "", "", "Broken header line"), $s->lastmessage);
?>
--EXPECTF--
-- defaults
string(0) ""
bool(false)
int(30)
bool(false)
string(0) ""
string(0) ""
string(9) "127.0.0.1"
string(11) "hunter2-062"
bool(false)
int(5)
string(11) "hunter2-062"
-- $debug = true prints the dialogue, as SendMail's does
bool(true)
bool(true)
"\n>> EHLO ": yes
"\n>> MAIL FROM:<me@example.test>": yes
"\n>> RCPT TO:<debug-062@example.test>": yes
"\n>> [message: ": yes
"\n<< 250 2.0.0 Ok: queued as ": yes
"\n>> QUIT\n<< 221 ": yes
-- $log_file: appended when the file exists, never created
Trying to 127.0.0.1:%d
Connected to relay host 127.0.0.1
E-mail has been sent to <log-062@example.test>
E-mail has been sent to <logcc-062@example.test>
Disconnected from remote host
Trying to 127.0.0.1:%d
Connected to relay host 127.0.0.1
Error: Cannot send email to reject-062@example.test
Error: every recipient was refused: <reject-062@example.test> 550 5.1.1 <reject-062@example.test>: Recipient address rejected
Disconnected from remote host
bool(false)
bool(true)
bool(true)
-- a refused Cc: the others get the mail, sendmail() returns false
bool(false)
string(%d) "refused <reject-cc-062@example.test>: 550 5.1.1 <reject-cc-062@example.test>: Recipient address rejected"
[["part-062@example.test","partcc-062@example.test","partbcc-062@example.test"],"reject-cc-062@example.test, partcc-062@example.test",null]
bool(false)
string(%d) "550 5.1.1 <reject-all-062@example.test>: Recipient address rejected"
-- $time_out bounds the wait for a silent server
bool(false)
bool(true)
string(%d) "timed out after 1s waiting for the ehlo reply"
-- bad input is false with the reason, before any connection
bool(false)
string(%d) "invalid $cc: %s"
bool(false)
string(%d) "invalid $additional_headers: "Broken header line" is not a header line (Name: value)"
