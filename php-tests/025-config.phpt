--TEST--
php.ini settings: the server, port, credentials, TLS and timeout from sendmail.*; bad values warn; phpinfo() masks the password
--EXTENSIONS--
sendmail
--INI--
sendmail.from=site@example.test
sendmail.helo=client.example.test
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
[$user, $password] = sink_credentials();

// No server anywhere: a ValueError that says where to set one.
try { new SendMail(); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }

// sendmail.host (and port): new SendMail() with no argument.
ini_set('sendmail.host', '127.0.0.1');
ini_set('sendmail.port', (string) sink_port());
$m = new SendMail();
var_dump($m->smtp, $m->welcome, $m->send("ini-025@example.test", "me@example.test", "s", "b"));
var_dump(sink_received('ini-025@example.test')['env']['helo']);

// sendmail.dsn overrides host and port; its credentials and TLS apply; the CA from sendmail.cafile.
ini_set('sendmail.dsn', "smtp://" . rawurlencode($user) . ":" . rawurlencode($password) . "@127.0.0.1:" . sink_port('tls') . "?tls=required");
ini_set('sendmail.cafile', test_cert('ca.pem'));
$m = new SendMail();
var_dump($m->send("dsn-025@example.test", "me@example.test", "s", "b"));
$env = sink_received('dsn-025@example.test')['env'];
var_dump($env['tls'], $env['auth_user']);
ini_set('sendmail.dsn', '');

// sendmail.user/password and sendmail.tls for the host.
ini_set('sendmail.host', '127.0.0.1:' . sink_port('tls'));
ini_set('sendmail.user', $user);
ini_set('sendmail.password', $password);
ini_set('sendmail.tls', 'required');
var_dump((new SendMail())->send("userpw-025@example.test", "me@example.test", "s", "b"));
var_dump(sink_received('userpw-025@example.test')['env']['auth_user']);

// Settings a script makes win over php.ini.
$m = (new SendMail())->setTls("off")->setAuth("", "");
var_dump($m->send("off-025@example.test", "me@example.test", "s", "b"), $m->lastmessage);

// Bad values: a warning that names the setting, and a usable default.
ini_set('sendmail.tls', 'sometimes');
ini_set('sendmail.timeout', '-3');
ini_set('sendmail.port', 'abc');
ini_set('sendmail.host', '127.0.0.1:' . sink_port());
ini_set('sendmail.user', '');
var_dump((new SendMail())->send("bad-025@example.test", "me@example.test", "s", "b"));

// phpinfo(): every setting, the password masked.
ini_set('sendmail.password', 'hunter2');
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
preg_match_all('/^(sendmail\.\w+) => (.*) => (.*)$/m', $info, $rows, PREG_SET_ORDER);
foreach ($rows as [, $name, $local]) echo "$name = ", str_replace([(string) sink_port(), (string) sink_port('tls')], '<port>', $local), "\n";
var_dump(str_contains($info, 'hunter2'), str_contains($info, $password));

// ini_restore() puts php.ini's value back, as for PHP's own settings.
ini_set('sendmail.helo', 'other.example.test');
ini_restore('sendmail.helo');
var_dump(ini_get('sendmail.helo'));
?>
--EXPECTF--
SendMail::__construct(): Argument #1 ($smtp) must name an SMTP server such as "mail.example.com" or "127.0.0.1:2525": no SMTP server given (pass one, or set sendmail.host in php.ini)
string(0) ""
string(19) "client.example.test"
bool(true)
string(19) "client.example.test"
bool(true)
bool(true)
string(17) "user@example.test"
bool(true)
string(17) "user@example.test"
bool(false)
string(%d) "%s"

Warning: SendMail::__construct(): php.ini sendmail.port: not a port number from 1 to 65535; using 25 in %s on line %d

Warning: SendMail::__construct(): php.ini sendmail.tls: "sometimes" is not a TLS mode (auto, required, implicit or off); using auto in %s on line %d

Warning: SendMail::__construct(): php.ini sendmail.timeout: "-3" is not a number of seconds from 0 to 86400; using default_socket_timeout in %s on line %d

Warning: SendMail::send(): php.ini sendmail.port: not a port number from 1 to 65535; using 25 in %s on line %d

Warning: SendMail::send(): php.ini sendmail.tls: "sometimes" is not a TLS mode (auto, required, implicit or off); using auto in %s on line %d

Warning: SendMail::send(): php.ini sendmail.timeout: "-3" is not a number of seconds from 0 to 86400; using default_socket_timeout in %s on line %d
bool(true)
sendmail.host = 127.0.0.1:<port>
sendmail.port = abc
sendmail.user = no value
sendmail.password = ********
sendmail.tls = sometimes
sendmail.timeout = -3
sendmail.from = site@example.test
sendmail.helo = client.example.test
sendmail.dsn = no value
sendmail.aliases = send_mail
sendmail.cafile = %s/ca.pem
sendmail.dkim_domain = no value
sendmail.dkim_selector = no value
sendmail.dkim_key = no value
sendmail.persistent = 0
sendmail.max_persistent = 16
sendmail.client_cert = no value
sendmail.client_key = no value
bool(false)
bool(false)
string(19) "client.example.test"
