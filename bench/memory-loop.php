<?php
/*
 * Memory over a long send loop: does the extension leak per message?
 *
 *   php -d extension=target/release/libsendmail.so bench/memory-loop.php HOST:PORT [COUNT] [on|off] [MODE]
 *
 *   HOST:PORT  an SMTP server that accepts everything (bench/memory-loop.sh starts Postfix's smtp-sink)
 *   COUNT      messages to send (default 10000)
 *   on|off     setKeepAlive() (default off)
 *   MODE       send     legacy send() in a loop (default)
 *              message  sendMessage() of a SendMail\Message built per iteration
 *              batch    one sendBatch() call with COUNT messages (fed by a generator); the figures
 *                       are taken in its progress callback, keep-alive does not apply
 *
 * Every 1,000 messages (and at the end) it prints memory_get_usage() (Zend heap) and VmRSS
 * (/proc/self/status: the whole process, the extension's Rust allocations included). The first
 * WARMUP messages (default 1,000; env MEMLOOP_WARMUP) are warm-up; the verdict is the growth
 * from the end of warm-up to the end, in bytes, for both. Exit status 0 when the Zend heap grew
 * by at most MEMLOOP_MAX_HEAP bytes (default 65536) and RSS by at most MEMLOOP_MAX_RSS bytes
 * (default 262144: the allocator's arenas move a little) or MEMLOOP_MAX_RSS_PER_MSG bytes a
 * message (default 32), 1 otherwise, 2 on a usage error or a failed send. In batch mode RSS is
 * reported, not judged: sendBatch() holds every message and result until it returns.
 */

if (!extension_loaded('sendmail')) {
    fwrite(STDERR, "memory-loop: the sendmail extension is not loaded (php -d extension=...so)\n");
    exit(2);
}
$argv = $_SERVER['argv'];
if (count($argv) < 2 || !preg_match('/^.+:\d+$/', $argv[1])) {
    fwrite(STDERR, "usage: php bench/memory-loop.php HOST:PORT [COUNT] [on|off] [send|message|batch]\n");
    exit(2);
}
$server = $argv[1];
$count = (int) ($argv[2] ?? 10000);
$keepAlive = ($argv[3] ?? 'off') === 'on';
$mode = $argv[4] ?? 'send';
$every = 1000;
$warmup = (int) (getenv('MEMLOOP_WARMUP') ?: 1000);
$maxHeap = (int) (getenv('MEMLOOP_MAX_HEAP') ?: 65536);
$maxRss = (int) (getenv('MEMLOOP_MAX_RSS') ?: 256 << 10);
$maxRssPerMsg = (float) (getenv('MEMLOOP_MAX_RSS_PER_MSG') ?: 32);
if ($count < 1 || !in_array($mode, ['send', 'message', 'batch'], true) || !in_array($argv[3] ?? 'off', ['on', 'off'], true)) {
    fwrite(STDERR, "memory-loop: COUNT >= 1, on|off, send|message|batch\n");
    exit(2);
}
if ($warmup >= $count) {
    $warmup = intdiv($count, 2);
}

function rss(): int
{
    $status = (string) @file_get_contents('/proc/self/status');
    return preg_match('/^VmRSS:\s+(\d+)\s+kB/m', $status, $m) ? (int) $m[1] * 1024 : -1;
}

// Only scalars are kept (a growing array of samples would itself show up as heap growth).
$t0 = microtime(true);
$first = $base = $last = null;   // [sent, heap, rss]
function sample(int $sent): void
{
    global $t0, $first, $base, $last, $warmup;
    $heap = memory_get_usage();
    $rss = rss();
    printf("%7d sent  heap %10d B  rss %10d B  %6.1f s\n", $sent, $heap, $rss, microtime(true) - $t0);
    $first ??= [$sent, $heap, $rss];
    if ($base === null && $sent >= $warmup) {
        $base = [$sent, $heap, $rss];
    }
    $last = [$sent, $heap, $rss];
}

