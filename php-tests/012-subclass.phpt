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
    public $lines = [];
    function show_debug($message, $inout)
    {
        // The override gets every dialogue line during send(), as the legacy class called it,
        // whatever $debug says.
        $this->lines[] = "$inout $message";
        echo "[custom] ";
        parent::show_debug($message, $inout);
    }
}

$m = new MyMailer();
var_dump(get_class($m), $m instanceof SendMail, $m->port === sink_port(), $m->welcome === gethostname());
ob_start();
$sent = $m->send("sub-012@example.test", "me@example.test", "Sub", "body");
ob_end_clean();
var_dump($sent, $m->sent, $m->lastact);
$m->lines = [];
var_dump(sink_received('sub-012@example.test') !== null);
ob_start();
$sent = $m->send("sub2-012@example.test", "me@example.test", "Sub", "body");
$printed = ob_get_clean();
var_dump($sent, substr_count($printed, "[custom] ") === count($m->lines), $m->lines[0], $m->lines[1], end($m->lines));
var_dump(in_array("out MAIL FROM:<me@example.test>", $m->lines, true), in_array("out RCPT TO:<sub2-012@example.test>", $m->lines, true));
$m->debug = true;
$m->show_debug("hello", "in");

class WithParent extends SendMail
{
    function __construct($host) { parent::__construct($host, "parent.example.test"); }
}
$w = new WithParent("127.0.0.1:2525");
var_dump(get_class($w), $w->welcome, $w->port);
?>
--EXPECTF--
string(8) "MyMailer"
bool(true)
bool(true)
bool(true)
bool(true)
int(1)
string(4) "QUIT"
bool(true)
bool(true)
bool(true)
string(%d) "out connect to 127.0.0.1:%d"
string(%d) "in 220 %s"
string(%d) "in 221 %s"
bool(true)
bool(true)
[custom] << hello
string(10) "WithParent"
string(19) "parent.example.test"
int(2525)
