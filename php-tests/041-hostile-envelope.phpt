--TEST--
Hostile servers, EHLO, MAIL and RCPT: EHLO refused (HELO fallback, none when TLS is required), broken and endless replies, 421 and 4xx/5xx at MAIL, refused recipients (sendMessage() partial delivery, send() all or nothing)
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/hostile.inc';

echo "=== EHLO\n";
// 5xx to EHLO: HELO, and the transaction goes on.
hostile("EHLO refused with 502: HELO fallback", [...h_greet(), ...h_ehlo("502 5.5.1 EHLO not implemented\r\n"),
    ['expect' => 'HELO ' . HOSTILE_HELO], ['send' => "250 hostile.test\r\n"], ...h_mail(), ...h_rcpt('a@example.test'),
    ...h_data(), ...h_quit()], 'message');
// ...but never when TLS is required: HELO cannot lead to STARTTLS (see also 017).
hostile("EHLO refused with 502, setTls('required'): no HELO", [...h_greet(), ...h_ehlo("502 5.5.1 EHLO not implemented\r\n"),
    ...h_quit()], 'message', ['tls' => 'required']);
hostile("EHLO and HELO both refused", [...h_greet(), ...h_ehlo("500 5.5.2 what?\r\n"), ['expect' => 'HELO'],
    ['send' => "501 5.5.2 no\r\n"], ...h_quit()]);
// 421 and broken replies end the conversation: no HELO, no QUIT.
hostile("421 to EHLO", [...h_greet(), ...h_ehlo("421 4.3.2 shutting down\r\n"), ['sleep' => 0.2], ['close' => true]], 'message');
hostile("EHLO reply 250-a then 550 b", [...h_greet(), ...h_ehlo("250-hostile.test\r\n550 b\r\n"), ['sleep' => 0.2], ['close' => true]], 'message');
hostile("EHLO reply 250-a then 550 b, send()", [...h_greet(), ...h_ehlo("250-hostile.test\r\n550 b\r\n"), ['sleep' => 0.2], ['close' => true]]);
hostile("EHLO reply: a line of 16 MiB without CRLF", [...h_greet(), ...h_ehlo("250-hostile.test\r\n250-"), ['flood' => 16 << 20]],
    'message', ['rss' => 4 << 20]);
hostile("EHLO reply: endless continuation lines", [...h_greet(), ...h_ehlo("250-hostile.test\r\n"), ['repeat' => "250-PIPELINING\r\n"]],
    'message', ['rss' => 4 << 20]);
hostile("EHLO reply: continuation lines every 0.2 s, timeout 1", [...h_greet(), ...h_ehlo("250-hostile.test\r\n"),
    ['repeat' => "250-8BITMIME\r\n", 'interval' => 0.2]], 'message', ['timeout' => 1, 'min' => 0.75, 'max' => 3.0, 'logWait' => 0.5]);
hostile("EHLO reply never comes, timeout 1", [...h_greet(), ['expect' => 'EHLO'], ['read_until_close' => true]], 'send',
    ['timeout' => 1, 'min' => 0.75, 'max' => 3.0]);

echo "=== MAIL\n";
// 421: the server is closing the channel, so no QUIT; a plain 4xx or 5xx gets QUIT.
hostile("421 at MAIL, send()", [...h_greet(), ...h_ehlo(), ...h_mail("421 4.4.5 too busy, closing\r\n"), ['sleep' => 0.2], ['close' => true]]);
hostile("421 at MAIL, sendMessage()", [...h_greet(), ...h_ehlo(), ...h_mail("421 4.4.5 too busy, closing\r\n"), ['sleep' => 0.2], ['close' => true]], 'message');
hostile("451 at MAIL", [...h_greet(), ...h_ehlo(), ...h_mail("451 4.3.0 try again later\r\n"), ...h_quit()], 'message');
hostile("553 at MAIL", [...h_greet(), ...h_ehlo(), ...h_mail("553 5.7.1 sender not allowed\r\n"), ...h_quit()]);
hostile("MAIL reply 250-a then 550 b", [...h_greet(), ...h_ehlo(), ...h_mail("250-ok\r\n550 5.7.1 no\r\n"), ['sleep' => 0.2], ['close' => true]], 'message');
hostile("MAIL reply never comes, timeout 1", [...h_greet(), ...h_ehlo(), ['expect' => 'MAIL'], ['read_until_close' => true]], 'message',
    ['timeout' => 1, 'min' => 0.75, 'max' => 3.0]);

