--TEST--
Real script shapes on the smtp class: a GBK cron digest, an ssl:// contact form with unset variables, a subclass that sets properties before the parent constructor, a renamed copy, subjects the script encoded itself
--EXTENSIONS--
sendmail
--INI--
sendmail.aliases=send_mail,SMTP
error_reporting=E_ALL
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
[$user, $password] = sink_credentials();
ini_set('sendmail.cafile', test_cert('ca.pem'));
$json = fn ($v) => json_encode($v, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);

echo "-- a GBK cron digest (the script file is GBK: subject, sender name and body are GBK bytes)\n";
$gbk = fn (string $utf8) => iconv('UTF-8', 'GBK', $utf8);
$smtp = new SMTP("127.0.0.1", (string) sink_port('tls'), true, $user, $password);
$ok = $smtp->sendmail("digest-061@example.test", "cron@example.test", $gbk("每日汇总"),
    $gbk("今日订单：12 笔\n退款：0 笔\n"), "TXT", "", "", "Content-Type: text/plain; charset=GBK\r\n");
var_dump($ok);
$a = legacy_arrival('digest-061@example.test');
echo $json([$a['Subject'], $a['charset'], $a['body'], $a['crlf_only'], $a['defects']]), "\n";
// The subject was encoded once, in the charset the script declared.
var_dump((bool) preg_match('/^Subject: =\?GBK\?B\?[A-Za-z0-9+\/=]+\?=\r$/m', $a['eml']));
// The same digest as an HTML page that names its charset in a <meta> tag, with a GBK sender name.
$page = $gbk('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>今日订单</body></html>');
$ok = $smtp->sendmail("digest2-061@example.test", "cron@example.test", $gbk("每日汇总"), $gbk("报表"), $page, "HTML");
var_dump($ok);
$a = legacy_arrival('digest2-061@example.test');
echo $json([$a['Subject'], $a['From'], $a['type'], $a['charset'], $a['body'], $a['crlf_only'], $a['defects']]), "\n";

echo "-- an ssl:// contact form; unset variables arrive as null\n";
$mail = new SMTP("ssl://127.0.0.1", sink_port('smtps'), true, $user, $password);
$ok = $mail->sendmail("contact-061@example.test", "form@example.test", "Contact: Ann", "Ann wrote: hi", "TXT", $cc, $bcc);
var_dump($ok, $mail->smtp_port === sink_port('smtps'));
$a = legacy_arrival('contact-061@example.test');
echo $json([$a['rcpt'], $a['tls'], $a['auth'], $a['Cc'], $a['body']]), "\n";
// The same form with the port left out: ssl:// means 465, as with PHP's streams. Nothing
// listens there here, so the attempt names that port.
$nop = new SMTP("ssl://127.0.0.1");
$nop->setTimeout(1);
var_dump($nop->sendmail("x@example.test", "form@example.test"), $nop->smtp_port, $nop->lastmessage);

echo "-- a subclass that sets properties before the parent constructor\n";
class YumDamEmail extends SendMail\Compat\Smtp
{
    public function __construct()
    {
        global $user, $password;
        $this->relay_host = "127.0.0.1";
        $this->smtp_port = (string) sink_port('tls');
        $this->auth = 1;
        $this->user = $user;
        $this->pass = $password;
        parent::__construct($this->relay_host, $this->smtp_port, $this->auth, $this->user, $this->pass);
    }

    public function sendOrder(string $to): bool
    {
        return $this->sendmail($to, "orders@example.test", "Your order", "<p>Shipped</p>", "HTML", "", "", "");
    }
}
$y = new YumDamEmail();
var_dump($y->user === $user, $y->smtp_port === sink_port('tls'), $y->auth);
var_dump($y->sendOrder("subclass-061@example.test"));
$a = legacy_arrival('subclass-061@example.test');
echo $json([$a['auth'], $a['type']]), "\n";
// A subclass that calls the parent constructor without arguments keeps what it set.
class PresetMailer extends SendMail\Compat\Smtp
{
    public function __construct()
    {
        $this->relay_host = "127.0.0.1";
        $this->smtp_port = sink_port('plain');
        parent::__construct();
    }
}
$p = new PresetMailer();
var_dump($p->relay_host, $p->smtp_port === sink_port('plain'));
var_dump($p->sendmail("preset-061@example.test", "me@example.test", "s", "b"));

echo "-- a renamed copy: the class file replaced by one line\n";
class SMTP_mail extends SendMail\Compat\Smtp {}
$r = new SMTP_mail("127.0.0.1", sink_port('plain'));
var_dump($r->sendmail("renamed-061@example.test", "me@example.test", "Renamed", "body") === true);
var_dump(get_parent_class($r), $r instanceof SMTP);

echo "-- subjects and names the script encoded itself go out once\n";
$encoded = "=?UTF-8?B?" . base64_encode("订单确认") . "?=";
$name = "=?UTF-8?B?" . base64_encode("张三") . "?=";
$r->sendmail("encoded-061@example.test", "me@example.test", $encoded, "x", "TXT", "", "", "", $name);
$a = legacy_arrival('encoded-061@example.test');
echo $json([$a['Subject'], $a['From']]), "\n";
var_dump(str_contains($a['eml'], "\r\nSubject: $encoded\r\n"));
$m = new send_mail("127.0.0.1:" . sink_port('plain'));
$m->send("encoded2-061@example.test", "me@example.test", "Re: $encoded", "x");
echo $json(legacy_arrival('encoded2-061@example.test')['Subject']), "\n";
ini_set('sendmail.host', '127.0.0.1:' . sink_port('plain'));
ini_set('sendmail.from', 'me@example.test');
SendMail\mail("encoded3-061@example.test", $encoded, "x");
echo $json(legacy_arrival('encoded3-061@example.test')['Subject']), "\n";
$msg = (new SendMail\Message)->from("me@example.test", $name)->to("encoded4-061@example.test")->subject($encoded)->text("x");
(new SendMail("127.0.0.1:" . sink_port('plain')))->sendMessage($msg);
$a = legacy_arrival('encoded4-061@example.test');
echo $json([$a['Subject'], $a['From']]), "\n";
?>
--EXPECTF--
-- a GBK cron digest (the script file is GBK: subject, sender name and body are GBK bytes)
bool(true)
["每日汇总","gbk","今日订单：12 笔\n退款：0 笔\n",true,[]]
bool(true)
bool(true)
["报表","每日汇总 <cron@example.test>","text/html","gb2312","<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>今日订单</body></html>\n",true,[]]
-- an ssl:// contact form; unset variables arrive as null

Warning: Undefined variable $cc in %s on line %d

Warning: Undefined variable $bcc in %s on line %d
bool(true)
bool(true)
[["contact-061@example.test"],true,"user@example.test",null,"Ann wrote: hi\n"]
bool(false)
int(465)
string(%d) "connect to 127.0.0.1:465: %s"
-- a subclass that sets properties before the parent constructor
bool(true)
bool(true)
bool(true)
bool(true)
["user@example.test","text/html"]
string(9) "127.0.0.1"
bool(true)
bool(true)
-- a renamed copy: the class file replaced by one line
bool(true)
string(20) "SendMail\Compat\Smtp"
bool(true)
-- subjects and names the script encoded itself go out once
["订单确认","张三 <me@example.test>"]
bool(true)
"Re: 订单确认"
"订单确认"
["订单确认","张三 <me@example.test>"]
