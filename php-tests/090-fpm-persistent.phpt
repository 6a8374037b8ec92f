--TEST--
PHP-FPM, one worker: two requests with setPersistent(true) send over one SMTP connection (one connection, two transactions, one TLS handshake), which the worker ends with QUIT when it stops; with setPersistent(false) a connection each (the second one's TLS session resumed)
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
// php-tests/inc/fpm-send.inc: sendMessage() through the relay listener (STARTTLS, AUTH, PIPELINING, CHUNKING).
$page = __DIR__ . '/inc/fpm-send.inc';
foreach (['1' => 'setPersistent(true)', '0' => 'setPersistent(false)'] as $flag => $label) {
    $rcpts = array_map(fn ($n) => "fpm-090-$flag-$n-" . getmypid() . "@example.test", [1, 2]);
    $run = fpm_run($page, array_map(fn ($to) => ['to' => $to, 'persistent' => $flag, 'account' => 1], $rcpts));
    $got = fpm_arrivals($rcpts);
    echo "$label: ", implode(', ', fpm_outcomes($run)), "; workers ", count(fpm_pids($run)),
        "; connections ", fpm_connections($got), ", transactions ", json_encode(array_column($got, 'transaction')),
        ", TLS resumed ", json_encode(array_column($got, 'tls_resumed')), "; pool stopped: {$run['stopped']}\n";
    if ($run['log'] !== '') {
        echo $run['log'], "\n";
    }
}

// The whole dialogue as a server that takes one connection sees it: both messages, then the
// worker's QUIT when the pool stops (PHP's shutdown in each worker).
$txn = [['expect' => 'MAIL FROM:'], ['send' => "250 2.1.0 Ok\r\n"], ['expect' => 'RCPT TO:'], ['send' => "250 2.1.5 Ok\r\n"],
        ['expect' => 'DATA'], ['send' => "354 go ahead\r\n"], ['read_data' => true], ['send' => "250 2.0.0 Ok: queued\r\n"]];
$srv = scripted_server(array_merge([['send' => "220 scripted.test ESMTP\r\n"], ['expect' => 'EHLO '], ['send' => "250 scripted.test\r\n"]],
    $txn, $txn, [['expect' => 'QUIT'], ['send' => "221 2.0.0 Bye\r\n"], ['close' => true]]), 1, 20.0);
$run = fpm_run($page, [['to' => 'fpm-090-a@example.test', 'persistent' => '1', 'port' => $srv['port']],
                       ['to' => 'fpm-090-b@example.test', 'persistent' => '1', 'port' => $srv['port']]]);
$said = preg_match_all('/^(EHLO|MAIL|RCPT|DATA|QUIT|NOOP|RSET)\b/m', scripted_log($srv), $m) ? implode(' ', $m[1]) : '';
echo "one connection, as the server saw it: ", implode(', ', fpm_outcomes($run)), "; the client said: $said",
    scripted_errors($srv) === '' ? '' : "; " . trim(scripted_errors($srv)), "\n";
?>
--EXPECT--
setPersistent(true): sent, sent; workers 1; connections 1, transactions [1,2], TLS resumed [false,false]; pool stopped: graceful
setPersistent(false): sent, sent; workers 1; connections 2, transactions [1,1], TLS resumed [false,true]; pool stopped: graceful
one connection, as the server saw it: sent, sent; the client said: EHLO MAIL RCPT DATA MAIL RCPT DATA QUIT
