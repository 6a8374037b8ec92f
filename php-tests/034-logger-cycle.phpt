--TEST--
setLogger(): a logger closure that holds its own SendMail is collected with it (the garbage collector sees the logger), and survives collections while in use
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

// A live object: collections while it is in use leave its logger working.
$m = new SendMail("127.0.0.1:" . sink_port(), "client.example.test");
$lines = 0;
$m->setLogger(function (string $line, string $direction) use ($m, &$lines) { $lines++; });
gc_collect_cycles();
var_dump($m->send("cycle-034@example.test", "me@example.test", "s", "m"), $lines > 5);
gc_collect_cycles();
$lines = 0;
var_dump($m->send("cycle-034@example.test", "me@example.test", "s", "m"), $lines > 5);
// Settings changed by the logger while it runs hold for the next call: a logger that removes
// itself at its first line (breaking its own cycle) is gone afterwards.
$calls = 0;
$m->setLogger(function () use ($m, &$calls) { $calls++; $m->setLogger(null); $m->setTimeout(2); });
var_dump($m->send("cycle-034@example.test", "me@example.test", "s", "m"), $calls > 5);
$first = $calls;
var_dump($m->send("cycle-034@example.test", "me@example.test", "s", "m"), $calls === $first);
unset($m);

// Garbage cycles through the logger, clones included, are collected.
$before = memory_get_usage();
for ($i = 0; $i < 3000; $i++) {
    $o = new SendMail("127.0.0.1:1");
    $o->setLogger(function ($line) use ($o) {});
    $c = clone $o;
    $c->setLogger(function ($line) use ($c, $o) {});
    unset($o, $c);
}
gc_collect_cycles();
$growth = memory_get_usage() - $before;
echo $growth < 256 * 1024 ? "collected\n" : "leaked $growth bytes\n";
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
collected
