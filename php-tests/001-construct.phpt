--TEST--
SendMail: constructor forms, legacy properties, the send_mail alias, loose property writes
--EXTENSIONS--
sendmail
--FILE--
<?php
$m = new send_mail("mail.example.test");
var_dump(get_class($m), $m instanceof SendMail, $m->smtp, $m->port, $m->debug, $m->lastact, $m->lastmessage);
var_dump($m->welcome === gethostname());

$m = new SendMail("127.0.0.1:2525", "client.example.test", true);
var_dump($m->port, $m->welcome, $m->debug);
$m = new SendMail("[::1]:587");
var_dump($m->port);

// Writes behave like writes to untyped properties.
$m->port = "2526";
var_dump($m->port);
$m->debug = 1;
var_dump($m->debug);
$m->debug = "";
var_dump($m->debug);
$m->lastmessage = 42;
var_dump($m->lastmessage);
$m->welcome = null;
var_dump($m->welcome);
$m->smtp = "other.example.test";
var_dump($m->smtp);

foreach (["", "   ", "two words", "host:0", "host:99999", "host\r\n"] as $bad) {
    try {
        new SendMail($bad);
        echo "no error for ", json_encode($bad), "\n";
    } catch (ValueError $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
}
try {
    new SendMail();
} catch (ValueError $e) {
    echo "no argument: ValueError\n";
}
// A new $smtp brings its port along; a new $port alone is kept.
$m = new SendMail("127.0.0.1:2525");
$m->smtp = "127.0.0.1:1";
var_dump($m->send("a@example.test", "me@example.test", "s", "b"), $m->lastmessage, $m->port);
$m->port = 2;
var_dump($m->send("a@example.test", "me@example.test", "s", "b"), $m->lastmessage);
$c = clone $m;
var_dump(get_class($c), $c->port, $c->smtp);

$r = new ReflectionClass('send_mail');
var_dump($r->getName(), $r->isInternal(), $r->isFinal());
?>
--EXPECTF--
string(8) "SendMail"
bool(true)
string(17) "mail.example.test"
int(25)
bool(false)
string(0) ""
string(0) ""
bool(true)
int(2525)
string(19) "client.example.test"
bool(true)
int(587)
int(2526)
bool(true)
bool(false)
string(2) "42"
string(0) ""
string(18) "other.example.test"
ValueError: SendMail::__construct(): Argument #1 ($smtp) must name an SMTP server such as "mail.example.com" or "127.0.0.1:2525": no SMTP server given (pass one, or set sendmail.host in php.ini)
ValueError: SendMail::__construct(): Argument #1 ($smtp) must name an SMTP server such as "mail.example.com" or "127.0.0.1:2525": no SMTP server given
ValueError: SendMail::__construct(): Argument #1 ($smtp) must name an SMTP server such as "mail.example.com" or "127.0.0.1:2525": "two words" is not a host name (it contains spaces)
ValueError: %s"host:0": the port must be a number from 1 to 65535
ValueError: %s"host:99999": the port must be a number from 1 to 65535
ValueError: %s"host\r\n" contains control characters
no argument: ValueError
bool(false)
string(42) "connect to 127.0.0.1:1: Connection refused"
int(1)
bool(false)
string(42) "connect to 127.0.0.1:2: Connection refused"
string(8) "SendMail"
int(2)
string(11) "127.0.0.1:1"
string(8) "SendMail"
bool(true)
bool(false)
