--TEST--
Test infrastructure: the SMTP sink, the scripted server and mime_parse
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

function smtp_cmd($s, ?string $line): string
{
    if ($line !== null) {
        fwrite($s, "$line\r\n");
    }
    $reply = '';
    while (($l = fgets($s)) !== false) {
        $reply .= $l;
        if (strlen($l) < 4 || $l[3] !== '-') {
            break;
        }
    }
    return $reply;
}

// A minimal SMTP dialogue with the sink over a plain stream socket.
$s = stream_socket_client('tcp://127.0.0.1:' . sink_port(), $errno, $errstr, 5);
stream_set_timeout($s, 5);
echo substr(smtp_cmd($s, null), 0, 4), "\n";
$ehlo = smtp_cmd($s, 'EHLO infra.test');
var_dump(str_contains($ehlo, "8BITMIME"), str_contains($ehlo, "SMTPUTF8"));
echo smtp_cmd($s, 'MAIL FROM:<a@example.test>');
echo smtp_cmd($s, 'RCPT TO:<infra@example.test>');
echo smtp_cmd($s, 'RCPT TO:<reject-me@example.test>');
echo smtp_cmd($s, 'RCPT TO:<tempfail-me@example.test>');
echo substr(smtp_cmd($s, 'DATA'), 0, 4), "\n";
$msg = "Subject: =?UTF-8?B?w6TDtsO8?=\r\nContent-Type: text/plain; charset=UTF-8\r\n"
     . "Content-Transfer-Encoding: quoted-printable\r\n\r\nGr=C3=BC=C3=9Fe\r\n..dot\r\n";
$queued = smtp_cmd($s, $msg . '.');
var_dump((bool) preg_match('/^250 2\.0\.0 Ok: queued as [0-9A-F]{12}\r\n$/', $queued));
echo smtp_cmd($s, 'QUIT');
fclose($s);

$got = sink_received('infra@example.test');
var_dump($got["eml"] === str_replace("..dot", ".dot", $msg));
echo $got['env']['mail_from'], ' ', implode(',', $got['env']['rcpt_tos']), ' ', $got['env']['helo'], "\n";
var_dump(str_ends_with($queued, $got['env']['queue_id'] . "\r\n"));
var_dump(sink_received('nobody@example.test', 0.2));

$m = mime_parse($got['eml']);
echo $m['headers'][0][0], ': ', $m['headers'][0][1], "\n";
echo $m['content_type'], ' ', $m['charset'], ' ', $m['cte'], ' ', var_export($m['is_multipart'], true), "\n";
echo $m['body'];

// The scripted server records the client's bytes exactly.
$srv = scripted_server([
    ['send' => "220 scripted\r\n"],
    ['expect' => 'EHLO '],
    ['send' => "250 ok\r\n"],
    ['expect' => 'QUIT'],
    ['send_hex' => '3232312062790d0a'],
]);
$c = stream_socket_client("tcp://127.0.0.1:{$srv['port']}", $errno, $errstr, 5);
stream_set_timeout($c, 5);
echo fgets($c);
fwrite($c, "EHLO x\r\n");
echo fgets($c);
fwrite($c, "QUIT\r\n");
echo fgets($c);
fwrite($c, "tail\n");
fclose($c);
var_dump(scripted_log($srv) === "EHLO x\r\nQUIT\r\ntail\n", scripted_errors($srv));

// A mismatch is noted in the .err file and the connection is closed.
$srv = scripted_server([['send' => "220 x\r\n"], ['expect' => 'EHLO '], ['send' => "250 never\r\n"]]);
$c = stream_socket_client("tcp://127.0.0.1:{$srv['port']}", $errno, $errstr, 5);
fgets($c);
fwrite($c, "HELO y\r\n");
var_dump(fgets($c));
fclose($c);
var_dump(scripted_log($srv), trim(scripted_errors($srv)));
?>
--EXPECT--
220 
bool(true)
bool(true)
250 OK
250 2.1.5 Ok
550 5.1.1 <reject-me@example.test>: Recipient address rejected
451 4.3.0 <tempfail-me@example.test>: Try again later
354 
bool(true)
221 Bye
bool(true)
a@example.test infra@example.test infra.test
bool(true)
NULL
Subject: äöü
text/plain utf-8 quoted-printable false
Grüße
.dot
220 scripted
250 ok
221 by
bool(true)
string(0) ""
bool(false)
string(8) "HELO y
"
string(59) "!! expected 'EHLO ' got 'HELO y\r\n' (connection 1, step 1)"
