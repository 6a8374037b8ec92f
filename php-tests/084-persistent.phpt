--TEST--
setPersistent(): a PHP process keeps its connection across objects (as an FPM worker across requests); a warm mail is one write; other credentials never share it; a forked child opens its own and leaves the parent's alone
--EXTENSIONS--
sendmail
pcntl
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
[$user, $pass] = sink_credentials();
$ca = test_cert('ca.pem');
$port = sink_port('relay');
$tag = bin2hex(random_bytes(4));
$mailer = fn (string $u, string $p, bool $persistent = true) => (new SendMail("127.0.0.1:$port", "persist.example.test"))
    ->setCaFile($ca)->setTls('required')->setAuth($u, $p)->setPersistent($persistent)->setTimeout(10);
$n = 0;
$sent = [];
$send = function (SendMail $m) use ($tag, &$n, &$sent): string {
    $rcpt = "p" . ++$n . "-$tag@example.test";
    $ok = $m->send($rcpt, "me@example.test", "persistent $n", "body $n");
    $sent[$n] = $rcpt;
    return $ok ? "ok ($m->lastact)" : "false: $m->lastact / $m->lastmessage";
};
// The client's port of the connection that carried message $i (null: it never arrived).
$conn = function (int $i) use (&$sent) {
    return sink_received($sent[$i], 3.0)['env']['peer'][1] ?? null;
};
// The commands a dialogue sent, in order.
$said = fn (SendMail $m) => preg_match_all('/^>> ([A-Z]{4,8})\b/m', $m->getTranscript(), $found) ? implode(' ', $found[1]) : '';

// Two objects one after the other, as two requests of one PHP process: one connection; the
// second mail is MAIL, RCPT and BDAT in one write, with no EHLO, STARTTLS or AUTH.
$first = $mailer($user, $pass);
echo "1: ", $send($first), " said: ", $said($first), "\n";
$second = $mailer($user, $pass);
echo "2: ", $send($second), " said: ", $said($second), "\n";
echo "1 and 2 share a connection: ", json_encode($conn(1) === $conn(2)), "\n";
// Nothing follows a BDAT chunk on the wire, and the dialogue says so (no "." line).
echo "after BDAT: ", json_encode(preg_match('/^>> \[message: \d+ bytes\]\n(.*)$/m', $second->getTranscript(), $after) ? $after[1] : null), "\n";

// Other credentials never get that connection: the same user with another password logs in
// anew (and fails), another user too; the first credentials still find theirs.
echo "wrong password: ", $send($mailer($user, "$pass-wrong")), "\n";
echo "other user: ", $send($mailer("other-$user", $pass)), "\n";
$fifth = $mailer($user, $pass);
echo "5: ", $send($fifth), " said: ", $said($fifth), "\n";
echo "5 shares 1's connection: ", json_encode($conn(5) === $conn(1)), "\n";

// Without setPersistent() each object has its own connection.
$sixth = $mailer($user, $pass, false);
echo "6: ", $send($sixth), " said: ", $said($sixth), "\n";
echo "7: ", $send($mailer($user, $pass, false)), "\n";
echo "6, 7 and 1 apart: ", json_encode(count(array_unique([$conn(1), $conn(6), $conn(7)])) === 3), "\n";

// A forked child never talks on its parent's socket: it opens its own; the parent's still
// works afterwards, unharmed (no QUIT, no shutdown from the child, even at the child's end).
// Raw commands too: an object's connection kept by do_command() is the parent's.
$raw = $mailer($user, $pass, false);
$raw->do_command("NOOP", 250);
$pid = pcntl_fork();
if ($pid === 0) {
    $n = 7;
    $send($mailer($user, $pass));
    $raw->do_command("NOOP", 250);
    exit(0);
}
pcntl_waitpid($pid, $status);
$mark = strlen($raw->getTranscript());
echo "parent's raw connection answers, unshared: ", json_encode($raw->do_command("NOOP", 250) && $raw->lastmessage === "250 OK"
    && !str_contains(substr($raw->getTranscript(), $mark), "connect to")), "\n";
$raw->close();
$sent[8] = "p8-$tag@example.test";
$n = 8;
echo "9: ", $send($mailer($user, $pass)), "\n";
echo "child's message arrived: ", json_encode($conn(8) !== null), "\n";
echo "child used its own connection: ", json_encode($conn(8) !== $conn(1)), "\n";
echo "parent's connection kept: ", json_encode($conn(9) === $conn(1)), "\n";

// sendMessage() and sendRaw() take the same connection.
$sent[10] = "p10-$tag@example.test";
$sent[11] = "p11-$tag@example.test";
$mailer($user, $pass)->sendMessage((new SendMail\Message)->from("me@example.test")->to($sent[10])->subject("10")->text("ten"));
$mailer($user, $pass)->sendRaw("Subject: 11\r\n\r\neleven\r\n", "me@example.test", [$sent[11]]);
echo "sendMessage() and sendRaw() on it: ", json_encode([$conn(10) === $conn(1), $conn(11) === $conn(1)]), "\n";
?>
--EXPECT--
1: ok (QUIT) said: EHLO STARTTLS EHLO AUTH MAIL RCPT BDAT
2: ok (QUIT) said: MAIL RCPT BDAT
1 and 2 share a connection: true
after BDAT: "<< 250 OK"
wrong password: false: AUTH CRAM-MD5 / 535 5.7.8 Authentication credentials invalid
other user: false: AUTH CRAM-MD5 / 535 5.7.8 Authentication credentials invalid
5: ok (QUIT) said: MAIL RCPT BDAT
5 shares 1's connection: true
6: ok (QUIT) said: EHLO STARTTLS EHLO AUTH MAIL RCPT BDAT QUIT
7: ok (QUIT)
6, 7 and 1 apart: true
parent's raw connection answers, unshared: true
9: ok (QUIT)
child's message arrived: true
child used its own connection: true
parent's connection kept: true
sendMessage() and sendRaw() on it: [true,true]
