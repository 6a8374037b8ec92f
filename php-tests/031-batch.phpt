--TEST--
sendBatch(): messages over parallel connections, results under the input's keys, progress on the PHP thread, one failure does not stop the others
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
$m = new SendMail("127.0.0.1:" . sink_port());

$batch = [];
for ($i = 0; $i < 12; $i++) {
    $batch["legacy-$i"] = ["to" => "batch-$i-031@example.test", "from" => "me@example.test", "subject" => "n$i", "message" => "body $i"];
}
$batch[100] = (new SendMail\Message)->from("me@example.test")->to("batch-msg-031@example.test")->text("built");
$batch["refused"] = ["to" => "reject-031@example.test", "from" => "me@example.test", "subject" => "s", "message" => "m"];
$batch["not a message"] = 42;
$batch["incomplete"] = ["to" => "x@example.test"];

$progress = [];
$results = $m->sendBatch($batch, 4, function (int $done, int $total) use (&$progress) { $progress[] = "$done/$total"; });

var_dump(array_keys($results) === array_keys($batch));
foreach ($results as $key => $result) {
    $what = $result instanceof SendMail\Receipt ? "Receipt " . strlen($result->queueId) . " " . implode(",", $result->accepted)
                                                  : get_class($result) . ": " . $result->getMessage();
    if (!str_starts_with($key, "legacy-") || $key === "legacy-0") echo "$key => $what\n";
}
var_dump(count(array_filter($results, fn($r) => $r instanceof SendMail\Receipt)));
var_dump(end($progress), count($progress), $progress === array_values(array_unique($progress)));
$delivered = 0;
for ($i = 0; $i < 12; $i++) $delivered += sink_received("batch-$i-031@example.test", 2.0) !== null;
var_dump($delivered, sink_received("batch-msg-031@example.test") !== null);
var_dump($results["refused"]->getRejected());

// Bad arguments.
foreach ([0, 65] as $n) { try { $m->sendBatch([], $n); } catch (ValueError $e) { echo $e->getMessage(), "\n"; } }
var_dump($m->sendBatch([]));
// A generator works as well as an array.
$gen = (function () { yield "g" => ["to" => "gen-031@example.test", "from" => "me@example.test", "subject" => "s", "message" => "m"]; })();
var_dump(get_class($m->sendBatch($gen, 2)["g"]));
?>
--EXPECT--
bool(true)
legacy-0 => Receipt 12 batch-0-031@example.test
100 => Receipt 12 batch-msg-031@example.test
refused => SendMail\RecipientException: rcpt refused: 550 5.1.1 <reject-031@example.test>: Recipient address rejected
not a message => SendMail\InvalidInputException: invalid $messages: each message must be a SendMail\Message or an array
incomplete => SendMail\InvalidInputException: invalid $messages: a legacy message array needs 'from'
int(13)
string(5) "16/16"
int(15)
bool(true)
int(12)
bool(true)
array(1) {
  ["reject-031@example.test"]=>
  string(63) "550 5.1.1 <reject-031@example.test>: Recipient address rejected"
}
SendMail::sendBatch(): Argument #2 ($connections) must be between 1 and 64
SendMail::sendBatch(): Argument #2 ($connections) must be between 1 and 64
array(0) {
}
string(16) "SendMail\Receipt"
