--TEST--
do_command(): AUTH data in unusual shapes is masked too (tab-separated, several lines in one command)
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
const S_USER = 'relay-user@example.test';
const S_PASS = 'Tr0ub4dor&3-zebra';
$plain = base64_encode("\0" . S_USER . "\0" . S_PASS);
$secrets = [S_PASS, base64_encode(S_PASS), $plain];
foreach (["AUTH\tPLAIN\t$plain", "AUTH PLAIN\r\n$plain", "AUTH LOGIN\r\n" . base64_encode(S_USER) . "\r\n" . base64_encode(S_PASS)] as $cmd) {
    $srv = scripted_server([['send' => "220 scripted.test ESMTP\r\n"], ['expect' => 'EHLO'], ['send' => "250 AUTH PLAIN LOGIN\r\n"],
        ['expect' => 'AUTH'], ['send' => "535 5.7.8 no\r\n"], ['read_until_close' => true]]);
    $m = new SendMail("127.0.0.1:{$srv['port']}", "client.example.test", true);
    $m->setTimeout(2);
    ob_start();
    $m->do_command($cmd, 235);
    $seen = $m->lastact . "\n" . $m->lastmessage . "\n" . $m->getTranscript();
    $m->close();
    $seen .= ob_get_clean() . $m->getTranscript();
    scripted_wait($srv);
    $leaks = array_filter($secrets, fn($s) => str_contains($seen, $s));
    echo json_encode(substr($cmd, 0, 10)), ": ", $leaks ? "LEAK in: " . json_encode($m->lastact) : "masked", "\n";
}
?>
--EXPECT--
"AUTH\tPLAIN": masked
"AUTH PLAIN": masked
"AUTH LOGIN": masked
