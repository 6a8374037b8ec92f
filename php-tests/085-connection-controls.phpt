--TEST--
Connection controls on the wire: setMaxPerConnection() / ?restart_threshold= (kept connections and sendBatch()), setRateLimit() / ?max_per_second= (one object, a batch), setIdleCheck(), setRelayMode("roundrobin") / ?relay_mode= over two servers (failover still works); bad values are ValueErrors
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
$tag = bin2hex(random_bytes(4));
$plain = sink_port('plain');
$chunking = sink_port('chunking');
$i = 0;
$next = function () use ($tag, &$i): string { return "c" . ++$i . "-$tag@example.test"; };
$env = fn (string $rcpt) => sink_received($rcpt, 3.0)['env'] ?? null;
$sendAll = function (SendMail $m, int $count) use ($next): array {
    $list = [];
    for ($k = 0; $k < $count; $k++) {
        $list[] = $rcpt = $next();
        if (!$m->send($rcpt, "me@example.test", "controls", "body")) {
            echo "send failed: $m->lastmessage\n";
        }
    }
    return $list;
};
$batch = function (SendMail $m, int $count, int $connections) use ($next): array {
    $list = [];
    for ($k = 0; $k < $count; $k++) {
        $list[] = ['to' => $next(), 'from' => 'me@example.test', 'subject' => 'batch', 'message' => 'body'];
    }
    foreach ($m->sendBatch($list, $connections) as $result) {
        if (!$result instanceof SendMail\Receipt) {
            echo "batch message failed: ", $result->getMessage(), "\n";
        }
    }
    return array_column($list, 'to');
};
// How many messages each connection carried, in the order the connections opened.
$perConnection = fn (array $rcpts) => array_values(array_count_values(array_map(fn ($r) => $env($r)['peer'][1] ?? 'lost', $rcpts)));
// The seconds from the first message's arrival to the last one's.
$span = function (array $rcpts) use ($env): float {
    $times = array_map(fn ($r) => $env($r)['received'], $rcpts);
    return max($times) - min($times);
};

echo "-- max per connection\n";
$m = (new SendMail("127.0.0.1:$plain"))->setKeepAlive(true)->setMaxPerConnection(2);
echo "setter: ", json_encode($perConnection($sendAll($m, 5))), "\n";
$m->close();
$m = (new SendMail("smtp://127.0.0.1:$plain?restart_threshold=2"))->setKeepAlive(true);
echo "URL: ", json_encode($perConnection($sendAll($m, 5))), "\n";
$m->close();
$m = (new SendMail("127.0.0.1:$plain"))->setKeepAlive(true)->setMaxPerConnection(0);
echo "0 is no limit: ", json_encode($perConnection($sendAll($m, 3))), "\n";
$m->close();
$counts = $perConnection($batch((new SendMail("127.0.0.1:$plain"))->setMaxPerConnection(2), 5, 1));
echo "batch, one connection: ", json_encode($counts), "\n";

echo "-- rate limit\n";
// 10 per second: six transactions start 0.1 s apart, so the last arrives about 0.5 s after
// the first (0.4 leaves room for a first transaction slower than the last one).
$m = (new SendMail("127.0.0.1:$plain"))->setKeepAlive(true)->setRateLimit(10);
echo "setter held: ", json_encode($span($sendAll($m, 6)) >= 0.4), "\n";
$m->close();
$m = (new SendMail("smtp://127.0.0.1:$plain?max_per_second=10"))->setKeepAlive(true);
echo "URL held: ", json_encode($span($sendAll($m, 6)) >= 0.4), "\n";
$m->close();
echo "batch of 3 connections held: ", json_encode($span($batch((new SendMail("127.0.0.1:$plain"))->setRateLimit(10), 6, 3)) >= 0.4), "\n";

echo "-- idle check\n";
// The commands of one more message on the kept connection.
$said = function (SendMail $m) use ($sendAll): string {
    $before = strlen($m->getTranscript());
    $sendAll($m, 1);
    return preg_match_all('/^>> ([A-Z]{4,8})\b/m', substr($m->getTranscript(), $before), $found) ? implode(' ', $found[1]) : '';
};
$m = (new SendMail("127.0.0.1:$plain", "idle.example.test"))->setKeepAlive(true);
$sendAll($m, 1);
echo "default (5 s), at once: ", $said($m), "\n";
$m->setIdleCheck(0);
echo "0: ", $said($m), "\n";
$m->setIdleCheck(1);
echo "1 s, at once: ", $said($m), "\n";
usleep(1100000);
echo "1 s, after 1.1 s: ", $said($m), "\n";
// DATA's message ends with "." on the wire, and in the dialogue.
echo "after DATA: ", json_encode(preg_match('/^>> \[message: \d+ bytes\]\n(.*)$/m', $m->getTranscript(), $after) ? $after[1] : null), "\n";
$m->close();

