--TEST--
SendMail\Message errors: header injection in every field, unsafe attachments, and typed exceptions from sendMessage()
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

// Header injection: every field, every dangerous character, refused when given.
$bad = ["CR" => "\r", "LF" => "\n", "NUL" => "\0", "U+2028" => "\u{2028}"];
$calls = [
    'from address' => fn($m, $c) => $m->from("a{$c}@example.test"),
    'from name'    => fn($m, $c) => $m->from("a@example.test", "N{$c}Bcc: x@evil.test"),
    'to address'   => fn($m, $c) => $m->to("a@example.test{$c}"),
    'to name'      => fn($m, $c) => $m->to("a@example.test", "N{$c}"),
    'cc'           => fn($m, $c) => $m->cc("a{$c}@example.test"),
    'bcc'          => fn($m, $c) => $m->bcc("a{$c}@example.test"),
    'replyTo'      => fn($m, $c) => $m->replyTo("a@example.test", "{$c}N"),
    'subject'      => fn($m, $c) => $m->subject("Hi{$c}Bcc: x@evil.test"),
    'header name'  => fn($m, $c) => $m->header("X-A{$c}", "v"),
    'header value' => fn($m, $c) => $m->header("X-A", "v{$c}Bcc: x@evil.test"),
    'attach name'  => fn($m, $c) => $m->attachData("x", "a{$c}.txt"),
    'content type' => fn($m, $c) => $m->attachData("x", "a.txt", "text/plain{$c}"),
];
$refused = 0;
foreach ($calls as $field => $call) {
    foreach ($bad as $name => $c) {
        try {
            $call(new SendMail\Message, $c);
            echo "NOT REFUSED: $field with $name\n";
        } catch (SendMail\InvalidInputException $e) {
            $refused++;
        }
    }
}
echo "$refused of ", count($calls) * count($bad), " refused\n";
try { (new SendMail\Message)->subject("a\nb"); } catch (SendMail\InvalidInputException $e) { echo $e->getMessage(), " | ", $e->getStage(), "\n"; }
try { (new SendMail\Message)->header("Bcc", "x@evil.test"); } catch (SendMail\InvalidInputException $e) { echo $e->getMessage(), "\n"; }

// Attachments: real files only.
foreach (["phar:///tmp/x.phar/a.txt", "php://memory", "http://example.test/a.pdf", "/nonexistent/a.pdf", __DIR__] as $path) {
    try {
        (new SendMail\Message)->attach($path);
        echo "NOT REFUSED: $path\n";
    } catch (SendMail\InvalidInputException $e) {
        echo str_replace(__DIR__, '<dir>', $e->getMessage()), "\n";
    }
}

function msg(string $to): SendMail\Message {
    return (new SendMail\Message)->from("me@example.test")->to($to)->subject("s")->text("body");
}
function show(Throwable $e): void {
    echo get_class($e), " | code=", $e->getCode(), " stage=", $e->getStage(), " enhanced=", var_export($e->getEnhancedCode(), true),
         " temporary=", var_export($e->isTemporary(), true), " line=", $e->getLine(), "\n   ", $e->getMessage(), "\n";
}

// Not ready: no sender.
try { (new SendMail("127.0.0.1:" . sink_port()))->sendMessage((new SendMail\Message)->to("a@example.test")); } catch (SendMail\Exception $e) { show($e); }
// Nothing listens.
$l = stream_socket_server("tcp://127.0.0.1:0");
$closed = (int) substr(strrchr(stream_socket_get_name($l, false), ':'), 1);
fclose($l);
try { (new SendMail("127.0.0.1:$closed"))->sendMessage(msg("a@example.test")); } catch (SendMail\ConnectException $e) { show($e); }
// Wrong password.
[$user] = sink_credentials();
try {
    (new SendMail("127.0.0.1:" . sink_port('tls')))->setCaFile(test_cert('ca.pem'))->setAuth($user, "wrong")->sendMessage(msg("a@example.test"));
} catch (SendMail\AuthException $e) { show($e); }
// Every recipient refused; then some refused (4xx and 5xx), the rest delivered.
try { (new SendMail("127.0.0.1:" . sink_port()))->sendMessage(msg("reject-1-023@example.test")->to("tempfail-2-023@example.test")); }
catch (SendMail\RecipientException $e) { show($e); var_dump($e->getRejected()); }
$r = (new SendMail("127.0.0.1:" . sink_port()))->sendMessage(msg("ok-023@example.test")->cc("tempfail-023@example.test")->bcc("reject-023@example.test"));
var_dump($r->accepted, array_keys($r->rejected), sink_received('ok-023@example.test') !== null);
// The server refuses the message after DATA.
try { (new SendMail("127.0.0.1:" . sink_port()))->sendMessage(msg("data-023@example.test")->header("X-Test-Reject", "yes")); }
catch (SendMail\Exception $e) { show($e); }
// A silent server.
$srv = scripted_server([['sleep' => 5]], 1, 8.0);
try { (new SendMail("127.0.0.1:" . $srv['port']))->setTimeout(1)->sendMessage(msg("a@example.test")); } catch (SendMail\TimeoutException $e) { show($e); }
?>
--EXPECTF--
48 of 48 refused
SendMail\Message::subject(): subject: CR, LF, NUL and other control characters are not allowed (header injection) | input
SendMail\Message::header(): header name "Bcc": set by from(), to(), cc(), bcc(), replyTo(), subject() and the body methods
SendMail\Message::attach(): "phar:///tmp/x.phar/a.txt" must be a file path, not a stream URL
SendMail\Message::attach(): "php://memory" must be a file path, not a stream URL
SendMail\Message::attach(): "http://example.test/a.pdf" must be a file path, not a stream URL
SendMail\Message::attach(): /nonexistent/a.pdf: No such file or directory (os error 2)
SendMail\Message::attach(): <dir> is not a regular file
SendMail\InvalidInputException | code=0 stage=input enhanced=NULL temporary=false line=%d
   invalid $message: the message has no sender: call from()
SendMail\ConnectException | code=0 stage=connect enhanced=NULL temporary=true line=%d
   connect to 127.0.0.1:%d: Connection refused
SendMail\AuthException | code=535 stage=auth enhanced='5.7.8' temporary=false line=%d
   auth refused: 535 5.7.8 Authentication credentials invalid
SendMail\RecipientException | code=550 stage=rcpt enhanced='5.1.1' temporary=false line=%d
   every recipient was refused: <reject-1-023@example.test> 550 5.1.1 <reject-1-023@example.test>: Recipient address rejected; <tempfail-2-023@example.test> 451 4.3.0 <tempfail-2-023@example.test>: Try again later
array(2) {
  ["reject-1-023@example.test"]=>
  string(65) "550 5.1.1 <reject-1-023@example.test>: Recipient address rejected"
  ["tempfail-2-023@example.test"]=>
  string(56) "451 4.3.0 <tempfail-2-023@example.test>: Try again later"
}
array(1) {
  [0]=>
  string(19) "ok-023@example.test"
}
array(2) {
  [0]=>
  string(25) "tempfail-023@example.test"
  [1]=>
  string(23) "reject-023@example.test"
}
bool(true)
SendMail\Exception | code=554 stage=data enhanced='5.6.0' temporary=false line=%d
   data refused: 554 5.6.0 Message rejected
SendMail\TimeoutException | code=0 stage=greeting enhanced=NULL temporary=true line=%d
   timed out after 1s waiting for the greeting reply