$body = str_repeat("A line of the message body, the same for every message.\n", 20);
$m = (new SendMail($server, 'memory-loop.example.test'))->setTls('off')->setTimeout(30)->setKeepAlive($keepAlive);
printf("memory-loop: %s, %d messages, mode %s, keep-alive %s, PHP %s\n", $server, $count, $mode,
    $mode === 'batch' ? 'n/a' : ($keepAlive ? 'on' : 'off'), PHP_VERSION);
sample(0);

$failed = 0;
if ($mode === 'batch') {
    $gen = (function () use ($count, $body) {
        for ($i = 1; $i <= $count; $i++) {
            yield $i => (new SendMail\Message)
                ->from('sender@example.test')
                ->to("rcpt$i@example.test")
                ->subject("memory-loop $i")
                ->text($body);
        }
    })();
    $results = $m->sendBatch($gen, 4, function (int $done, int $total) use ($every) {
        if ($done % $every === 0 && $done < $total) {
            sample($done);
        }
    });
    foreach ($results as $r) {
        if (!$r instanceof SendMail\Receipt) {
            $failed++;
            if ($failed === 1) {
                fwrite(STDERR, "memory-loop: failed: " . $r->getMessage() . "\n");
            }
        }
    }
    $held = count($results);
    $heapHeld = memory_get_usage();
    unset($results, $gen);
    printf("sendBatch() returned %d results: heap %d B while held, rss %d B; the end sample is taken after unset()\n",
        $held, $heapHeld, rss());
    sample($count);
} else {
    for ($i = 1; $i <= $count; $i++) {
        if ($mode === 'send') {
            $ok = $m->send("rcpt$i@example.test", 'sender@example.test', "memory-loop $i", $body);
            if (!$ok) {
                $failed++;
                if ($failed === 1) {
                    fwrite(STDERR, "memory-loop: send $i failed: $m->lastact: $m->lastmessage\n");
                }
            }
        } else {
            try {
                $m->sendMessage((new SendMail\Message)
                    ->from('sender@example.test')
                    ->to("rcpt$i@example.test")
                    ->subject("memory-loop $i")
                    ->text($body));
            } catch (SendMail\Exception $e) {
                $failed++;
                if ($failed === 1) {
                    fwrite(STDERR, "memory-loop: message $i failed: " . $e->getMessage() . "\n");
                }
            }
        }
        if ($i % $every === 0 || $i === $count) {
            sample($i);
        }
    }
}
$m->close();

// The verdict: from the sample at (or just after) the end of warm-up to the last one.
[, $h0, $r0] = $first;
[$nb, $hb, $rb] = $base;
[$ne, $he, $re] = $last;
$heapGrowth = $he - $hb;
$rssGrowth = $re - $rb;
$perMsg = fn(int $g) => $ne > $nb ? sprintf('%.1f', $g / ($ne - $nb)) : 'n/a';
printf("start: heap %d B, rss %d B | after warm-up (%d sent): heap %d B, rss %d B | end (%d sent): heap %d B, rss %d B\n",
    $h0, $r0, $nb, $hb, $rb, $ne, $he, $re);
// sendBatch() holds every message and every result until it returns (its return value is
// per message): RSS inside one call grows with the batch by design and is not judged.
$rssJudged = $mode !== 'batch';
$rssFlat = $rssGrowth <= $maxRss || $rssGrowth <= $maxRssPerMsg * max(1, $ne - $nb);
$ok = $failed === 0 && $heapGrowth <= $maxHeap && (!$rssJudged || $rssFlat);
printf("verdict: growth after warm-up: heap %+d B (%s B/message), rss %+d B (%s B/message%s); failures %d; %s\n",
    $heapGrowth, $perMsg($heapGrowth), $rssGrowth, $perMsg($rssGrowth), $rssJudged ? '' : ', held by the call, not judged',
    $failed, $ok ? 'FLAT' : ($failed ? 'SEND FAILURES' : 'GROWING'));
exit($failed ? 2 : ($ok ? 0 : 1));
