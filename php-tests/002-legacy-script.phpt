--TEST--
An unchanged legacy send_mail script: its mail arrives, correct, and the properties read as before
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

// The script as it was written for the old class (apart from the port, which it also set).
$smtp = new send_mail("127.0.0.1", "", false);
$smtp->port = (string) sink_port();
$message = "Content-Type: text/plain; charset=UTF-8\n"
         . "X-Mailer: legacy\n"
         . "\n"
         . "Dear user,\n"
         . ".\n"
         . "..a line that starts with two dots\n"
         . "Last line without newline";
$ok = $smtp->send("legacy-002@example.test", "webmaster@example.test", "Your order", $message);
var_dump($ok);
var_dump($smtp->lastact);
var_dump((bool) preg_match('/^250 2\.0\.0 Ok: queued as ([0-9A-F]{12})$/', $smtp->lastmessage, $m));

$got = sink_received('legacy-002@example.test');
var_dump($got['env']['mail_from'], $got['env']['rcpt_tos'], $got['env']['helo'] === gethostname());
var_dump($got['env']['queue_id'] === $m[1]);

// What the server received, after its own un-dot-stuffing: CRLF everywhere, the added
// headers first (To, From, Subject, Date, Message-ID), the script's own headers merged,
// the blank line, and every body line intact.
$eml = $got['eml'];
[$head, $body] = explode("\r\n\r\n", $eml, 2);
echo preg_replace(['/^Date: .*$/m', '/^Message-ID: .*$/m'], ['Date: <date>', 'Message-ID: <id>'], $head), "\n--\n";
var_dump($body === "Dear user,\r\n.\r\n..a line that starts with two dots\r\nLast line without newline\r\n");
var_dump(preg_match("/(?<!\r)\n/", $eml), str_contains($eml, "\r\r"));
var_dump((bool) preg_match('/^Date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}\r$/m', $head));
var_dump((bool) preg_match('/^Message-ID: <[^@>\s]+@example\.test>\r$/m', $head));
?>
--EXPECT--
bool(true)
string(4) "QUIT"
bool(true)
string(22) "webmaster@example.test"
array(1) {
  [0]=>
  string(23) "legacy-002@example.test"
}
bool(true)
bool(true)
To: legacy-002@example.test
From: webmaster@example.test
Subject: Your order
Date: <date>
Message-ID: <id>
Content-Type: text/plain; charset=UTF-8
X-Mailer: legacy
--
bool(true)
int(0)
bool(false)
bool(true)
bool(true)
