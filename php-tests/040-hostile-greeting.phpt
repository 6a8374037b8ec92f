--TEST--
Hostile servers, the greeting: refusals, garbage, silence, slow drip, endless continuation lines, a flood without CRLF, hang-ups (outcome, time, memory and wire)
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/hostile.inc';

// A server that never accepts: its listen queue is full, so the connection never opens.
echo "--- a listener that never accepts, timeout 1\n";
$listener = stream_socket_server("tcp://127.0.0.1:0", $errno, $errstr, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN,
    stream_context_create(['socket' => ['backlog' => 0]]));
$port = (int) substr(strrchr(stream_socket_get_name($listener, false), ':'), 1);
$fillers = [];
while (count($fillers) < 8 && ($c = @stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 0.3))) {
    $fillers[] = $c;
}
$m = (new SendMail("127.0.0.1:$port", HOSTILE_HELO))->setTimeout(1);
// A server out of reach is worth trying again later: isTemporary().
h_call($m, 'message', ['min' => 0.75, 'max' => 3.0]);
echo "queue filled by ", count($fillers) < 8 ? "fewer than 8" : "8 or more (the test proves nothing)", " connections\n";
unset($fillers, $listener);

// Refusals: 554 gets QUIT (RFC 5321 3.1), 421 does not (the server is closing).
hostile("554 greeting, send()", [...h_greet("554 5.7.1 no service for you\r\n"), ...h_quit()]);
hostile("554 greeting, sendMessage()", [...h_greet("554 5.7.1 no service for you\r\n"), ...h_quit()], 'message');
hostile("421 greeting, sendMessage()", [...h_greet("421 4.3.2 too busy\r\n"), ['sleep' => 0.2], ['close' => true]], 'message');

// Garbage: nothing goes back to a server that does not speak SMTP.
hostile("text greeting", [...h_greet("hello there\r\n"), ['read_until_close' => true]]);
hostile("binary greeting", [['send_hex' => "00ff3232300d0a"], ['read_until_close' => true]], 'message');
hostile("HTTP server", [...h_greet("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"), ['read_until_close' => true]], 'message');

// Multi-line greetings: a well-formed one works; one whose lines carry different codes is broken.
hostile("multi-line greeting", [...h_greet("220-hostile.test ESMTP\r\n220-welcome\r\n220 really\r\n"), ...h_ehlo(), ...h_mail(),
    ...h_rcpt('a@example.test'), ...h_data(), ...h_quit()], 'message');
hostile("greeting in pieces", [['send' => "22"], ['sleep' => 0.2], ['send' => "0-hostile.test\r"], ['sleep' => 0.2],
    ['send' => "\n220 ok\r\n"], ...h_ehlo(), ...h_mail(), ...h_rcpt('a@example.test'), ...h_data(), ...h_quit()]);
hostile("greeting 220-a then 554 b", [...h_greet("220-hostile.test\r\n554 b\r\n"), ['read_until_close' => true]], 'message');

// Silence and slowness: the deadline covers the whole reply, however the bytes trickle in.
hostile("silent server, timeout 1", [['read_until_close' => true]], 'message', ['timeout' => 1, 'min' => 0.75, 'max' => 3.0]);
hostile("greeting dripped at 1 byte/s, timeout 2", [['drip' => "220 slow.test ESMTP\r\n", 'interval' => 1.0]], 'message',
    ['timeout' => 2, 'min' => 1.5, 'max' => 4.0, 'logWait' => 0.5]);
hostile("endless continuation lines, one every 0.2 s, timeout 1", [['repeat' => "220-x\r\n", 'interval' => 0.2]], 'send',
    ['timeout' => 1, 'min' => 0.75, 'max' => 3.0, 'logWait' => 0.5]);

// Endless input: the client stops reading at its caps instead of buffering.
hostile("endless continuation lines at full speed", [['repeat' => "220-x\r\n"]], 'message', ['rss' => 4 << 20]);
hostile("16 MiB greeting line without CRLF", [['flood' => 16 << 20]], 'message', ['rss' => 4 << 20]);
hostile("16 MiB greeting line without CRLF, send()", [['send' => "220"], ['flood' => 16 << 20]], 'send', ['rss' => 4 << 20]);

