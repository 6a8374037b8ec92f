--TEST--
Safe to switch on: a script that declares its own class SMTP (after checking it does not exist) runs its own; send_mail is still the extension's
--EXTENSIONS--
sendmail
--INI--
sendmail.aliases=send_mail,SMTP
--FILE--
<?php
// The English article's class, in a file included by a contact form.
if (!class_exists('SMTP', false)) {
    class SMTP
    {
        var $relay_host;
        function __construct($relay_host = "", $smtp_port = 25, $auth = false, $user = "", $pass = "") { $this->relay_host = $relay_host; }
        function sendmail($to, $from, $subject = "", $body = "") { return "own SMTP via $this->relay_host"; }
    }
}
$s = new SMTP("relay.example.test", 25, true, "u", "p");
var_dump(get_class($s), $s->sendmail("a@example.test", "b@example.test"), (new ReflectionClass($s))->isInternal());
// smtp and Smtp are the same name.
var_dump(get_class(new smtp("x")), get_class(new Smtp("x")));
$m = new send_mail("127.0.0.1");
var_dump(get_class($m), $m instanceof SendMail);
?>
--EXPECT--
string(4) "SMTP"
string(31) "own SMTP via relay.example.test"
bool(false)
string(4) "SMTP"
string(4) "SMTP"
string(8) "SendMail"
bool(true)