echo "=== RCPT\n";
$two = ['to' => 'a@example.test, b@example.test'];
// sendMessage(): the refused ones are listed, the others get the message.
hostile("550 for the second of two recipients, sendMessage()", [...h_greet(), ...h_ehlo(), ...h_mail(), ...h_rcpt('a@example.test'),
    ...h_rcpt('b@example.test', "550 5.1.1 no such user\r\n"), ...h_data(), ...h_quit()], 'message', $two);
hostile("452 for the first of two recipients, sendMessage()", [...h_greet(), ...h_ehlo(), ...h_mail(),
    ...h_rcpt('a@example.test', "452 4.2.2 mailbox full\r\n"), ...h_rcpt('b@example.test'), ...h_data(), ...h_quit()], 'message', $two);
hostile("every recipient refused (550, 452), sendMessage(): no DATA", [...h_greet(), ...h_ehlo(), ...h_mail(),
    ...h_rcpt('a@example.test', "550 5.1.1 no such user\r\n"), ...h_rcpt('b@example.test', "452 4.5.3 too many recipients\r\n"),
    ...h_quit()], 'message', $two);
// send(): all or nothing.
hostile("550 for the second of two recipients, send(): no DATA", [...h_greet(), ...h_ehlo(), ...h_mail(), ...h_rcpt('a@example.test'),
    ...h_rcpt('b@example.test', "550 5.1.1 no such user\r\n"), ...h_quit()], 'send', $two);
hostile("452 for the first of two recipients, send(): no DATA", [...h_greet(), ...h_ehlo(), ...h_mail(),
    ...h_rcpt('a@example.test', "452 4.2.2 mailbox full\r\n"), ...h_quit()], 'send', $two);
hostile("421 at RCPT", [...h_greet(), ...h_ehlo(), ...h_mail(), ...h_rcpt('a@example.test', "421 4.3.2 closing\r\n"), ['sleep' => 0.2],
    ['close' => true]], 'message', $two);
hostile("RCPT reply 250-a then 550 b", [...h_greet(), ...h_ehlo(), ...h_mail(), ...h_rcpt('a@example.test', "250-ok\r\n550 5.1.1 no\r\n"),
    ['sleep' => 0.2], ['close' => true]], 'message', $two);

echo "=== PIPELINING (sendMessage() sends MAIL, the RCPTs and DATA in one write; see also 029)\n";
$pipe = [...h_greet(), ...h_ehlo("250-hostile.test\r\n250 PIPELINING\r\n"), ['expect' => 'MAIL'], ['expect' => 'RCPT TO:<a@'],
    ['expect' => 'RCPT TO:<b@'], ['expect' => 'DATA']];
hostile("pipelined: 421 to the second RCPT", [...$pipe, ['send' => "250 ok\r\n250 ok\r\n421 4.3.2 closing\r\n"], ['sleep' => 0.2],
    ['close' => true]], 'message', $two);
hostile("pipelined: two replies of four, then a hang-up", [...$pipe, ['send' => "250 ok\r\n250 ok\r\n"], ['close' => true]], 'message', $two);
// MAIL refused, yet DATA answered with 354: the server is in its data phase, so the client
// ends the empty message at once (as when every recipient is refused) instead of sending QUIT
// into the message and waiting a whole timeout for its reply.
hostile("pipelined: MAIL refused with 550, yet DATA answered with 354", [...$pipe,
    ['send' => "550 5.7.1 sender refused\r\n250 ok\r\n250 ok\r\n354 go\r\n"], ['read_data' => true],
    ['send' => "250 2.0.0 queued (without a sender?)\r\n"], ...h_quit()], 'message', $two);
hostile("pipelined: the replies never come, timeout 1", [...$pipe, ['read_until_close' => true]], 'message',
    $two + ['timeout' => 1, 'min' => 0.75, 'max' => 3.0]);

