--TEST--
SendMail\mail() with the examples of PHP's mail() manual; setLogger() receives the dialogue
--EXTENSIONS--
sendmail
--INI--
sendmail.from=site@example.test
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
ini_set('sendmail.host', '127.0.0.1:' . sink_port());

function got(string $rcpt): array {
    $g = sink_received($rcpt);
    $p = mime_parse($g['eml']);
    $h = [];
    foreach ($p['headers'] as [$k, $v]) if (!in_array($k, ['Date', 'Message-ID'], true)) $h[] = "$k: $v";
    return ['from' => $g['env']['mail_from'], 'rcpt' => $g['env']['rcpt_tos'], 'headers' => $h, 'body' => $p['body']];
}

// Example #1: a simple mail.
$message = wordwrap("Line 1\nLine 2\nLine 3", 70, "\r\n");
var_dump(SendMail\mail('ex1-026@example.test', 'My Subject', $message));
print_r(got('ex1-026@example.test'));

// Example #2: extra headers as a string.
$headers = 'From: webmaster@example.test' . "\r\n" . 'Reply-To: webmaster@example.test' . "\r\n" . 'X-Mailer: PHP';
var_dump(SendMail\mail('ex2-026@example.test', 'the subject', 'hello', $headers));
print_r(got('ex2-026@example.test'));

// Example #3: extra headers as an array.
$headers = ['From' => 'webmaster@example.test', 'Reply-To' => 'webmaster@example.test', 'X-Mailer' => 'PHP'];
var_dump(SendMail\mail('ex3-026@example.test', 'the subject', 'hello', $headers));
print_r(got('ex3-026@example.test')['headers']);

// Example #4: an envelope sender with -f.
var_dump(SendMail\mail('ex4-026@example.test', 'the subject', 'the message', 'From: webmaster@example.test', '-fbounce-026@example.test'));
echo got('ex4-026@example.test')['from'], "\n";

// Example #5: HTML, several recipients, Cc and Bcc headers.
$to = 'ex5a-026@example.test, ex5b-026@example.test';
$headers = ['MIME-Version' => '1.0', 'Content-type' => 'text/html; charset=iso-8859-1',
            'To' => 'Mary <ex5a-026@example.test>, Kelly <ex5b-026@example.test>',
            'From' => 'Birthday Reminder <birthday@example.test>',
            'Cc' => 'ex5cc-026@example.test', 'Bcc' => 'ex5bcc-026@example.test'];
var_dump(SendMail\mail($to, 'Birthday Reminders for August', '<html><body><p>Here are the birthdays!</p></body></html>', $headers));
$g = got('ex5bcc-026@example.test');
print_r($g['rcpt']);
print_r($g['headers']);

// Failures: false and a warning that says why.
var_dump(SendMail\mail("bad\r\nBcc: x@evil.test", 's', 'm'));
var_dump(SendMail\mail('x@example.test', 's', 'm', ['X-Bad' => "a\r\nBcc: x@evil.test"]));
ini_set('sendmail.from', '');
var_dump(SendMail\mail('x@example.test', 's', 'm'));

// setLogger(): the dialogue, masked, instead of echo.
$lines = [];
[$user, $password] = sink_credentials();
$m = (new SendMail("127.0.0.1:" . sink_port('tls'), "client.example.test", true))->setCaFile(test_cert('ca.pem'))->setAuth($user, $password, "PLAIN");
$m->setLogger(function (string $line, string $direction) use (&$lines) { $lines[] = "$direction $line"; });
ob_start();
$ok = $m->send("logger-026@example.test", "me@example.test", "s", "b");
$echoed = ob_get_clean();
var_dump($ok);
echo "echoed: ", json_encode($echoed), "\n";
echo implode("\n", array_filter($lines, fn($l) => preg_match('/^out (EHLO|STARTTLS|AUTH|MAIL|QUIT)/', $l))), "\n";
var_dump(str_contains(implode("\n", $lines), base64_encode("\0$user\0$password")));
?>
--EXPECTF--
bool(true)
Array
(
    [from] => site@example.test
    [rcpt] => Array
        (
            [0] => ex1-026@example.test
        )

    [headers] => Array
        (
            [0] => To: ex1-026@example.test
            [1] => From: site@example.test
            [2] => Subject: My Subject
        )

    [body] => Line 1
Line 2
Line 3

)
bool(true)
Array
(
    [from] => site@example.test
    [rcpt] => Array
        (
            [0] => ex2-026@example.test
        )

    [headers] => Array
        (
            [0] => To: ex2-026@example.test
            [1] => Subject: the subject
            [2] => From: webmaster@example.test
            [3] => Reply-To: webmaster@example.test
            [4] => X-Mailer: PHP
        )

    [body] => hello

)
bool(true)
Array
(
    [0] => To: ex3-026@example.test
    [1] => Subject: the subject
    [2] => From: webmaster@example.test
    [3] => Reply-To: webmaster@example.test
    [4] => X-Mailer: PHP
)
bool(true)
bounce-026@example.test
bool(true)
Array
(
    [0] => ex5a-026@example.test
    [1] => ex5b-026@example.test
    [2] => ex5cc-026@example.test
    [3] => ex5bcc-026@example.test
)
Array
(
    [0] => Subject: Birthday Reminders for August
    [1] => MIME-Version: 1.0
    [2] => Content-type: text/html; charset="iso-8859-1"
    [3] => To: Mary <ex5a-026@example.test>, Kelly <ex5b-026@example.test>
    [4] => From: Birthday Reminder <birthday@example.test>
    [5] => Cc: ex5cc-026@example.test
)

Warning: SendMail\mail(): could not send: invalid $to: the address contains a control character (CR, LF or NUL) in %s on line %d
bool(false)

Warning: SendMail\mail(): Argument #4 ($additional_headers): header X-Bad has a line break or a NUL in its value in %s on line %d
bool(false)

Warning: SendMail\mail(): no sender: set sendmail.from in php.ini, add a From header, or pass -f sender in %s on line %d
bool(false)
bool(true)
echoed: ""
out EHLO client.example.test
out STARTTLS
out EHLO client.example.test
out AUTH PLAIN ****
out MAIL FROM:<me@example.test>
out QUIT
bool(false)
