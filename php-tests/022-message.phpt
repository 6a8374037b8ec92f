--TEST--
SendMail\Message: text, HTML, attachments, inline images, UTF-8 everywhere; toString() is what is sent; Bcc only in the envelope
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

$dir = sys_get_temp_dir() . '/msg-022-' . getmypid();
@mkdir($dir);
file_put_contents("$dir/Übersicht 2026.pdf", "%PDF-1.4\n" . str_repeat("binary\x00\xff", 1000));
file_put_contents("$dir/logo.png", "\x89PNG\r\n\x1a\n" . random_bytes(300));

$m = (new SendMail\Message)
    ->from("sender@example.test", "Zoë Ünal")
    ->to("to-022@example.test", "Jürgen, Dr.")
    ->cc("cc-022@example.test")
    ->bcc("bcc-022@example.test")
    ->replyTo("reply@example.test")
    ->subject("Grüße aus Köln – ☕ " . str_repeat("long ", 20))
    ->text("Grüße,\n.\nA line with a dot above.\n")
    ->html('<p>Grüße <img src="cid:logo@022"></p>')
    ->attach("$dir/Übersicht 2026.pdf")
    ->attachData("a;b\n1;2\n", "data.csv")
    ->embed("$dir/logo.png", "logo@022")
    ->header("X-Campaign", "Ünïcode 42")
    ->header("Date", "Tue, 01 Dec 2026 10:00:00 +0100")
    ->header("Message-ID", "<fixed-022@example.test>");
$expected = $m->toString();
var_dump($m->toString() === $expected, str_contains($expected, "bcc-022"), preg_match('/[^\x00-\x7f]/', $expected));

$s = new SendMail("127.0.0.1:" . sink_port());
$receipt = $s->sendMessage($m);
var_dump($receipt instanceof SendMail\Receipt, $receipt->accepted, $receipt->rejected, strlen($receipt->queueId));
$got = sink_received('bcc-022@example.test');
var_dump($got['env']['rcpt_tos'], $got['env']['mail_from']);
// The server received exactly what toString() showed.
var_dump($got['eml'] === $expected);

$p = mime_parse($got['eml']);
foreach ($p['headers'] as [$k, $v]) {
    if (in_array($k, ['From', 'To', 'Cc', 'Reply-To', 'Subject', 'X-Campaign', 'Date', 'Message-ID'], true)) echo "$k: $v\n";
}
echo $p['content_type'], "\n";
foreach ($p['parts'] as $part) {
    echo "- ", $part['content_type'], " ", $part['charset'] ?? "-", " ", $part['cte'], " ", json_encode($part["filename"], JSON_UNESCAPED_UNICODE),
         isset($part['body']) ? " " . json_encode($part["body"], JSON_UNESCAPED_UNICODE) : " " . strlen(base64_decode($part['body_b64'])) . " bytes", "\n";
}
var_dump($p['defects']);
var_dump(base64_decode($p['parts'][2]['body_b64']) === file_get_contents("$dir/logo.png"));
var_dump(base64_decode($p['parts'][3]['body_b64']) === file_get_contents("$dir/Übersicht 2026.pdf"));
var_dump(max(array_map('strlen', explode("\r\n", $got['eml']))) <= 78);
array_map('unlink', glob("$dir/*")); rmdir($dir);
?>
--EXPECTF--
bool(true)
bool(false)
int(0)
bool(true)
array(3) {
  [0]=>
  string(19) "to-022@example.test"
  [1]=>
  string(19) "cc-022@example.test"
  [2]=>
  string(20) "bcc-022@example.test"
}
array(0) {
}
int(12)
array(3) {
  [0]=>
  string(19) "to-022@example.test"
  [1]=>
  string(19) "cc-022@example.test"
  [2]=>
  string(20) "bcc-022@example.test"
}
string(19) "sender@example.test"
bool(true)
From: Zoë Ünal <sender@example.test>
To: "Jürgen, Dr." <to-022@example.test>
Cc: cc-022@example.test
Reply-To: reply@example.test
Subject: Grüße aus Köln – ☕ long long long long long long long long long long long long long long long long long long long long 
X-Campaign: Ünïcode 42
Date: Tue, 01 Dec 2026 10:00:00 +0100
Message-ID: <fixed-022@example.test>
multipart/mixed
- text/plain utf-8 quoted-printable null "Grüße,\n.\nA line with a dot above.\n"
- text/html utf-8 quoted-printable null "<p>Grüße <img src=\"cid:logo@022\"><\/p>"
- image/png - base64 "logo.png" 308 bytes
- application/pdf - base64 "Übersicht 2026.pdf" 8009 bytes
- text/csv - base64 "data.csv" "a;b\n1;2\n"
array(0) {
}
bool(true)
bool(true)
bool(true)
