--TEST--
Memory stays flat over a long send loop (keep-alive on and off): memory_get_usage() after warm-up; the kept transcript
--EXTENSIONS--
sendmail
--INI--
memory_limit=128M
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
// The aiosmtpd 'plain' listener stores every message (a temporary maildir, two fsync()s a
// message): ~1,400 messages are a few MB there and take 3-15 s, depending on the machine's
// load. Under valgrind (run-tests -m sets USE_ZEND_ALLOC=0, and memory_get_usage() then
// measures nothing useful) the loops are short: they check only that nothing goes wrong.
// The bound (16 KiB over 800 messages) fails for a leak of ~20 B a message in the Zend heap:
// appending "message $i" to a global array in the loop makes it fail (56 KiB). Memory the
// extension holds in Rust is not in memory_get_usage(): bench/memory-loop.sh watches RSS.
$valgrind = getenv('USE_ZEND_ALLOC') === '0';
$warmup = $valgrind ? 5 : 400;
$total = $valgrind ? 20 : 1200;
$bound = 16 * 1024;

// One loop: $n messages with legacy send() (and every 10th with sendMessage()), the heap
// measured after warm-up and at the end. Only scalars are kept between the two samples.
function run_loop(bool $keepAlive, int $warmup, int $total): array
{
    $m = (new SendMail("127.0.0.1:" . sink_port('plain'), "memory.example.test"))->setTimeout(10)->setKeepAlive($keepAlive);
    $body = str_repeat("The same body line for every message of the memory loop.\n", 10);
    $failures = 0;
    $heapWarm = 0;
    $transcriptWarm = 0;
    for ($i = 1; $i <= $total; $i++) {
        if ($i % 10 === 0) {
            try {
                $m->sendMessage((new SendMail\Message)->from("me@example.test")->to("flat-050@example.test")->subject("m $i")->text($body));
            } catch (SendMail\Exception $e) {
                $failures++;
            }
        } elseif (!$m->send("flat-050@example.test", "me@example.test", "s $i", $body)) {
            $failures++;
        }
        if ($i === $warmup) {
            gc_collect_cycles();
            $heapWarm = memory_get_usage();
            $transcriptWarm = strlen($m->getTranscript());
        }
    }
    gc_collect_cycles();
    $heapEnd = memory_get_usage();
    $transcriptEnd = strlen($m->getTranscript());
    $m->close();
    return ['failures' => $failures, 'heap' => $heapEnd - $heapWarm, 'transcript' => [$transcriptWarm, $transcriptEnd]];
}

foreach ([true, false] as $keepAlive) {
    // Keep-alive off opens a connection per message: a shorter loop keeps the test quick.
    $n = $keepAlive ? $total : intdiv($total, 5);
    $w = $keepAlive ? $warmup : intdiv($warmup, 5);
    $r = run_loop($keepAlive, $w, $n);
    $label = "keep-alive " . ($keepAlive ? "on" : "off") . ", $n messages";
    echo "$label: failures {$r['failures']}, heap growth after message $w ",
        $r['heap'] <= $bound ? "under 16 KiB" : "{$r['heap']} B (more than 16 KiB)", "\n";
    // The transcript is "the last session": with keep-alive the session is the whole
    // connection, so only its last 64 KiB are kept (1,200 messages are ~450 KB of dialogue).
    if ($keepAlive) {
        echo "$label: transcript ", $r['transcript'][1] <= 64 * 1024 ? "at most 64 KiB" : "{$r['transcript'][1]} B", "\n";
    }
    if (!$keepAlive) {
        echo "$label: transcript ", $r['transcript'][1] < 4096 ? "one session" : "{$r['transcript'][1]} B", "\n";
    }
}
?>
--EXPECTF--
keep-alive on, %d messages: failures 0, heap growth after message %d under 16 KiB
keep-alive on, %d messages: transcript at most 64 KiB
keep-alive off, %d messages: failures 0, heap growth after message %d under 16 KiB
keep-alive off, %d messages: transcript one session
