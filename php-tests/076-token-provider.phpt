--TEST--
setAuth() with a Closure: called once per new connection (not per message on a kept one, once per connection of sendBatch() before it starts), PLAIN/LOGIN/XOAUTH2/OAUTHBEARER, its exception reaches the caller unchanged with no connection opened, a non-string is a TypeError, the argument types, the token never shown, the closure collected
--EXTENSIONS--
sendmail
--INI--
zend.exception_ignore_args=0
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
[$user, $password] = sink_credentials();
$token = getenv('SENDMAIL_TEST_OAUTH_TOKEN');
$ca = test_cert('ca.pem');

function message(string $rcpt): SendMail\Message {
    return (new SendMail\Message)->from("me@example.test")->to($rcpt)->subject("token provider")->text("body");
}
function arrived(string $rcpt): string {
    $got = sink_received($rcpt);
    return $got === null ? "missing" : $got['env']['auth_user'] . " " . $got['env']['auth_mechanism'];
}
function connects(SendMail $m): int {
    return preg_match_all('/^>> connect to /m', $m->getTranscript());
}

echo "-- PLAIN over STARTTLS, kept connection\n";
$calls = 0;
$provider = function () use (&$calls, $password) { $calls++; return $password; };
$m = (new SendMail("127.0.0.1:" . sink_port('tls')))->setCaFile($ca)->setAuth($user, $provider, "PLAIN")->setKeepAlive(true);
$m->sendMessage(message("kept-1-076@example.test"));
$m->sendMessage(message("kept-2-076@example.test"));
var_dump($m->send("kept-3-076@example.test", "me@example.test", "s", "legacy on the same connection"));
echo "calls after three sends on one connection: $calls\n";
echo arrived("kept-1-076@example.test"), " | ", arrived("kept-3-076@example.test"), "\n";
$m->close();
$m->sendMessage(message("kept-4-076@example.test"));
echo "calls after close() and a send: $calls\n";
$m2 = (new SendMail("127.0.0.1:" . sink_port('tls')))->setCaFile($ca)->setAuth($user, $provider);
$m2->sendMessage(message("kept-5-076@example.test"));
$m2->sendMessage(message("kept-6-076@example.test"));
echo "calls after two sends without keep-alive: $calls\n";
$m->close();

echo "-- LOGIN in clear text to loopback, a Stringable\n";
$m = (new SendMail("127.0.0.1:" . sink_port('clearauth')))->setAuth($user, function () use ($password) {
    return new class($password) { function __construct(private string $p) {} function __toString(): string { return $this->p; } };
}, "LOGIN");
$m->sendMessage(message("login-076@example.test"));
echo arrived("login-076@example.test"), "\n";

echo "-- XOAUTH2 and OAUTHBEARER\n";
foreach (['XOAUTH2', 'OAUTHBEARER'] as $mechanism) {
    $calls = 0;
    $m = (new SendMail("127.0.0.1:" . sink_port('token')))->setKeepAlive(true)
        ->setAuth($user, function () use (&$calls, $token) { $calls++; return $token; }, $mechanism);
    $m->sendMessage(message("oauth-$mechanism-1-076@example.test"));
    $m->sendMessage(message("oauth-$mechanism-2-076@example.test"));
    echo "$mechanism: calls $calls, ", arrived("oauth-$mechanism-1-076@example.test"), " | ", arrived("oauth-$mechanism-2-076@example.test"), "\n";
    var_dump(str_contains($m->getTranscript(), substr($token, 10, 40)));
    // A probe and a raw command open connections of their own: one call each.
    $m->close();
    $m->probe();
    $m->do_command("NOOP", 250);
    echo "after probe() and do_command(): calls $calls\n";
    $m->close();
}

echo "-- the closure throws\n";
$thrown = new RuntimeException("token service down");
$calls = 0;
$m = (new SendMail("127.0.0.1:" . sink_port('token')))
    ->setAuth($user, function () use (&$calls, $thrown) { $calls++; throw $thrown; }, 'XOAUTH2');
