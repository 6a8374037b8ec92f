--TEST--
PHP-FPM, one worker, an unchanged legacy script (new send_mail(...)->send(...)): php.ini sendmail.persistent=1 alone makes its two requests share one SMTP connection; without it, or with 0, a connection each; ?persistent=1 in the server URL does the same without php.ini
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
// A legacy page as it was written before the extension existed; only the JSON around it is the test's.
$page = sendmail_test_tempname('.php');
file_put_contents($page, <<<'PHP'
<?php
$smtp = new send_mail($_GET['server'], "legacy.example.test", false);
$ok = $smtp->send($_GET['to'], "legacy@example.test", "A legacy page", "Sent by a legacy page.\n");
echo json_encode(['pid' => getmypid(), 'ok' => $ok, 'error' => $smtp->lastmessage]);
PHP);
$plain = '127.0.0.1:' . sink_port('plain');
$cases = [
    'php.ini sendmail.persistent=1' => [$plain, ['sendmail.persistent' => '1']],
    'php.ini sendmail.persistent=0' => [$plain, ['sendmail.persistent' => '0']],
    'no php.ini setting' => [$plain, []],
    'URL smtp://...?persistent=1' => ["smtp://$plain?persistent=1", []],
];
$n = 0;
foreach ($cases as $label => [$server, $ini]) {
    $n++;
    $rcpts = array_map(fn ($i) => "fpm-091-$n-$i-" . getmypid() . "@example.test", [1, 2]);
    $run = fpm_run($page, array_map(fn ($to) => ['to' => $to, 'server' => $server], $rcpts), $ini);
    $got = fpm_arrivals($rcpts);
    echo "$label: ", implode(', ', fpm_outcomes($run)), "; workers ", count(fpm_pids($run)),
        "; connections ", fpm_connections($got), ", transactions ", json_encode(array_column($got, 'transaction')), "\n";
    if ($run['log'] !== '') {
        echo $run['log'], "\n";
    }
}
@unlink($page);
?>
--EXPECT--
php.ini sendmail.persistent=1: sent, sent; workers 1; connections 1, transactions [1,2]
php.ini sendmail.persistent=0: sent, sent; workers 1; connections 2, transactions [1,1]
no php.ini setting: sent, sent; workers 1; connections 2, transactions [1,1]
URL smtp://...?persistent=1: sent, sent; workers 1; connections 1, transactions [1,2]