// Hang-ups before or during the greeting.
hostile("closed before the greeting", [['close' => true]], 'message');
hostile("reset before the greeting", [['close' => 'reset']], 'message');
hostile("closed in the middle of the greeting", [['send' => "220-hostile.test\r\n220 wel"], ['close' => true]], 'send');
?>
--EXPECT--
--- a listener that never accepts, timeout 1
threw: SendMail\ConnectException | stage connect | code 0 | temporary | connect to 127.0.0.1:<port>: timed out
within: 0.75s <= time <= 3s, PHP memory +1 MiB
queue filled by fewer than 8 connections
--- 554 greeting, send()
send: false | connect | 554 5.7.1 no service for you
within: time <= 2s, PHP memory +1 MiB
wire: QUIT|
--- 554 greeting, sendMessage()
threw: SendMail\Exception | stage greeting | code 554 | permanent | greeting refused: 554 5.7.1 no service for you
within: time <= 2s, PHP memory +1 MiB
wire: QUIT|
--- 421 greeting, sendMessage()
threw: SendMail\Exception | stage greeting | code 421 | temporary | greeting refused: 421 4.3.2 too busy
within: time <= 2s, PHP memory +1 MiB
wire: 
--- text greeting
send: false | connect | protocol error at greeting: malformed reply line: "hello there"
within: time <= 2s, PHP memory +1 MiB
wire: 
--- binary greeting
threw: SendMail\ProtocolException | stage greeting | code 0 | permanent | protocol error at greeting: malformed reply line: "\0\357\277\275220"
within: time <= 2s, PHP memory +1 MiB
wire: 
--- HTTP server
threw: SendMail\ProtocolException | stage greeting | code 0 | permanent | protocol error at greeting: malformed reply line: "HTTP/1.1 400 Bad Request"
within: time <= 2s, PHP memory +1 MiB
wire: 
--- multi-line greeting
receipt: queueId "Q1" | accepted a@example.test | rejected - | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
--- greeting in pieces
send: true | QUIT | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
--- greeting 220-a then 554 b
threw: SendMail\ProtocolException | stage greeting | code 0 | permanent | protocol error at greeting: reply lines carry different codes (220 then 554)
within: time <= 2s, PHP memory +1 MiB
wire: 
--- silent server, timeout 1
threw: SendMail\TimeoutException | stage greeting | code 0 | temporary | timed out after 1s waiting for the greeting reply
within: 0.75s <= time <= 3s, PHP memory +1 MiB
wire: 
--- greeting dripped at 1 byte/s, timeout 2
threw: SendMail\TimeoutException | stage greeting | code 0 | temporary | timed out after 2s waiting for the greeting reply
within: 1.5s <= time <= 4s, PHP memory +1 MiB
wire: 
--- endless continuation lines, one every 0.2 s, timeout 1
send: false | connect | timed out after 1s waiting for the greeting reply
within: 0.75s <= time <= 3s, PHP memory +1 MiB
wire: 
--- endless continuation lines at full speed
threw: SendMail\ProtocolException | stage greeting | code 0 | permanent | protocol error at greeting: reply longer than 65536 bytes
within: time <= 2s, PHP memory +1 MiB, peak RSS +4 MiB
wire: 
--- 16 MiB greeting line without CRLF
threw: SendMail\ProtocolException | stage greeting | code 0 | permanent | protocol error at greeting: reply line longer than 8192 bytes
within: time <= 2s, PHP memory +1 MiB, peak RSS +4 MiB
wire: 
--- 16 MiB greeting line without CRLF, send()
send: false | connect | protocol error at greeting: reply line longer than 8192 bytes
within: time <= 2s, PHP memory +1 MiB, peak RSS +4 MiB
wire: 
--- closed before the greeting
threw: SendMail\ProtocolException | stage greeting | code 0 | permanent | the server closed the connection at greeting
within: time <= 2s, PHP memory +1 MiB
wire: 
--- reset before the greeting
threw: SendMail\ProtocolException | stage greeting | code 0 | permanent | the server closed the connection at greeting
within: time <= 2s, PHP memory +1 MiB
wire: 
--- closed in the middle of the greeting
send: false | connect | the server closed the connection at greeting
within: time <= 2s, PHP memory +1 MiB
wire: