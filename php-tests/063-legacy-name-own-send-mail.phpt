--TEST--
Safe to switch on: a script that declares its own class send_mail (and uses the name before declaring it) runs its own class; the SMTP name still reaches the extension when nothing else provides it
--EXTENSIONS--
sendmail
--INI--
sendmail.aliases=send_mail,SMTP
--FILE--
<?php
// The legacy class file, kept by an application that was never migrated.
class send_mail
{
    var $smtp;
    function __construct($smtp, $welcome = "", $debug = false) { $this->smtp = $smtp; }
    function send($to, $from, $subject, $message) { return "own send_mail to $to"; }
}
$m = new send_mail("mail.example.test");
var_dump(get_class($m), $m->send("a@example.test", "b@example.test", "s", "m"));
var_dump($m instanceof SendMail, (new ReflectionClass('send_mail'))->isInternal());
// The other legacy name is not declared by this script: it is the extension's.
var_dump(class_exists('SMTP'), get_class(new SMTP("127.0.0.1")));
?>
--EXPECT--
string(9) "send_mail"
string(31) "own send_mail to a@example.test"
bool(false)
bool(false)
bool(true)
string(20) "SendMail\Compat\Smtp"