echo "-- relay mode\n";
$listener = fn (array $rcpts) => implode(' ', array_map(fn ($r) => $env($r)['listener'] ?? 'lost', $rcpts));
$list = "127.0.0.1:$plain;127.0.0.1:$chunking";
echo "failover: ", $listener($sendAll(new SendMail($list), 3)), "\n";
echo "roundrobin: ", $listener($sendAll((new SendMail($list))->setRelayMode('roundrobin'), 4)), "\n";
// The turn is kept by the process for the list: a new object goes on where the last stopped.
echo "roundrobin, next object: ", $listener($sendAll((new SendMail($list))->setRelayMode('RoundRobin'), 1)), "\n";
echo "URL: ", $listener($sendAll(new SendMail("smtp://127.0.0.1:$chunking?relay_mode=roundrobin;smtp://127.0.0.1:$plain"), 2)), "\n";
$used = array_count_values(array_map(fn ($r) => $env($r)['listener'], $batch((new SendMail($list))->setRelayMode('roundrobin'), 6, 2)));
ksort($used);
echo "batch of 2 connections uses: ", implode(' ', array_keys($used)), "\n";
// A relay that is down: the connections that start there fail over to the next one.
$closed = stream_socket_server('tcp://127.0.0.1:0');
$dead = (int) substr(strrchr(stream_socket_get_name($closed, false), ':'), 1);
fclose($closed);
echo "with a dead relay: ", $listener($sendAll((new SendMail("127.0.0.1:$dead;127.0.0.1:$plain"))->setRelayMode('roundrobin'), 3)), "\n";

echo "-- bad values\n";
foreach ([
    fn () => (new SendMail($list))->setRateLimit(-1),
    fn () => (new SendMail($list))->setRateLimit(NAN),
    fn () => (new SendMail($list))->setMaxPerConnection(-1),
    fn () => (new SendMail($list))->setIdleCheck(-0.5),
    fn () => (new SendMail($list))->setIdleCheck(INF),
    fn () => (new SendMail($list))->setRelayMode('random'),
    fn () => new SendMail("smtp://127.0.0.1:$plain?relay_mode=random"),
    fn () => new SendMail("smtp://127.0.0.1:$plain?max_per_second=fast"),
    fn () => new SendMail("smtp://127.0.0.1:$plain?restart_threshold=-1"),
    fn () => new SendMail("smtp://127.0.0.1:$plain?ping_threshold=-5"),
] as $bad) {
    try {
        $bad();
        echo "accepted\n";
    } catch (ValueError $e) {
        echo get_class($e), ": ", str_replace((string) $plain, 'PORT', $e->getMessage()), "\n";
    }
}
?>
--EXPECT--
-- max per connection
setter: [2,2,1]
URL: [2,2,1]
0 is no limit: [3]
batch, one connection: [2,2,1]
-- rate limit
setter held: true
URL held: true
batch of 3 connections held: true
-- idle check
default (5 s), at once: MAIL RCPT DATA
0: NOOP MAIL RCPT DATA
1 s, at once: MAIL RCPT DATA
1 s, after 1.1 s: NOOP MAIL RCPT DATA
after DATA: ">> ."
-- relay mode
failover: plain plain plain
roundrobin: plain chunking plain chunking
roundrobin, next object: plain
URL: chunking plain
batch of 2 connections uses: chunking plain
with a dead relay: plain plain plain
-- bad values
ValueError: SendMail::setRateLimit(): Argument #1 ($perSecond) must be from 0 (no limit) to 1000000
ValueError: SendMail::setRateLimit(): Argument #1 ($perSecond) must be from 0 (no limit) to 1000000
ValueError: SendMail::setMaxPerConnection(): Argument #1 ($messages) must be from 0 (no limit) to 4294967295
ValueError: SendMail::setIdleCheck(): Argument #1 ($seconds) must be from 0 to 86400
ValueError: SendMail::setIdleCheck(): Argument #1 ($seconds) must be from 0 to 86400
ValueError: SendMail::setRelayMode(): Argument #1 ($mode): "random" is not a relay mode (failover, roundrobin)
ValueError: SendMail::__construct(): Argument #1 ($smtp) must name an SMTP server such as "mail.example.com" or "127.0.0.1:2525": "smtp://127.0.0.1:PORT?relay_mode=random": "random" is not a relay mode (failover, roundrobin)
ValueError: SendMail::__construct(): Argument #1 ($smtp) must name an SMTP server such as "mail.example.com" or "127.0.0.1:2525": "smtp://127.0.0.1:PORT?max_per_second=fast": max_per_second="fast" must be a number from 0 to 1000000
ValueError: SendMail::__construct(): Argument #1 ($smtp) must name an SMTP server such as "mail.example.com" or "127.0.0.1:2525": "smtp://127.0.0.1:PORT?restart_threshold=-1": restart_threshold=-1 is not a number of messages
ValueError: SendMail::__construct(): Argument #1 ($smtp) must name an SMTP server such as "mail.example.com" or "127.0.0.1:2525": "smtp://127.0.0.1:PORT?ping_threshold=-5": ping_threshold="-5" must be a number from 0 to 86400
