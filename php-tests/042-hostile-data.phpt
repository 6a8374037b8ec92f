--TEST--
Hostile servers, DATA: no 354, 250 instead of 354, a server that stops reading, refusals and broken replies after the end of data, the reply arriving after the timeout (never resent)
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/hostile.inc';

/** The wire once more, as counts: how often the message went. */
function sent_once(array $r): void
{
    echo "DATA commands: ", substr_count($r['log'], "DATA\r\n"), ", messages: ", substr_count($r['log'], "\r\n.\r\n"), "\n";
}

echo "=== DATA\n";
hostile("DATA answered with silence, timeout 1", [...h_envelope(), ['expect' => 'DATA'], ['read_until_close' => true]], 'message',
    ['timeout' => 1, 'min' => 0.75, 'max' => 3.0]);
hostile("250 instead of 354", [...h_envelope(), ['expect' => 'DATA'], ['send' => "250 ok\r\n"], ...h_quit()], 'message');
hostile("250 instead of 354, send()", [...h_envelope(), ['expect' => 'DATA'], ['send' => "250 ok\r\n"], ...h_quit()]);
hostile("554 to DATA", [...h_envelope(), ['expect' => 'DATA'], ['send' => "554 5.5.1 no valid recipients\r\n"], ...h_quit()], 'message');
hostile("DATA reply 354-a then 250 b", [...h_envelope(), ['expect' => 'DATA'], ['send' => "354-go\r\n250 b\r\n"],
    ['read_until_close' => true]], 'message');

// A server that stops reading while the message goes out: the deadline holds for writes too.
$big = str_repeat(str_repeat('x', 99) . "\n", 160000);
foreach (['message'] as $call) {
    $r = hostile("the server stops reading in the middle of a 16 MB message, timeout 1, $call", [...h_envelope(), ['expect' => 'DATA'],
        ['send' => "354 go\r\n"], ['pause_reading' => 2.5], ['read_data' => true], ...h_quit()], $call,
        ['body' => $big, 'timeout' => 1, 'min' => 0.75, 'max' => 3.0, 'logWait' => 0.3]);
}
unset($big);

echo "=== the end of data\n";
$r = hostile("554 after the end of data", [...h_envelope(), ...h_data("554 5.7.1 spam\r\n"), ...h_quit()], 'message');
sent_once($r);
$r = hostile("554 after the end of data, send()", [...h_envelope(), ...h_data("554 5.7.1 spam\r\n"), ...h_quit()]);
sent_once($r);
$r = hostile("451 after the end of data", [...h_envelope(), ...h_data("451 4.3.0 try later\r\n"), ...h_quit()], 'message');
sent_once($r);
// The message's fate is unknown after these: no QUIT, no second try.
$r = hostile("end-of-data reply 250-a then 550 b", [...h_envelope(), ...h_data("250-2.0.0 queued\r\n550 5.0.0 not\r\n"),
    ['sleep' => 0.2], ['close' => true]], 'message');
sent_once($r);
$r = hostile("end-of-data reply: 16 MiB without CRLF", [...h_envelope(), ...h_data("250 "), ['flood' => 16 << 20]], 'message',
    ['rss' => 4 << 20]);
sent_once($r);
$r = hostile("end-of-data reply never comes, timeout 1", [...h_envelope(), ['expect' => 'DATA'], ['send' => "354 go\r\n"],
    ['read_data' => true], ['read_until_close' => true]], 'message', ['timeout' => 1, 'min' => 0.75, 'max' => 3.0]);
sent_once($r);
$late = [...h_envelope(), ['expect' => 'DATA'], ['send' => "354 go\r\n"], ['read_data' => true], ['sleep' => 1.8],
    ['send' => "250 2.0.0 Ok: queued as LATE\r\n"], ['read_until_close' => true]];
$r = hostile("end-of-data reply after the timeout (1.8 s, timeout 1.5)", $late, 'message', ['timeout' => 1.5, 'min' => 1.1, 'max' => 3.5]);
sent_once($r);
$r = hostile("end-of-data reply after the timeout (1.8 s, timeout 1.5), send()", $late, 'send', ['timeout' => 1.5, 'min' => 1.1, 'max' => 3.5]);
sent_once($r);

?>
--EXPECT--
=== DATA
--- DATA answered with silence, timeout 1
threw: SendMail\TimeoutException | stage data | code 0 | temporary | timed out after 1s waiting for the data reply
within: 0.75s <= time <= 3s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|
--- 250 instead of 354
threw: SendMail\Exception | stage data | code 250 | permanent | data refused: 250 ok
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|QUIT|
--- 250 instead of 354, send()
send: false | DATA | 250 ok
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|QUIT|
--- 554 to DATA
threw: SendMail\Exception | stage data | code 554 | permanent | data refused: 554 5.5.1 no valid recipients
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|QUIT|
--- DATA reply 354-a then 250 b
threw: SendMail\ProtocolException | stage data | code 0 | permanent | protocol error at data: reply lines carry different codes (354 then 250)
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|
--- the server stops reading in the middle of a 16 MB message, timeout 1, message
threw: SendMail\TimeoutException | stage data | code 0 | temporary | timed out after 1s waiting for the data reply
within: 0.75s <= time <= 3s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<partial message>
=== the end of data
--- 554 after the end of data
threw: SendMail\Exception | stage data | code 554 | permanent | data refused: 554 5.7.1 spam
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
DATA commands: 1, messages: 1
--- 554 after the end of data, send()
send: false | . | 554 5.7.1 spam
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
DATA commands: 1, messages: 1
--- 451 after the end of data
threw: SendMail\Exception | stage data | code 451 | temporary | data refused: 451 4.3.0 try later
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
DATA commands: 1, messages: 1
--- end-of-data reply 250-a then 550 b
threw: SendMail\ProtocolException | stage data | code 0 | permanent | protocol error at data: reply lines carry different codes (250 then 550)
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|
DATA commands: 1, messages: 1
--- end-of-data reply: 16 MiB without CRLF
threw: SendMail\ProtocolException | stage data | code 0 | permanent | protocol error at data: reply line longer than 8192 bytes
within: time <= 2s, PHP memory +1 MiB, peak RSS +4 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|
DATA commands: 1, messages: 1
--- end-of-data reply never comes, timeout 1
threw: SendMail\TimeoutException | stage data | code 0 | temporary | timed out after 1s waiting for the data reply
within: 0.75s <= time <= 3s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|
DATA commands: 1, messages: 1
--- end-of-data reply after the timeout (1.8 s, timeout 1.5)
threw: SendMail\TimeoutException | stage data | code 0 | temporary | timed out after 1.5s waiting for the data reply
within: 1.1s <= time <= 3.5s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|
DATA commands: 1, messages: 1
--- end-of-data reply after the timeout (1.8 s, timeout 1.5), send()
send: false | . | timed out after 1.5s waiting for the data reply
within: 1.1s <= time <= 3.5s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|
DATA commands: 1, messages: 1