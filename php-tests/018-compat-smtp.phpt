--TEST--
The English article's SMTP class through the SMTP alias: an unchanged script logs in over TLS and sends
--EXTENSIONS--
sendmail
--INI--
sendmail.aliases=send_mail,SMTP
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
[$user, $password] = sink_credentials();
// Host configuration, not script changes: the relay's private CA.
ini_set('sendmail.cafile', test_cert('ca.pem'));

// The script as it was written (the class file it used to include is gone).
$sm = new SMTP("127.0.0.1", sink_port('tls'), true, $user, $password);
$ok = $sm->sendmail("compat-018@example.test", "me@example.test", "Hello", "Sent by the old SMTP class.");
var_dump($ok, $sm->lastmessage);

$got = sink_received('compat-018@example.test');
var_dump($got['env']['tls'], $got['env']['auth_user'], $got['env']['helo']);
$p = mime_parse($got['eml']);
var_dump($p['body']);
var_dump(get_class($sm), $sm instanceof SendMail\Compat\Smtp, $sm->smtp_port === sink_port('tls'), $sm->host_name, $sm->relay_host, $sm->user);
// The password is a property (scripts pass it on), but never shows.
var_dump($sm->pass === $password, str_contains(print_r($sm, true), $password), str_contains($sm->getTranscript(), $password));
var_dump(str_contains($sm->getTranscript(), base64_encode($password)));

// smtp_putcmd(): one raw command on an open connection; true on 2xx/3xx.
$sm = new SMTP("127.0.0.1", sink_port('plain'));
var_dump($sm->smtp_putcmd("NOOP"), $sm->lastmessage);
var_dump($sm->smtp_putcmd("VRFY"), $sm->lastmessage);
var_dump($sm->smtp_putcmd("QUIT"), $sm->lastmessage);

// Failures return false with the reason.
$sm = new SMTP("127.0.0.1", sink_port('tls'), true, $user, "wrong");
var_dump($sm->sendmail("compat2-018@example.test", "me@example.test", "s", "b"), $sm->lastmessage);
$sm = new SMTP("", 25);
var_dump($sm->sendmail("compat3-018@example.test", "me@example.test"), $sm->lastmessage);
var_dump(class_exists('send_mail'), (new ReflectionClass('SMTP'))->getName());
?>
--EXPECTF--
bool(true)
string(%d) "250 2.0.0 Ok: queued as %s"
bool(true)
string(17) "user@example.test"
string(11) "[127.0.0.1]"
string(28) "Sent by the old SMTP class.
"
string(20) "SendMail\Compat\Smtp"
bool(true)
bool(true)
string(9) "127.0.0.1"
string(9) "127.0.0.1"
string(17) "user@example.test"
bool(true)
bool(false)
bool(false)
bool(false)
bool(true)
string(%d) "250 %s"
bool(false)
string(%d) "5%s"
bool(true)
string(%d) "221 %s"
bool(false)
string(44) "535 5.7.8 Authentication credentials invalid"
bool(false)
string(%d) "invalid $smtp: no SMTP server given (pass one, or set sendmail.host in php.ini)"
bool(true)
string(20) "SendMail\Compat\Smtp"