echo "=== many refused transactions on one object: memory stays flat\n";
$n = 200;
$srv = scripted_server([...h_greet(), ...h_ehlo(), ...h_mail(), ...h_rcpt('a@example.test', "550 5.1.1 no such user\r\n"), ...h_quit()], $n, 60.0);
$m = h_mailer($srv);
$msg = (new SendMail\Message)->from(HOSTILE_FROM)->to('a@example.test')->text(str_repeat("hello\n", 10000));
$rss = fn() => preg_match('/^VmRSS:\s+(\d+) kB/m', (string) @file_get_contents('/proc/self/status'), $mm) ? (int) $mm[1] * 1024 : 0;
$classes = [];
for ($i = 0; $i < $n; $i++) {
    if ($i === 20) {
        gc_collect_cycles();
        [$mem0, $rss0] = [memory_get_usage(), $rss()];
    }
    try {
        $m->sendMessage($msg);
        $classes['receipt'] = ($classes['receipt'] ?? 0) + 1;
    } catch (SendMail\Exception $e) {
        $classes[get_class($e)] = ($classes[get_class($e)] ?? 0) + 1;
    }
}
unset($e);
gc_collect_cycles();
print_r($classes);
// Under valgrind (USE_ZEND_ALLOC=0) the heap and RSS are valgrind's: not judged.
$judged = getenv('USE_ZEND_ALLOC') !== '0';
$memGrowth = $judged ? memory_get_usage() - $mem0 : 0;
$rssGrowth = $judged ? $rss() - $rss0 : 0;
echo "after ", $n - 20, " more: PHP memory +", $memGrowth < 64 << 10 ? "< 64 KiB" : h_mib($memGrowth),
    ", RSS +", $rssGrowth < 2 << 20 ? "< 2 MiB" : h_mib($rssGrowth), "\n";
