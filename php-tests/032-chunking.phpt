--TEST--
CHUNKING: a server that offers BDAT gets every kind of message by BDAT, byte for byte what DATA would deliver
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

$port = sink_port('chunking');
$dir = sys_get_temp_dir() . '/chunk-032-' . getmypid();
@mkdir($dir);
$bdat = fn(SendMail $m) => count(array_filter(explode("\n", $m->getTranscript()), fn($l) => preg_match('/^>> BDAT \d+ LAST$/', $l)));

// A Message with a dot line, HTML and a file: one BDAT, the received bytes equal toString().
file_put_contents("$dir/report.bin", random_bytes(5000));
$msg = (new SendMail\Message)->from("me@example.test")->to("one-032@example.test")->to("reject-032@example.test")
    ->subject("Chunks ✓")->text("first\n.\n..two\nlast")->html("<p>hi</p>")->attach("$dir/report.bin");
$m = (new SendMail("127.0.0.1:$port", "client.example.test"))->setTimeout(5);
$r = $m->sendMessage($msg);
$got = sink_received("one-032@example.test");
var_dump($got['env']['chunked'], $got['eml'] === $msg->toString(), $r->accepted, array_keys($r->rejected), $bdat($m));

// Over 1 MiB: the envelope's replies first, then the chunk, streamed from the file.
file_put_contents("$dir/big.bin", random_bytes(1600 * 1024));
$big = (new SendMail\Message)->from("me@example.test")->to("big-032@example.test")->subject("big")->text("x")->attach("$dir/big.bin");
$m = (new SendMail("127.0.0.1:$port", "client.example.test"))->setTimeout(10);
$m->sendMessage($big);
$got = sink_received("big-032@example.test");
var_dump($got['env']['chunked'], $got['eml'] === $big->toString(), $bdat($m));

// Legacy send(): bare LFs become CRLF, a leading dot stays single, the script's own "." is dropped.
$m = new send_mail("127.0.0.1:$port", "client.example.test");
var_dump($m->send("legacy-032@example.test", "me@example.test", "Legacy", "a\n.b\nc\n.\n"));
$got = sink_received("legacy-032@example.test");
[, $body] = explode("\r\n\r\n", $got['eml'], 2);
var_dump($got['env']['chunked'], $body, $bdat($m));

// A refused recipient stops a legacy send() before any BDAT.
var_dump($m->send("one-032b@example.test, reject-032b@example.test", "me@example.test", "no", "no"), $m->lastact);

// Keep-alive and a batch: every message by BDAT on the kept connections.
$m = (new SendMail("127.0.0.1:$port", "client.example.test"))->setKeepAlive(true);
$batch = [];
foreach (range(1, 6) as $i) {
    $batch["k$i"] = (new SendMail\Message)->from("me@example.test")->to("batch-032-$i@example.test")->subject("n$i")->text("body $i");
}
$results = $m->sendBatch($batch, 2);
$chunked = 0;
foreach (range(1, 6) as $i) {
    $chunked += (int) sink_received("batch-032-$i@example.test")['env']['chunked'];
}
var_dump(array_map(fn($r) => $r instanceof SendMail\Receipt, $results), $chunked);
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
bool(true)
bool(true)
array(1) {
  [0]=>
  string(20) "one-032@example.test"
}
array(1) {
  [0]=>
  string(23) "reject-032@example.test"
}
int(1)
bool(true)
bool(true)
int(1)
bool(true)
bool(true)
string(10) "a
.b
c
"
int(1)
bool(false)
string(34) "RCPT TO:<reject-032b@example.test>"
array(6) {
  ["k1"]=>
  bool(true)
  ["k2"]=>
  bool(true)
  ["k3"]=>
  bool(true)
  ["k4"]=>
  bool(true)
  ["k5"]=>
  bool(true)
  ["k6"]=>
  bool(true)
}
int(6)
