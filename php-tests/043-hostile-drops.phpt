--TEST--
Hostile servers, hang-ups at every stage (greeting, EHLO, MAIL, RCPT, DATA, mid-DATA, after the end of data): the error names the stage, no QUIT and no HELO after a dropped connection, nothing sent twice; keep-alive reconnects only when nothing was sent and never reuses a broken connection
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/hostile.inc';

// 2 MB: more than the socket buffers hold, so the client is still writing when the server goes.
$big = str_repeat(str_repeat('x', 99) . "\n", 20000);
$stages = [
    'greeting' => [],
    'EHLO' => [...h_greet(), ['expect' => 'EHLO']],
    'MAIL' => [...h_greet(), ...h_ehlo(), ['expect' => 'MAIL']],
    'RCPT' => [...h_greet(), ...h_ehlo(), ...h_mail(), ['expect' => 'RCPT']],
    'DATA, before 354' => [...h_envelope(), ['expect' => 'DATA']],
    'mid-DATA (after its headers)' => [...h_envelope(), ['expect' => 'DATA'], ['send' => "354 go\r\n"], ['read_until' => "\r\nSubject: "]],
    'mid-DATA (a 2 MB message, after 10000 bytes)' => [...h_envelope(), ['expect' => 'DATA'], ['send' => "354 go\r\n"], ['read_bytes' => 10000]],
    'after the end of data, before its reply' => [...h_envelope(), ['expect' => 'DATA'], ['send' => "354 go\r\n"], ['read_data' => true]],
];
foreach ($stages as $stage => $steps) {
    // How much of the 2 MB the server's reader took in before the hang-up depends on scheduling.
    $o = str_contains($stage, '2 MB') ? ['body' => $big, 'wire' => fn($w) => preg_replace('/DATA\|(<message>\||<partial message>)$/',
        'DATA|<the message, or part of it>', $w)] : [];
    hostile("closed at $stage", [...$steps, ['close' => true]], 'message', $o);
    hostile("closed at $stage, send()", [...$steps, ['close' => true]], 'send', $o);
    hostile("reset at $stage", [...$steps, ['close' => 'reset']], 'message', $o);
}

// Keep-alive reconnects once when a kept connection went stale before MAIL was accepted, but a
// message whose connection died after it went out is never sent again: the second connection
// (served by the same script) sees nothing within half a second.
foreach (['mid-DATA (after its headers)', 'after the end of data, before its reply'] as $stage) {
    foreach (['message', 'send'] as $call) {
        hostile("keep-alive, closed at $stage, $call", [...$stages[$stage], ['close' => true]], $call,
            ['keepalive' => true, 'connections' => 2, 'logWait' => 0.5]);
    }
}

// The case where a resend could happen: the kept connection carried one message and dies after
// the second went out. The second is not sent again on a new connection.
foreach (['mid-DATA (after its headers)' => [['read_until' => "\r\nSubject: "]],
          'after the end of data, before its reply' => [['read_data' => true]]] as $stage => $end) {
    $first = [...h_envelope(), ...h_data(), ...h_mail(), ...h_rcpt('a@example.test'), ['expect' => 'DATA'], ['send' => "354 go\r\n"],
        ...$end, ['close' => true]];
    $r = hostile("keep-alive, the reused connection closed at $stage", [['per_connection' => [$first, [...h_happy()]]]], 'message',
        ['keepalive' => true, 'continue' => true, 'connections' => 2]);
    echo "second message:\n";
    h_call($r['m'], 'message');
    $r['m']->close();
    $log = scripted_log($r['srv'], 0.5);
    echo "wire: ", h_wire($log), "\n", scripted_errors($r['srv']);
    echo "connections: ", substr_count($log, "EHLO "), ", messages: ", substr_count($log, "\r\n.\r\n"), "\n";
}

// sendBatch() follows the same rule: a message is retried once on another connection when its
// connection died before MAIL was accepted, never once it went out.
$batchMessage = (new SendMail\Message)->from(HOSTILE_FROM)->to('a@example.test')->subject('batch')->text("hello\n");
foreach (['MAIL' => $stages['MAIL'], 'after the end of data, before its reply' => $stages['after the end of data, before its reply']]
         as $stage => $steps) {
    echo "--- sendBatch(), closed at $stage\n";
    $srv = scripted_server([...$steps, ['close' => true]], 3);
    $t0 = microtime(true);
    $results = h_mailer($srv)->sendBatch(['k' => $batchMessage], 1);
    $took = microtime(true) - $t0;
    foreach ($results as $key => $r) {
        echo "$key: ", get_class($r), " | stage ", $r->getStage(), " | ", h_text($r->getMessage()), "\n";
    }
    echo $took <= 2.0 ? "within: time <= 2s\n" : sprintf("OUT OF BOUNDS: took %.2fs\n", $took);
    echo "wire: ", h_wire(scripted_log($srv, 0.5)), "\n";
}