try {
    $m->sendMessage(message("never-1-076@example.test"));
} catch (Throwable $e) {
    var_dump($e === $thrown, $e->getPrevious());
}
echo "calls $calls, connections ", connects($m), ", AUTH sent: ", json_encode(str_contains($m->getTranscript(), "AUTH")), "\n";
try {
    $m->send("never-2-076@example.test", "me@example.test", "s", "legacy send() lets it through too");
} catch (Throwable $e) {
    var_dump($e === $thrown);
}
echo "\$lastmessage: $m->lastmessage\n";
try {
    $m->sendBatch([message("never-3-076@example.test"), message("never-4-076@example.test")], 2);
} catch (Throwable $e) {
    var_dump($e === $thrown);
}
echo "calls $calls, connections ", connects($m), "\n";
// Throwing at the second connection of a batch: nothing is sent.
$calls = 0;
$m = (new SendMail("127.0.0.1:" . sink_port('token')))
    ->setAuth($user, function () use (&$calls, $token, $thrown) { if (++$calls === 2) throw $thrown; return $token; });
try {
    $m->sendBatch([message("never-5-076@example.test"), message("never-6-076@example.test")], 2);
} catch (Throwable $e) {
    var_dump($e === $thrown);
}
echo "calls $calls, delivered ", json_encode(sink_received("never-5-076@example.test", 0.5) ?? sink_received("never-6-076@example.test", 0.5)), "\n";
var_dump(sink_received("never-1-076@example.test", 0.2), sink_received("never-3-076@example.test", 0.2));
// A kept connection needs no new login: the closure is not asked again.
$calls = 0;
$m = (new SendMail("127.0.0.1:" . sink_port('token')))->setKeepAlive(true)
    ->setAuth($user, function () use (&$calls, $token, $thrown) { if (++$calls > 1) throw $thrown; return $token; }, 'XOAUTH2');
$m->sendMessage(message("kept-throw-1-076@example.test"));
$m->sendMessage(message("kept-throw-2-076@example.test"));
echo "kept: calls $calls, ", arrived("kept-throw-2-076@example.test"), "\n";
$m->close();
try {
    $m->sendMessage(message("never-7-076@example.test"));
} catch (RuntimeException $e) {
    echo "after close(): ", $e->getMessage(), ", calls $calls\n";
}

echo "-- the closure returns no string\n";
foreach ([null, false, 42, ["token"], new stdClass] as $bad) {
    $m = (new SendMail("127.0.0.1:" . sink_port('token')))->setAuth($user, fn() => $bad, 'XOAUTH2');
    try {
        $m->sendMessage(message("never-8-076@example.test"));
    } catch (TypeError $e) {
        echo get_class($e), ": ", $e->getMessage(), " (line ", $e->getLine() === __LINE__ - 2 ? "of the call" : $e->getLine(), ", connections ", connects($m), ")\n";
    }
}
$m = (new SendMail("127.0.0.1:" . sink_port('token')))->setAuth($user, fn() => null);
try {
    $m->send("never-9-076@example.test", "me@example.test", "s", "m");
} catch (TypeError $e) {
    echo "send(): ", $e->getMessage(), "\n";
}

echo "-- sendBatch(): one call per connection, before any message goes\n";
$calls = 0;
$firstProgress = null;
$m = (new SendMail("127.0.0.1:" . sink_port('token')))
    ->setAuth($user, function () use (&$calls, $token) { $calls++; return $token; }, 'XOAUTH2');
$batch = [];
for ($i = 0; $i < 9; $i++) {
    $batch[] = message("batch-$i-076@example.test");
}
$results = $m->sendBatch($batch, 3, function (int $done) use (&$calls, &$firstProgress) { $firstProgress ??= $calls; });
echo "calls $calls, calls at the first progress report $firstProgress, receipts ",
    count(array_filter($results, fn($r) => $r instanceof SendMail\Receipt)), "\n";
