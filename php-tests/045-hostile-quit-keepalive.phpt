--TEST--
Hostile servers, after the message: QUIT answered with 221, 250, 500, garbage, silence, a hang-up or a reset (success, sent once); the end-of-data reply after the timeout with keep-alive (the next message opens a new connection)
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

$late = [...h_envelope(), ['expect' => 'DATA'], ['send' => "354 go\r\n"], ['read_data' => true], ['sleep' => 1.8],
    ['send' => "250 2.0.0 Ok: queued as LATE\r\n"], ['read_until_close' => true]];
echo "=== keep-alive after a timeout\n";
// With keep-alive, the connection that timed out is dropped: the next message opens a new one
// (its log starts with EHLO), and the first message is not sent again.
foreach (['message' => 'send', 'send' => 'message'] as $first => $call) {
    $r = hostile("keep-alive: the end-of-data reply after the timeout ($first), then a $call", [['per_connection' => [
        $late, [...h_happy()]]]], $first, ['timeout' => 1.5, 'min' => 1.1, 'max' => 3.5, 'keepalive' => true, 'continue' => true, 'connections' => 2]);
    echo "then $call:\n";
    h_call($r['m'], $call, ['max' => 3.0]);
    $r['m']->close();
    $log = scripted_log($r['srv']);
    echo "wire: ", h_wire($log), "\n", scripted_errors($r['srv']);
    $second = substr($log, strpos($log, "\r\n.\r\n") + 5);
    echo "second connection starts with EHLO: ", var_export(str_starts_with($second, "EHLO " . HOSTILE_HELO . "\r\n"), true),
        ", messages: ", substr_count($log, "\r\n.\r\n"), "\n";
}

echo "=== QUIT (the message was accepted: success, sent once)\n";
foreach ([
    "QUIT answered with 221" => h_quit(),
    "QUIT answered with 250" => h_quit("250 2.0.0 fine\r\n"),
    "QUIT answered with 500" => h_quit("500 5.5.1 what?\r\n"),
    "QUIT answered with garbage" => h_quit("bye!\r\n"),
    "QUIT answered by closing" => [['expect' => 'QUIT'], ['close' => true]],
    "QUIT answered by a reset" => [['expect' => 'QUIT'], ['close' => 'reset']],
    "closed before QUIT" => [['close' => true]],
] as $label => $end) {
    foreach (['message', 'send'] as $call) {
        // A server that hangs up at once may or may not read the client's QUIT first.
        $o = $label === "closed before QUIT" ? ['wire' => fn($w) => (str_ends_with($w, 'QUIT|') ? substr($w, 0, -5) : $w) . '(QUIT| or not)'] : [];
        sent_once(hostile("$label, $call", [...h_envelope(), ...h_data(), ...$end], $call, $o));
    }
}
// The QUIT reply never comes: still a success, and QUIT does not hold the script beyond the timeout.
foreach (['message'] as $call) {
    sent_once(hostile("QUIT answered with silence, timeout 1, $call", [...h_envelope(), ...h_data(), ['expect' => 'QUIT'],
        ['read_until_close' => true]], $call, ['timeout' => 1, 'max' => 3.0]));
}
?>
--EXPECT--
=== keep-alive after a timeout
--- keep-alive: the end-of-data reply after the timeout (message), then a send
threw: SendMail\TimeoutException | stage data | code 0 | temporary | timed out after 1.5s waiting for the data reply
within: 1.1s <= time <= 3.5s, PHP memory +1 MiB
then send:
send: true | . | 250 2.0.0 Ok: queued as Q1
within: time <= 3s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
second connection starts with EHLO: true, messages: 2
--- keep-alive: the end-of-data reply after the timeout (send), then a message
send: false | . | timed out after 1.5s waiting for the data reply
within: 1.1s <= time <= 3.5s, PHP memory +1 MiB
then message:
receipt: queueId "Q1" | accepted a@example.test | rejected - | 250 2.0.0 Ok: queued as Q1
within: time <= 3s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
second connection starts with EHLO: true, messages: 2
=== QUIT (the message was accepted: success, sent once)
--- QUIT answered with 221, message
receipt: queueId "Q1" | accepted a@example.test | rejected - | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
DATA commands: 1, messages: 1
--- QUIT answered with 221, send
send: true | QUIT | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
DATA commands: 1, messages: 1
--- QUIT answered with 250, message
receipt: queueId "Q1" | accepted a@example.test | rejected - | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
DATA commands: 1, messages: 1
--- QUIT answered with 250, send
send: true | QUIT | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
DATA commands: 1, messages: 1
--- QUIT answered with 500, message
receipt: queueId "Q1" | accepted a@example.test | rejected - | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
DATA commands: 1, messages: 1
--- QUIT answered with 500, send
send: true | QUIT | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
DATA commands: 1, messages: 1
--- QUIT answered with garbage, message
receipt: queueId "Q1" | accepted a@example.test | rejected - | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
DATA commands: 1, messages: 1
--- QUIT answered with garbage, send
send: true | QUIT | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
DATA commands: 1, messages: 1
--- QUIT answered by closing, message
receipt: queueId "Q1" | accepted a@example.test | rejected - | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
DATA commands: 1, messages: 1
--- QUIT answered by closing, send
send: true | QUIT | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
DATA commands: 1, messages: 1
--- QUIT answered by a reset, message
receipt: queueId "Q1" | accepted a@example.test | rejected - | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
DATA commands: 1, messages: 1
--- QUIT answered by a reset, send
send: true | QUIT | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
DATA commands: 1, messages: 1
--- closed before QUIT, message
receipt: queueId "Q1" | accepted a@example.test | rejected - | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|(QUIT| or not)
DATA commands: 1, messages: 1
--- closed before QUIT, send
send: true | QUIT | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|(QUIT| or not)
DATA commands: 1, messages: 1
--- QUIT answered with silence, timeout 1, message
receipt: queueId "Q1" | accepted a@example.test | rejected - | 250 2.0.0 Ok: queued as Q1
within: time <= 3s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
DATA commands: 1, messages: 1