// The other side of that rule: a kept connection answering 421 to the next MAIL is replaced
// once, and only once.
$first = [...h_envelope(), ...h_data(), ...h_mail("421 4.4.2 idle too long, closing\r\n"), ['sleep' => 0.2], ['close' => true]];
foreach (['the new connection works' => [...h_envelope(), ...h_data(), ...h_quit()],
          'the new connection says 421 too' => [...h_greet(), ...h_ehlo(), ...h_mail("421 4.4.2 still busy\r\n"), ['sleep' => 0.2], ['close' => true]]]
         as $label => $second) {
    $r = hostile("keep-alive, 421 to the second MAIL, $label", [['per_connection' => [$first, $second]]], 'message',
        ['keepalive' => true, 'continue' => true, 'connections' => 3]);
    echo "second message:\n";
    h_call($r['m'], 'message');
    $r['m']->close();
    $log = scripted_log($r['srv'], 0.5);
    echo "wire: ", h_wire($log), "\n", scripted_errors($r['srv']);
    echo "connections: ", substr_count($log, "EHLO "), ", messages: ", substr_count($log, "\r\n.\r\n"), "\n";
}

// A kept connection is reused only while it is sound: after a broken reply, after an RSET that
// got a hang-up, and after a 421 the server sent while idle, the next message opens a new one.
$second = [...h_envelope(), ...h_data(), ...h_quit()];
foreach ([
    "broken reply at MAIL" => [...h_greet(), ...h_ehlo(), ...h_mail("250-ok\r\n550 5.7.1 no\r\n"), ['read_until_close' => true]],
    "RSET after a refused recipient answered by a hang-up" => [...h_greet(), ...h_ehlo(), ...h_mail(),
        ...h_rcpt('a@example.test', "550 5.1.1 no such user\r\n"), ['expect' => 'RSET'], ['close' => true]],
    "421 sent while idle, then a hang-up" => [...h_envelope(), ...h_data(), ['send' => "421 4.4.2 idle too long\r\n"], ['close' => true]],
] as $label => $first) {
    $r = hostile("keep-alive, $label", [['per_connection' => [$first, $second]]], 'message',
        ['keepalive' => true, 'continue' => true, 'connections' => 3]);
    usleep(100000);
    echo "second message:\n";
    h_call($r['m'], 'message');
    $r['m']->close();
    $log = scripted_log($r['srv'], 0.5);
    // Whether the MAIL the client may send on the old connection reaches the server's log before
    // its hang-up depends on scheduling; either way the client must then open a new connection.
    echo "wire: ", preg_replace('/(<message>\|)(MAIL FROM:<me@example\.test>\|)?(?=EHLO )/', '$1<MAIL FROM| or not>', h_wire($log), 1),
        "\n", scripted_errors($r['srv']);
    echo "connections: ", substr_count($log, "EHLO "), ", messages: ", substr_count($log, "\r\n.\r\n"), "\n";
}
?>
--EXPECT--
--- closed at greeting
threw: SendMail\ProtocolException | stage greeting | code 0 | permanent | the server closed the connection at greeting
within: time <= 2s, PHP memory +1 MiB
wire: 
--- closed at greeting, send()
send: false | connect | the server closed the connection at greeting
within: time <= 2s, PHP memory +1 MiB
wire: 
--- reset at greeting
threw: SendMail\ProtocolException | stage greeting | code 0 | permanent | the server closed the connection at greeting
within: time <= 2s, PHP memory +1 MiB
wire: 
--- closed at EHLO
threw: SendMail\ProtocolException | stage ehlo | code 0 | permanent | the server closed the connection at ehlo
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|
--- closed at EHLO, send()
send: false | EHLO client.example.test | the server closed the connection at ehlo
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|
--- reset at EHLO
threw: SendMail\ProtocolException | stage ehlo | code 0 | permanent | the server closed the connection at ehlo
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|
--- closed at MAIL
threw: SendMail\ProtocolException | stage mail | code 0 | permanent | the server closed the connection at mail
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|
--- closed at MAIL, send()
send: false | MAIL FROM:<me@example.test> | the server closed the connection at mail
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|
--- reset at MAIL
threw: SendMail\ProtocolException | stage mail | code 0 | permanent | the server closed the connection at mail
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|
--- closed at RCPT
threw: SendMail\ProtocolException | stage rcpt | code 0 | permanent | the server closed the connection at rcpt
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|
--- closed at RCPT, send()
send: false | RCPT TO:<a@example.test> | the server closed the connection at rcpt
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|
--- reset at RCPT
threw: SendMail\ProtocolException | stage rcpt | code 0 | permanent | the server closed the connection at rcpt
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|
--- closed at DATA, before 354
threw: SendMail\ProtocolException | stage data | code 0 | permanent | the server closed the connection at data
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|
--- closed at DATA, before 354, send()
send: false | DATA | the server closed the connection at data
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|
--- reset at DATA, before 354
threw: SendMail\ProtocolException | stage data | code 0 | permanent | the server closed the connection at data
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|
--- closed at mid-DATA (after its headers)
threw: SendMail\ProtocolException | stage data | code 0 | permanent | the server closed the connection at data
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|
--- closed at mid-DATA (after its headers), send()
send: false | . | the server closed the connection at data
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|
--- reset at mid-DATA (after its headers)
threw: SendMail\ProtocolException | stage data | code 0 | permanent | the server closed the connection at data
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|
--- closed at mid-DATA (a 2 MB message, after 10000 bytes)
threw: SendMail\ProtocolException | stage data | code 0 | permanent | the server closed the connection at data
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<the message, or part of it>
--- closed at mid-DATA (a 2 MB message, after 10000 bytes), send()
send: false | . | the server closed the connection at data
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<the message, or part of it>
--- reset at mid-DATA (a 2 MB message, after 10000 bytes)
threw: SendMail\ProtocolException | stage data | code 0 | permanent | the server closed the connection at data
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<the message, or part of it>
--- closed at after the end of data, before its reply
threw: SendMail\ProtocolException | stage data | code 0 | permanent | the server closed the connection at data
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|
--- closed at after the end of data, before its reply, send()
send: false | . | the server closed the connection at data
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|
--- reset at after the end of data, before its reply
threw: SendMail\ProtocolException | stage data | code 0 | permanent | the server closed the connection at data
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|
--- keep-alive, closed at mid-DATA (after its headers), message
threw: SendMail\ProtocolException | stage data | code 0 | permanent | the server closed the connection at data
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|
--- keep-alive, closed at mid-DATA (after its headers), send
send: false | . | the server closed the connection at data
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|
--- keep-alive, closed at after the end of data, before its reply, message
threw: SendMail\ProtocolException | stage data | code 0 | permanent | the server closed the connection at data
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|
--- keep-alive, closed at after the end of data, before its reply, send
send: false | . | the server closed the connection at data
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|
--- keep-alive, the reused connection closed at mid-DATA (after its headers)
receipt: queueId "Q1" | accepted a@example.test | rejected - | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
second message:
threw: SendMail\ProtocolException | stage data | code 0 | permanent | the server closed the connection at data
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|
connections: 1, messages: 2
--- keep-alive, the reused connection closed at after the end of data, before its reply
receipt: queueId "Q1" | accepted a@example.test | rejected - | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
second message:
threw: SendMail\ProtocolException | stage data | code 0 | permanent | the server closed the connection at data
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|
connections: 1, messages: 2
--- sendBatch(), closed at MAIL
k: SendMail\ProtocolException | stage mail | the server closed the connection at mail
within: time <= 2s
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|EHLO client.example.test|MAIL FROM:<me@example.test>|
--- sendBatch(), closed at after the end of data, before its reply
k: SendMail\ProtocolException | stage data | the server closed the connection at data
within: time <= 2s
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|
--- keep-alive, 421 to the second MAIL, the new connection works
receipt: queueId "Q1" | accepted a@example.test | rejected - | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
second message:
receipt: queueId "Q1" | accepted a@example.test | rejected - | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|MAIL FROM:<me@example.test>|EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
connections: 2, messages: 2
--- keep-alive, 421 to the second MAIL, the new connection says 421 too
receipt: queueId "Q1" | accepted a@example.test | rejected - | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
second message:
threw: SendMail\Exception | stage mail | code 421 | temporary | mail refused: 421 4.4.2 still busy
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|MAIL FROM:<me@example.test>|EHLO client.example.test|MAIL FROM:<me@example.test>|
connections: 2, messages: 1
--- keep-alive, broken reply at MAIL
threw: SendMail\ProtocolException | stage mail | code 0 | permanent | protocol error at mail: reply lines carry different codes (250 then 550)
within: time <= 2s, PHP memory +1 MiB
second message:
receipt: queueId "Q1" | accepted a@example.test | rejected - | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
connections: 2, messages: 1
--- keep-alive, RSET after a refused recipient answered by a hang-up
threw: SendMail\RecipientException | stage rcpt | code 550 | permanent | every recipient was refused: <a@example.test> 550 5.1.1 no such user
rejected: a@example.test => 550 5.1.1 no such user
within: time <= 2s, PHP memory +1 MiB
second message:
receipt: queueId "Q1" | accepted a@example.test | rejected - | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|RSET|EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
connections: 2, messages: 1
--- keep-alive, 421 sent while idle, then a hang-up
receipt: queueId "Q1" | accepted a@example.test | rejected - | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
second message:
receipt: queueId "Q1" | accepted a@example.test | rejected - | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|<MAIL FROM| or not>EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
connections: 2, messages: 2