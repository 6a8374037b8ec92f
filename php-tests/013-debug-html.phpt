--TEST--
Debug output outside the CLI: HTML-escaped lines with <br />, as the legacy class printed them for web pages
--EXTENSIONS--
sendmail
--CGI--
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

$m = new SendMail("127.0.0.1:" . sink_port(), "client.example.test", true);
$m->show_debug("250 <ok> & \"fine\"", "in");
$m->show_debug("two\nlines", "out");
ob_start();
$ok = $m->send("html-013@example.test", "Me <me@example.test>", "s", "<b>never shown</b>\n");
$out = ob_get_clean();
var_dump($ok);
$lines = explode("\n", trim($out));
echo $lines[0], "\n";
var_dump(count($lines) === substr_count($out, "<br />"), str_contains($out, "never shown"));
var_dump(str_contains($out, "&gt;&gt; MAIL FROM:&lt;me@example.test&gt;<br />\n"));
?>
--EXPECTF--
&lt;&lt; 250 &lt;ok&gt; &amp; &quot;fine&quot;<br />
&gt;&gt; two<br />
lines<br />
bool(true)
&gt;&gt; connect to 127.0.0.1:%d<br />
bool(true)
bool(false)
bool(true)
