--TEST--
TLS modes against real servers: STARTTLS (auto, required), implicit TLS, off; CA file, wrong name, untrusted CA, verify off
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

function run(string $label, SendMail $m, string $rcpt): void {
    $ok = $m->send($rcpt, "me@example.test", "TLS", "body of $label");
    $got = $ok ? sink_received($rcpt) : null;
    echo str_pad($label, 22), var_export($ok, true), " | ", $m->lastact, " | ",
         $ok ? "tls=" . var_export($got['env']['tls'], true) . " " . $got['env']['listener'] : $m->lastmessage, "\n";
}
$ca = test_cert('ca.pem');
$tls = "127.0.0.1:" . sink_port('tls');

run("auto, CA file", (new SendMail($tls))->setCaFile($ca), "auto-015@example.test");
run("required, CA file", (new SendMail($tls))->setTls("required")->setCaFile($ca), "required-015@example.test");
run("auto, system roots", new SendMail($tls), "roots-015@example.test");
run("wrong name", (new SendMail("127.0.0.1:" . sink_port('wrongname')))->setCaFile($ca), "wrongname-015@example.test");
run("untrusted CA", (new SendMail("127.0.0.1:" . sink_port('untrusted')))->setCaFile($ca), "untrusted-015@example.test");
run("untrusted, own CA", (new SendMail("127.0.0.1:" . sink_port('untrusted')))->setCaFile(test_cert('other-ca.pem')), "own-015@example.test");
run("verify off", (new SendMail("127.0.0.1:" . sink_port('wrongname')))->setVerifyPeer(false), "verifyoff-015@example.test");
run("off", (new SendMail($tls))->setTls("off"), "off-015@example.test");
run("smtps:// URL", (new SendMail("smtps://127.0.0.1:" . sink_port('smtps')))->setCaFile($ca), "smtps-015@example.test");
run("implicit", (new SendMail("127.0.0.1:" . sink_port('smtps')))->setTls("implicit")->setCaFile($ca), "implicit-015@example.test");
// "required" asks for TLS; an smtps:// URL has it from the first byte: no STARTTLS to wait for.
run("smtps:// + required", (new SendMail("smtps://127.0.0.1:" . sink_port('smtps')))->setTls("required")->setCaFile($ca)->setTimeout(5), "smtps-required-015@example.test");
run("URL ?tls=required", (new SendMail("smtp://127.0.0.1:" . sink_port('plain') . "?tls=required")), "urlreq-015@example.test");
run("required, plain", (new SendMail("127.0.0.1:" . sink_port('plain')))->setTls("required"), "plainreq-015@example.test");
run("auto, plain server", new SendMail("127.0.0.1:" . sink_port('plain')), "plainauto-015@example.test");

// The transcript of a STARTTLS session: EHLO again after TLS.
$m = (new SendMail($tls, "client.example.test"))->setCaFile($ca);
$m->send("transcript-015@example.test", "me@example.test", "s", "b");
echo implode("\n", array_filter(explode("\n", $m->getTranscript()), fn($l) => preg_match('/^>> (EHLO|STARTTLS|MAIL)/', $l))), "\n";
var_dump(sink_received("transcript-015@example.test")['env']['tls_version']);

// Bad settings are caught where they are made.
foreach (["sometimes"] as $mode) {
    try { (new SendMail($tls))->setTls($mode); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }
}
foreach (["/nonexistent/ca.pem", "php://memory", __DIR__] as $path) {
    try { (new SendMail($tls))->setCaFile($path); } catch (ValueError $e) { echo preg_replace('/: .*php-tests/', ': <dir>', $e->getMessage()), "\n"; }
}
$m = (new SendMail($tls))->setCaFile(__FILE__);
var_dump($m->send("badca-015@example.test", "me@example.test", "s", "b"), $m->lastmessage);
?>
--EXPECTF--
auto, CA file         true | QUIT | tls=true tls
required, CA file     true | QUIT | tls=true tls
auto, system roots    false | STARTTLS | TLS handshake with 127.0.0.1 failed: the server's certificate is not signed by a trusted CA (setCaFile() names a private CA)
wrong name            false | STARTTLS | TLS handshake with 127.0.0.1 failed: the server's certificate is not valid for 127.0.0.1
untrusted CA          false | STARTTLS | TLS handshake with 127.0.0.1 failed: the server's certificate is not signed by a trusted CA (setCaFile() names a private CA)
untrusted, own CA     true | QUIT | tls=true untrusted
verify off            true | QUIT | tls=true wrongname
off                   true | QUIT | tls=false tls
smtps:// URL          true | QUIT | tls=true smtps
implicit              true | QUIT | tls=true smtps
smtps:// + required   true | QUIT | tls=true smtps
URL ?tls=required     false | EHLO %s | TLS is required but the server does not offer STARTTLS
required, plain       false | EHLO %s | TLS is required but the server does not offer STARTTLS
auto, plain server    true | QUIT | tls=false plain
>> EHLO client.example.test
>> STARTTLS
>> EHLO client.example.test
>> MAIL FROM:<me@example.test>
string(7) "TLSv1.3"
SendMail::setTls(): Argument #1 ($mode): "sometimes" is not a TLS mode (auto, required, implicit or off)
SendMail::setCaFile(): /nonexistent/ca.pem: No such file or directory (os error 2)
SendMail::setCaFile(): "php://memory" must be a file path, not a stream URL
SendMail::setCaFile(): <dir> is not a regular file
bool(false)
string(%d) "CA file %s015-tls-modes.php: no PEM certificate in it"
