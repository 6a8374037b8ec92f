--TEST--
PHP-FPM, one worker: two requests with setPersistent(true) send over one SMTP connection (one connection, two transactions, one TLS handshake); with setPersistent(false) a connection each (the second one's TLS session resumed); the pool stops cleanly
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
?>
--EXPECT--
setPersistent(true): sent, sent; workers 1; connections 1, transactions [1,2], TLS resumed [false,false]; pool stopped: graceful
setPersistent(false): sent, sent; workers 1; connections 2, transactions [1,1], TLS resumed [false,true]; pool stopped: graceful
