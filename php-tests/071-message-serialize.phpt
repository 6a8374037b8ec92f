--TEST--
serialize()/unserialize() of a SendMail\Message: every part round-trips, a file attachment travels as its path and is sent by another process; altered data is refused; SendMail itself never serializes
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
$file = sendmail_test_tempname('-invoice.pdf');
file_put_contents($file, random_bytes(70000));
$logo = sendmail_test_tempname('.png');
file_put_contents($logo, "\x89PNG" . random_bytes(500));

$m = (new SendMail\Message)
    ->from("shop@example.test", "Zoë's Shop")
    ->to("ser-071@example.test", "Jürgen")->cc("cc-071@example.test")->bcc("bcc-071@example.test")
    ->replyTo("help@example.test")
    ->subject("Your order – ✓")
    ->text("Hello\n.\nbye")
    ->html('<p>Hello</p><img src="cid:logo">')
    ->embed($logo, "logo")
    ->attach($file)
    ->attachData("raw\0bytes\xff", "data.bin", "application/octet-stream")
    ->header("X-Order", "1001");
$payload = serialize($m);
var_dump(str_contains($payload, basename($file)), str_contains($payload, file_get_contents($file)));
$copy = unserialize($payload);
var_dump(get_class($copy), $copy->toString() === $m->toString());

// Sent by another PHP process, as a queue worker would.
$php = [PHP_BINARY, '-n', '-d', 'extension=' . getenv('SENDMAIL_TEST_SO'), '-r',
    '$m = unserialize(stream_get_contents(STDIN)); echo (new SendMail($argv[1]))->sendMessage($m)->queueId;',
    '127.0.0.1:' . sink_port()];
$proc = proc_open($php, [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
fwrite($pipes[0], $payload);
fclose($pipes[0]);
$queueId = stream_get_contents($pipes[1]);
$errors = stream_get_contents($pipes[2]);
proc_close($proc);
echo $errors;
$got = sink_received("ser-071@example.test");
var_dump($got['env']['queue_id'] === $queueId, $got['eml'] === $m->toString());
var_dump($got['env']['rcpt_tos']);

// Altered data: what the builder would refuse is refused.
function altered(string $payload, string $from, string $to): string
{
    return str_replace(serialize($from), serialize($to), $payload);
}
$cases = [
    'header injection' => altered($payload, "1001", "1001\r\nBcc: evil@example.test"),
    'bad address' => altered($payload, "cc-071@example.test", "not an address"),
    'own header' => altered($payload, "X-Order", "Content-Type"),
    'version' => str_replace('s:7:"version";i:1;', 's:7:"version";i:9;', $payload),
    'stream path' => altered($payload, $file, "php://memory"),
];
foreach ($cases as $what => $bad) {
    try {
        unserialize($bad);
        echo "$what: accepted?!\n";
    } catch (SendMail\InvalidInputException $e) {
        echo "$what: ", $e->getMessage(), "\n";
    }
}
unlink($file);
try {
    unserialize($payload);
} catch (SendMail\InvalidInputException $e) {
    echo "file gone: ", str_replace($file, '<file>', $e->getMessage()), "\n";
}
unlink($logo);

// A message not yet rendered gets its Date and Message-ID when serialized: both copies agree.
$fresh = (new SendMail\Message)->from("a@example.test")->to("b@example.test")->text("x");
$again = unserialize(serialize($fresh));
var_dump($again->toString() === $fresh->toString());

foreach ([new SendMail("127.0.0.1"), new SendMail\Compat\Smtp("127.0.0.1")] as $o) {
    try {
        serialize($o);
    } catch (Exception $e) {
        echo $e->getMessage(), "\n";
    }
}
?>
--EXPECTF--
bool(true)
bool(false)
string(16) "SendMail\Message"
bool(true)
bool(true)
bool(true)
array(3) {
  [0]=>
  string(20) "ser-071@example.test"
  [1]=>
  string(19) "cc-071@example.test"
  [2]=>
  string(20) "bcc-071@example.test"
}
header injection: SendMail\Message::__unserialize(): %s
bad address: SendMail\Message::__unserialize(): cc: "not an address" is not an address of the form local@domain
own header: SendMail\Message::__unserialize(): header name "Content-Type": %s
version: SendMail\Message::__unserialize(): the serialized message is damaged (unknown version)
stream path: SendMail\Message::__unserialize(): "php://memory" must be a file path, not a stream URL
file gone: SendMail\Message::__unserialize(): <file>: No such file or directory (os error 2)
bool(true)
Serialization of 'SendMail' is not allowed
Serialization of 'SendMail\Compat\Smtp' is not allowed