$arrived = 0;
for ($i = 0; $i < 9; $i++) {
    $arrived += arrived("batch-$i-076@example.test") === "$user XOAUTH2";
}
echo "arrived $arrived\n";
// Fewer messages than connections: as many calls as connections opened.
$calls = 0;
$m->sendBatch([message("batch-small-076@example.test")], 4);
echo "one message, four connections allowed: calls $calls, ", arrived("batch-small-076@example.test"), "\n";
// Each connection logs in with its own token: the third one gets a bad token, and only the
// messages that connection takes fail.
$calls = 0;
$m = (new SendMail("127.0.0.1:" . sink_port('token')))
    ->setAuth($user, function () use (&$calls, $token) { return ++$calls === 3 ? "expired" : $token; }, 'XOAUTH2');
$batch = [];
for ($i = 0; $i < 12; $i++) {
    $batch[] = message("batch-own-$i-076@example.test");
}
$results = $m->sendBatch($batch, 3);
$failed = array_filter($results, fn($r) => $r instanceof SendMail\AuthException);
$sent = array_filter($results, fn($r) => $r instanceof SendMail\Receipt);
echo "calls $calls, some failed: ", json_encode(count($failed) > 0), ", some sent: ", json_encode(count($sent) > 0),
    ", all accounted for: ", json_encode(count($failed) + count($sent) === 12), "\n";

