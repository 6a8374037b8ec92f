--TEST--
Legacy subclasses: own constructors (with or without the parent's), untyped overrides, extra properties
--EXTENSIONS--
sendmail
--INI--
error_reporting=E_ALL & ~E_DEPRECATED
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';

class MyMailer extends send_mail
{
    public $sent = 0;
    function __construct()
    {
        // Never calls the parent constructor.
        $this->smtp = "127.0.0.1:" . sink_port();
        $this->port = sink_port();
    }
    function send($to, $from, $subject, $message)
    {
        $this->sent++;
        return parent::send($to, $from, $subject, $message);
    }
    function show_debug($message, $inout)
    {
        echo "[custom] ";
        parent::show_debug($message, $inout);
    }
}

$m = new MyMailer();
var_dump(get_class($m), $m instanceof SendMail, $m->port === sink_port(), $m->welcome === gethostname());
var_dump($m->send("sub-012@example.test", "me@example.test", "Sub", "body"), $m->sent, $m->lastact);
var_dump(sink_received('sub-012@example.test') !== null);
$m->debug = true;
$m->show_debug("hello", "in");

class WithParent extends SendMail
{
    function __construct($host) { parent::__construct($host, "parent.example.test"); }
}
$w = new WithParent("127.0.0.1:2525");
var_dump(get_class($w), $w->welcome, $w->port);
?>
--EXPECT--
string(8) "MyMailer"
bool(true)
bool(true)
bool(true)
bool(true)
int(1)
string(4) "QUIT"
bool(true)
[custom] << hello
string(10) "WithParent"
string(19) "parent.example.test"
int(2525)
