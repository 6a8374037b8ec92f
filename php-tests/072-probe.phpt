--TEST--
probe(): connect, EHLO, TLS and AUTH as configured, QUIT, no mail: STARTTLS with AUTH, implicit TLS, a plain server, a refusing server, a wrong password, a certificate for another name
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
[$user, $password] = sink_credentials();
$ca = test_cert('ca.pem');
// What openssl says of the server's certificate, to compare with (the subject and issuer
// as tests/certs.sh made them, the names in the certificate's order).
$x509 = openssl_x509_parse(file_get_contents(test_cert('server.pem')));
$notAfter = gmdate('Y-m-d\TH:i:s\Z', $x509['validTo_time_t']);
$dn = fn (array $name) => implode(', ', array_map(fn ($k, $v) => "$k=$v", array_keys($name), $name));
$san = array_map(fn ($n) => preg_replace('/^(DNS|IP Address):/', '', trim($n)), explode(',', $x509['extensions']['subjectAltName']));
// Every probe of the shared sink says this EHLO name, so that the end can look for a
// message that came with it (other tests deliver to the same sink meanwhile).
$helo = 'probe-' . getmypid() . '.test';
$named = function (SendMail $m) use ($helo): SendMail {
    $m->welcome = $helo;
    return $m;
};

echo "-- STARTTLS and AUTH\n";
$m = $named(new SendMail("127.0.0.1:" . sink_port('tls')))->setCaFile($ca)->setTls('required')->setAuth($user, $password, 'PLAIN');
$p = $m->probe();
var_dump(array_keys($p));
var_dump($p['server'] === "127.0.0.1:" . sink_port('tls'), $p['greeting']);
// The EHLO after STARTTLS: AUTH is offered now, STARTTLS no more.
var_dump(in_array('STARTTLS', $p['capabilities'], true), in_array('AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2 OAUTHBEARER', $p['capabilities'], true));
var_dump($p['tls']['version'], (bool) preg_match('/^TLS\d+_/', $p['tls']['cipher']), $p['tls']['resumed']);
var_dump($p['tls']['subject'], $p['tls']['issuer'], $p['tls']['names'], $p['tls']['not_after'] === $notAfter);
var_dump($p['tls']['subject'] === $dn($x509['subject']), $p['tls']['issuer'] === $dn($x509['issuer']), $p['tls']['names'] === $san);
var_dump($p['auth'], $p['round_trips'], is_float($p['time']) && $p['time'] > 0);
// Connect, EHLO, STARTTLS, the TLS 1.3 handshake, EHLO, AUTH, QUIT.
echo str_replace("\n", "|", preg_replace('/^(>> AUTH PLAIN) .*$/m', '$1 <masked>', $m->getTranscript())), "\n";

echo "-- implicit TLS, no AUTH\n";
$p = $named(new SendMail("smtps://127.0.0.1:" . sink_port('smtps')))->setCaFile($ca)->probe();
var_dump($p['tls']['version'], $p['auth'], in_array('STARTTLS', $p['capabilities'], true), $p['round_trips']);

echo "-- plain\n";
$p = $named(new SendMail("127.0.0.1:" . sink_port('plain')))->setTls('off')->probe();
var_dump($p['tls'], $p['auth'], $p['round_trips'], $p['capabilities'][0]);

echo "-- failures are the usual exceptions\n";
$srv = scripted_server([['send' => "554 5.7.1 go away\r\n"], ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]]);
foreach ([
    'refusing server' => new SendMail("127.0.0.1:{$srv['port']}"),
    'wrong password' => $named(new SendMail("127.0.0.1:" . sink_port('tls')))->setCaFile($ca)->setAuth($user, 'wrong'),
    'wrong name' => $named(new SendMail("127.0.0.1:" . sink_port('wrongname')))->setCaFile($ca),
    'closed port' => (new SendMail("127.0.0.1:1"))->setTimeout(2),
] as $what => $m) {
    try {
        $m->probe();
        echo "$what: no exception?!\n";
    } catch (SendMail\Exception $e) {
        echo "$what: ", get_class($e), " | ", $e->getStage(), " | ", $e->getMessage(), "\n";
    }
}
scripted_wait($srv);
// Nothing was sent by any of it: no message in the sink came with the probes' EHLO name.
$sent = 0;
foreach (glob(getenv('SENDMAIL_TEST_MAILDIR') . '/*.json') as $json) {
    $sent += (json_decode((string) file_get_contents($json), true)['helo'] ?? null) === $helo;
}
var_dump($sent);
?>
--EXPECTF--
-- STARTTLS and AUTH
array(7) {
  [0]=>
  string(6) "server"
  [1]=>
  string(8) "greeting"
  [2]=>
  string(12) "capabilities"
  [3]=>
  string(3) "tls"
  [4]=>
  string(4) "auth"
  [5]=>
  string(11) "round_trips"
  [6]=>
  string(4) "time"
}
bool(true)
string(%d) "220 %s"
bool(false)
bool(true)
string(7) "TLSv1.3"
bool(true)
bool(false)
string(30) "O=sendmail tests, CN=localhost"
string(37) "O=sendmail tests, CN=sendmail test CA"
array(2) {
  [0]=>
  string(9) "127.0.0.1"
  [1]=>
  string(9) "localhost"
}
bool(true)
bool(true)
bool(true)
bool(true)
array(2) {
  ["mechanism"]=>
  string(5) "PLAIN"
  ["ok"]=>
  bool(true)
}
int(7)
bool(true)
>> connect to 127.0.0.1:%d|<< 220 %s|>> EHLO %s|<< 250-%s|>> STARTTLS|<< 220 %s|>> EHLO %s|<< 250-%s|>> AUTH PLAIN <masked>|<< 235 %s|>> QUIT|<< 221 %s|
-- implicit TLS, no AUTH
string(7) "TLSv1.3"
NULL
bool(false)
int(4)
-- plain
NULL
NULL
int(3)
string(%d) "SIZE %d"
-- failures are the usual exceptions
refusing server: SendMail\Exception | greeting | greeting refused: 554 5.7.1 go away
wrong password: SendMail\AuthException | auth | %s535 5.7.8 Authentication credentials invalid
wrong name: SendMail\TlsException | tls | TLS handshake with 127.0.0.1 failed: the server's certificate is not valid for 127.0.0.1
closed port: SendMail\ConnectException | connect | connect to 127.0.0.1:1: Connection refused
int(0)