echo "-- argument types\n";
$m = new SendMail("127.0.0.1:1");
foreach ([[$token], 3.5, null] as $bad) {
    try {
        $m->setAuth($user, $bad);
        echo "accepted ", gettype($bad), "\n";
    } catch (TypeError $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
}
try {
    $m->setAuth($user, 'strlen');   // a callable string is a password, not a provider
    echo "a callable string is a password\n";
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}
try {
    $m->setAuth($user, new ArrayObject());
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}
$strict = sendmail_test_tempname('.php');
file_put_contents($strict, <<<'PHP'
<?php declare(strict_types=1);
return function (SendMail $m, string $user): void {
    foreach ([1234, [1], fn() => "t", "secret"] as $value) {
        try {
            $m->setAuth($user, $value);
            echo "strict: accepted ", get_debug_type($value), "\n";
        } catch (TypeError $e) {
            echo "strict: ", $e->getMessage(), "\n";
        }
    }
};
PHP);
(require $strict)($m, $user);
unlink($strict);
$p = (new ReflectionMethod(SendMail::class, 'setAuth'))->getParameters()[1];
echo $p->getType(), " ", json_encode($p->getAttributes()[0]->getName()), "\n";

echo "-- never shown\n";
$m = (new SendMail("127.0.0.1:" . sink_port('token')))->setAuth($user, fn() => $token . "-expired", 'XOAUTH2');
try {
    $m->sendMessage(message("never-10-076@example.test"));
} catch (SendMail\AuthException $e) {
    echo get_class($e), "\n";
}
$shown = print_r($m, true) . var_export($m, true) . json_encode($m) . serialize((array) $m)
    . $m->getTranscript() . $e . var_export($e->getTrace(), true) . $m->lastmessage . $m->lastact;
ob_start();
var_dump($m);
$shown .= ob_get_clean();
var_dump(str_contains($shown, substr($token, 10, 40)), str_contains($shown, "Closure"));
// A trace through the closure itself: its frame has no arguments, setAuth()'s is never in it.
$m = (new SendMail("127.0.0.1:" . sink_port('token')))->setAuth($user, function () use ($token) { throw new LogicException("no"); });
try {
    $m->sendMessage(message("never-11-076@example.test"));
} catch (LogicException $e) {
    // PHP 8.4 names a closure "{closure:FILE:LINE}", 8.2 "{closure}".
    echo preg_replace('/\{closure:[^}]*\}/', '{closure}', implode(" <- ", array_map(fn($f) => ($f['class'] ?? '') . ($f['type'] ?? '') . $f['function'], $e->getTrace()))), "\n";
    var_dump(str_contains(var_export($e->getTrace(), true) . $e, substr($token, 10, 40)));
}
try {
    (new SendMail("127.0.0.1:1"))->setAuth($user, $token, "NOPE");
} catch (ValueError $e) {
    var_dump(str_contains(var_export($e->getTrace(), true) . $e, substr($token, 10, 40)));
}

echo "-- collected with its object\n";
class TrackedMail extends SendMail {
    function __destruct() { echo "destroyed\n"; }
}
$m = new TrackedMail("127.0.0.1:" . sink_port('token'));
$m->setAuth($user, function () use ($m, $token) { return $token; }, 'XOAUTH2');
$m->sendMessage(message("cycle-076@example.test"));
gc_collect_cycles();
echo "still in use: ", arrived("cycle-076@example.test"), "\n";
$clone = clone $m;
unset($m, $clone);
$collected = gc_collect_cycles();
echo "collected: ", $collected > 0 ? "yes" : "no", "\n";
echo "done\n";
?>
--EXPECTF--
-- PLAIN over STARTTLS, kept connection
bool(true)
calls after three sends on one connection: 1
user@example.test PLAIN | user@example.test PLAIN
calls after close() and a send: 2
calls after two sends without keep-alive: 4
-- LOGIN in clear text to loopback, a Stringable
user@example.test LOGIN
-- XOAUTH2 and OAUTHBEARER
XOAUTH2: calls 1, user@example.test XOAUTH2 | user@example.test XOAUTH2
bool(false)
after probe() and do_command(): calls 3
OAUTHBEARER: calls 1, user@example.test OAUTHBEARER | user@example.test OAUTHBEARER
bool(false)
after probe() and do_command(): calls 3
-- the closure throws
bool(true)
NULL
calls 1, connections 0, AUTH sent: false
bool(true)
$lastmessage: the password closure threw an exception
bool(true)
calls 3, connections 0
bool(true)
calls 2, delivered null
NULL
NULL
kept: calls 1, user@example.test XOAUTH2
after close(): token service down, calls 2
-- the closure returns no string
TypeError: The $password closure of SendMail::setAuth() must return a string or Stringable, null returned (line of the call, connections 0)
TypeError: The $password closure of SendMail::setAuth() must return a string or Stringable, bool returned (line of the call, connections 0)
TypeError: The $password closure of SendMail::setAuth() must return a string or Stringable, int returned (line of the call, connections 0)
TypeError: The $password closure of SendMail::setAuth() must return a string or Stringable, array returned (line of the call, connections 0)
TypeError: The $password closure of SendMail::setAuth() must return a string or Stringable, stdClass returned (line of the call, connections 0)
send(): The $password closure of SendMail::setAuth() must return a string or Stringable, null returned
-- sendBatch(): one call per connection, before any message goes
calls 3, calls at the first progress report 3, receipts 9
arrived 9
one message, four connections allowed: calls 1, user@example.test XOAUTH2
calls 3, some failed: true, some sent: true, all accounted for: true
-- argument types
TypeError: SendMail::setAuth(): Argument #2 ($password) must be of type Closure|string, array given
accepted double

Deprecated: SendMail::setAuth(): Passing null to parameter #2 ($password) of type Closure|string is deprecated in %s on line %d
accepted NULL
a callable string is a password
SendMail::setAuth(): Argument #2 ($password) must be of type Closure|string, ArrayObject given
strict: SendMail::setAuth(): Argument #2 ($password) must be of type Closure|string, int given
strict: SendMail::setAuth(): Argument #2 ($password) must be of type Closure|string, array given
strict: accepted Closure
strict: accepted string
Closure|string "SensitiveParameter"
-- never shown
SendMail\AuthException
bool(false)
bool(false)
{closure} <- SendMail->sendMessage
bool(false)
bool(false)
-- collected with its object
still in use: user@example.test XOAUTH2
destroyed
collected: yes
done