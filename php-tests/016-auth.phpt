--TEST--
AUTH against a real server after STARTTLS: each mechanism, the strongest by default, wrong password, XOAUTH2 refusal, URL credentials
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
[$user, $password] = sink_credentials();
$ca = test_cert('ca.pem');
$tls = "127.0.0.1:" . sink_port('tls');

function run(string $label, SendMail $m, string $rcpt): void {
    $ok = $m->send($rcpt, "me@example.test", "AUTH", "body");
    $env = $ok ? sink_received($rcpt)['env'] : null;
    echo str_pad($label, 20), var_export($ok, true), " | ", $m->lastact, " | ",
         $ok ? "{$env['auth_user']} via {$env['auth_mechanism']}" : $m->lastmessage, "\n";
}

foreach ([null, "PLAIN", "LOGIN", "CRAM-MD5", "XOAUTH2", "plain"] as $mechanism) {
    $m = (new SendMail($tls))->setCaFile($ca)->setAuth($user, $password, $mechanism);
    run($mechanism ?? "(strongest)", $m, "auth-" . strtolower($mechanism ?? "default") . "-016@example.test");
}
run("wrong password", (new SendMail($tls))->setCaFile($ca)->setAuth($user, "wrong", "LOGIN"), "wrong-016@example.test");
run("bad token", (new SendMail($tls))->setCaFile($ca)->setAuth($user, "expired", "XOAUTH2"), "token-016@example.test");
run("implicit TLS", (new SendMail("smtps://127.0.0.1:" . sink_port('smtps')))->setCaFile($ca)->setAuth($user, $password), "smtps-016@example.test");
run("URL credentials", (new SendMail("smtp://" . rawurlencode($user) . ":" . rawurlencode($password) . "@127.0.0.1:" . sink_port('tls') . "?auth=LOGIN"))->setCaFile($ca), "url-016@example.test");
run("server without AUTH", (new SendMail("127.0.0.1:" . sink_port('plain')))->setAuth($user, $password), "noauth-016@example.test");
try {
    (new SendMail($tls))->setAuth($user, $password, "GSSAPI");
} catch (ValueError $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
?>
--EXPECTF--
(strongest)         true | QUIT | user@example.test via CRAM-MD5
PLAIN               true | QUIT | user@example.test via PLAIN
LOGIN               true | QUIT | user@example.test via LOGIN
CRAM-MD5            true | QUIT | user@example.test via CRAM-MD5
XOAUTH2             true | QUIT | user@example.test via XOAUTH2
plain               true | QUIT | user@example.test via PLAIN
wrong password      false | AUTH LOGIN | 535 5.7.8 Authentication credentials invalid
bad token           false | AUTH XOAUTH2 **** | 535 5.7.8 Username and Password not accepted
implicit TLS        true | QUIT | user@example.test via CRAM-MD5
URL credentials     true | QUIT | user@example.test via LOGIN
server without AUTH false | EHLO %s | the server does not offer AUTH
ValueError: SendMail::setAuth(): Argument #3 ($mechanism) must be PLAIN, LOGIN, CRAM-MD5, XOAUTH2 or OAUTHBEARER, "GSSAPI" given