echo "connections: ", substr_count(scripted_log($srv), "EHLO "), "\n";
?>
--EXPECT--
=== EHLO
--- EHLO refused with 502: HELO fallback
receipt: queueId "Q1" | accepted a@example.test | rejected - | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|HELO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|DATA|<message>|QUIT|
--- EHLO refused with 502, setTls('required'): no HELO
threw: SendMail\Exception | stage ehlo | code 502 | permanent | ehlo refused: 502 5.5.1 EHLO not implemented
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|QUIT|
--- EHLO and HELO both refused
send: false | HELO client.example.test | 501 5.5.2 no
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|HELO client.example.test|QUIT|
--- 421 to EHLO
threw: SendMail\Exception | stage ehlo | code 421 | temporary | ehlo refused: 421 4.3.2 shutting down
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|
--- EHLO reply 250-a then 550 b
threw: SendMail\ProtocolException | stage ehlo | code 0 | permanent | protocol error at ehlo: reply lines carry different codes (250 then 550)
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|
--- EHLO reply 250-a then 550 b, send()
send: false | EHLO client.example.test | protocol error at ehlo: reply lines carry different codes (250 then 550)
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|
--- EHLO reply: a line of 16 MiB without CRLF
threw: SendMail\ProtocolException | stage ehlo | code 0 | permanent | protocol error at ehlo: reply line longer than 8192 bytes
within: time <= 2s, PHP memory +1 MiB, peak RSS +4 MiB
wire: EHLO client.example.test|
--- EHLO reply: endless continuation lines
threw: SendMail\ProtocolException | stage ehlo | code 0 | permanent | protocol error at ehlo: reply longer than 65536 bytes
within: time <= 2s, PHP memory +1 MiB, peak RSS +4 MiB
wire: EHLO client.example.test|
--- EHLO reply: continuation lines every 0.2 s, timeout 1
threw: SendMail\TimeoutException | stage ehlo | code 0 | temporary | timed out after 1s waiting for the ehlo reply
within: 0.75s <= time <= 3s, PHP memory +1 MiB
wire: EHLO client.example.test|
--- EHLO reply never comes, timeout 1
send: false | EHLO client.example.test | timed out after 1s waiting for the ehlo reply
within: 0.75s <= time <= 3s, PHP memory +1 MiB
wire: EHLO client.example.test|
=== MAIL
--- 421 at MAIL, send()
send: false | MAIL FROM:<me@example.test> | 421 4.4.5 too busy, closing
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|
--- 421 at MAIL, sendMessage()
threw: SendMail\Exception | stage mail | code 421 | temporary | mail refused: 421 4.4.5 too busy, closing
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|
--- 451 at MAIL
threw: SendMail\Exception | stage mail | code 451 | temporary | mail refused: 451 4.3.0 try again later
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|QUIT|
--- 553 at MAIL
send: false | MAIL FROM:<me@example.test> | 553 5.7.1 sender not allowed
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|QUIT|
--- MAIL reply 250-a then 550 b
threw: SendMail\ProtocolException | stage mail | code 0 | permanent | protocol error at mail: reply lines carry different codes (250 then 550)
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|
--- MAIL reply never comes, timeout 1
threw: SendMail\TimeoutException | stage mail | code 0 | temporary | timed out after 1s waiting for the mail reply
within: 0.75s <= time <= 3s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|
=== RCPT
--- 550 for the second of two recipients, sendMessage()
receipt: queueId "Q1" | accepted a@example.test | rejected b@example.test => 550 5.1.1 no such user | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|RCPT TO:<b@example.test>|DATA|<message>|QUIT|
--- 452 for the first of two recipients, sendMessage()
receipt: queueId "Q1" | accepted b@example.test | rejected a@example.test => 452 4.2.2 mailbox full | 250 2.0.0 Ok: queued as Q1
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|RCPT TO:<b@example.test>|DATA|<message>|QUIT|
--- every recipient refused (550, 452), sendMessage(): no DATA
threw: SendMail\RecipientException | stage rcpt | code 550 | permanent | every recipient was refused: <a@example.test> 550 5.1.1 no such user; <b@example.test> 452 4.5.3 too many recipients
rejected: a@example.test => 550 5.1.1 no such user; b@example.test => 452 4.5.3 too many recipients
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|RCPT TO:<b@example.test>|QUIT|
--- 550 for the second of two recipients, send(): no DATA
send: false | RCPT TO:<b@example.test> | 550 5.1.1 no such user
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|RCPT TO:<b@example.test>|QUIT|
--- 452 for the first of two recipients, send(): no DATA
send: false | RCPT TO:<a@example.test> | 452 4.2.2 mailbox full
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|QUIT|
--- 421 at RCPT
threw: SendMail\RecipientException | stage rcpt | code 421 | temporary | rcpt refused: 421 4.3.2 closing
rejected: a@example.test => 421 4.3.2 closing
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|
--- RCPT reply 250-a then 550 b
threw: SendMail\ProtocolException | stage rcpt | code 0 | permanent | protocol error at rcpt: reply lines carry different codes (250 then 550)
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|
=== PIPELINING (sendMessage() sends MAIL, the RCPTs and DATA in one write; see also 029)
--- pipelined: 421 to the second RCPT
threw: SendMail\RecipientException | stage rcpt | code 421 | temporary | rcpt refused: 421 4.3.2 closing
rejected: b@example.test => 421 4.3.2 closing
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|RCPT TO:<b@example.test>|DATA|
--- pipelined: two replies of four, then a hang-up
threw: SendMail\ProtocolException | stage rcpt | code 0 | permanent | the server closed the connection at rcpt
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|RCPT TO:<b@example.test>|DATA|
--- pipelined: MAIL refused with 550, yet DATA answered with 354
threw: SendMail\Exception | stage mail | code 550 | permanent | mail refused: 550 5.7.1 sender refused
within: time <= 2s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|RCPT TO:<b@example.test>|DATA|.|QUIT|
--- pipelined: the replies never come, timeout 1
threw: SendMail\TimeoutException | stage mail | code 0 | temporary | timed out after 1s waiting for the mail reply
within: 0.75s <= time <= 3s, PHP memory +1 MiB
wire: EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<a@example.test>|RCPT TO:<b@example.test>|DATA|
=== many refused transactions on one object: memory stays flat
Array
(
    [SendMail\RecipientException] => 200
)
after 180 more: PHP memory +< 64 KiB, RSS +< 2 MiB
connections: 200