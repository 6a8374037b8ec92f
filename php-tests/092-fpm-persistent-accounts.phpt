--TEST--
PHP-FPM, one worker, setPersistent(true): requests of two accounts of one server alternate; each account's messages share one connection and never ride on the other's; a wrong password does not borrow the authenticated connection of the right one (535, nothing delivered)
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
$page = __DIR__ . '/inc/fpm-send.inc';
// Request by request: which account, and the password when it is not the account's.
$plan = [[1, null], [2, null], [1, null], [2, null], [1, 'not-the-password'], [1, null]];
$queries = $rcpts = [];
foreach ($plan as $i => [$account, $password]) {
    $rcpts[$i] = "fpm-092-$i-" . getmypid() . "@example.test";
    $queries[$i] = ['to' => $rcpts[$i], 'persistent' => '1', 'account' => $account] + ($password ? ['password' => $password] : []);
}
$run = fpm_run($page, $queries);
echo "workers: ", count(fpm_pids($run)), "\n";
$byAccount = [];
foreach ($plan as $i => [$account, $password]) {
    $resp = $run['responses'][$i]['json'] ?? [];
    $got = fpm_arrivals([$rcpts[$i]])[0];
    $label = "request " . ($i + 1) . ", account $account" . ($password ? ", wrong password" : "");
    if ($got === null) {
        echo "$label: ", fpm_outcomes(['responses' => [$run['responses'][$i]]])[0], " (", $resp['stage'] ?? '', " ",
            $resp['code'] ?? '', "), not delivered\n";
        continue;
    }
    [$user] = sink_credentials($account);
    $byAccount[$account][] = $got['connection'];
    echo "$label: ", fpm_outcomes(['responses' => [$run['responses'][$i]]])[0], ", transaction {$got['transaction']}",
        $got['auth_user'] === $user ? ", as the account's user" : ", as {$got['auth_user']}", "\n";
}
foreach ($byAccount as $account => $conns) {
    echo "account $account: ", count(array_unique($conns)), " connection(s)\n";
}
echo "a connection shared by both accounts: ",
    array_intersect($byAccount[1] ?? [], $byAccount[2] ?? []) ? "yes" : "no", "\n";
if ($run['log'] !== '') {
    echo $run['log'], "\n";
}
?>
--EXPECTF--
workers: 1
request 1, account 1: sent, transaction 1, as the account's user
request 2, account 2: sent, transaction 1, as the account's user
request 3, account 1: sent, transaction 2, as the account's user
request 4, account 2: sent, transaction 2, as the account's user
request 5, account 1, wrong password: failed: %s (auth 535), not delivered
request 6, account 1: sent, transaction 3, as the account's user
account 1: 1 connection(s)
account 2: 1 connection(s)
a connection shared by both accounts: no
