--TEST--
PHP-FPM, one worker, setPersistent(true): when the server closes the kept connection after it has read a whole pipelined message (MAIL, RCPT, BDAT and the bytes) without answering, the request fails and the message is not sent again on a new connection (the server may have taken it); the next request opens a new connection
--EXTENSIONS--
sendmail
--SKIPIF--
<?php
require __DIR__ . '/inc/fpm.inc';
if ($why = fpm_skip_reason()) die("skip $why");
?>
--FILE--
<?php
require __DIR__ . '/inc/fpm.inc';
// A server that offers PIPELINING and CHUNKING, so that a warm message is one write. On its
// first connection it answers the first message, then reads the second one whole and closes
// without a word, as a server does that dies (or is cut off) after taking a message and
// before its replies leave. Later connections answer whatever comes.
$greet = [['send' => "220 scripted.test ESMTP\r\n"], ['expect' => 'EHLO '],
          ['send' => "250-scripted.test\r\n250-PIPELINING\r\n250 CHUNKING\r\n"]];
$message = [['expect' => 'MAIL FROM:'], ['expect' => 'RCPT TO:'], ['expect' => 'BDAT '],
            ['read_until' => "One message of a PHP-FPM test.\r\n"]];
$answer = [['send' => "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.0.0 Ok: queued\r\n"]];
$srv = scripted_server([['per_connection' => [
    array_merge($greet, $message, $answer, $message, [['close' => true]]),
    array_merge($greet, $message, $answer, $message, $answer, [['read_until_close' => true]]),
]]], 2, 25.0);
$rcpts = ['fpm-093-1@example.test', 'fpm-093-2@example.test', 'fpm-093-3@example.test'];
$run = fpm_run(__DIR__ . '/inc/fpm-send.inc',
    array_map(fn ($to) => ['to' => $to, 'persistent' => '1', 'port' => $srv['port']], $rcpts));
$log = scripted_log($srv, 3.0);
foreach (fpm_outcomes($run) as $i => $outcome) {
    $times = substr_count($log, "RCPT TO:<{$rcpts[$i]}>");
    echo "request ", $i + 1, ": ", preg_replace('/^failed: .*/', 'failed', $outcome), "; the server read its message $times time(s)\n";
}
echo "connections: ", substr_count($log, "EHLO "), "\n";
?>
--EXPECT--
request 1: sent; the server read its message 1 time(s)
request 2: failed; the server read its message 1 time(s)
request 3: sent; the server read its message 1 time(s)
connections: 2
