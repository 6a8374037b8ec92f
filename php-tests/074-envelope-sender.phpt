--TEST--
Message::returnPath() sets the envelope sender (MAIL FROM, no header), Message::sender() the Sender: header; both survive serialization; legacy send() and mail()'s -f keep their rules
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
$m = (new SendMail\Message)
    ->from("author@example.test", "The Author")
    ->sender("list@example.test", "Mailing List")
    ->returnPath("bounces+074@example.test")
    ->to("env-074@example.test")
    ->subject("Envelope")
    ->text("body");
$mailer = new SendMail("127.0.0.1:" . sink_port());
$r = $mailer->sendMessage($m);
$got = sink_received("env-074@example.test");
$p = mime_parse($got['eml']);
$headers = array_column($p['headers'], 1, 0);
var_dump($got['env']['mail_from'], $headers['From'], $headers['Sender'], isset($headers['Return-Path']));
var_dump(str_contains($mailer->getTranscript(), ">> MAIL FROM:<bounces+074@example.test>"));

// Through a queue: both come back.
$copy = unserialize(serialize($m));
$mailer->sendMessage($copy->to("env2-074@example.test"));
$got = sink_received("env2-074@example.test");
var_dump($got['env']['mail_from'], str_contains($got['eml'], "\r\nSender: Mailing List <list@example.test>\r\n"));

// Without them: the author is the envelope sender, no Sender header.
$plain = (new SendMail\Message)->from("author@example.test")->to("env3-074@example.test")->text("x");
$mailer->sendMessage($plain);
$got = sink_received("env3-074@example.test");
var_dump($got['env']['mail_from'], str_contains($got['eml'], "\r\nSender:"));

// Checked like every address; the builder owns the headers now.
foreach ([
    fn () => (new SendMail\Message)->returnPath("not an address"),
    fn () => (new SendMail\Message)->sender("a@example.test\r\nBcc: x@example.test"),
    fn () => (new SendMail\Message)->header("Sender", "x@example.test"),
    fn () => (new SendMail\Message)->header("Return-Path", "<x@example.test>"),
] as $bad) {
    try {
        $bad();
    } catch (SendMail\InvalidInputException $e) {
        echo $e->getMessage(), "\n";
    }
}

// The legacy paths keep their rules: send()'s envelope sender is $from, mail()'s is -f.
$legacy = new send_mail("127.0.0.1:" . sink_port());
$legacy->send("env4-074@example.test", "legacy@example.test", "s", "b");
ini_set('sendmail.host', '127.0.0.1:' . sink_port());
SendMail\mail("env5-074@example.test", "s", "b", "From: author@example.test", "-fbounce-mail@example.test");
var_dump(sink_received("env4-074@example.test")['env']['mail_from'], sink_received("env5-074@example.test")['env']['mail_from']);
?>
--EXPECTF--
string(24) "bounces+074@example.test"
string(32) "The Author <author@example.test>"
string(32) "Mailing List <list@example.test>"
bool(false)
bool(true)
string(24) "bounces+074@example.test"
bool(true)
string(19) "author@example.test"
bool(false)
SendMail\Message::returnPath(): returnPath: "not an address" is not an address of the form local@domain
SendMail\Message::sender(): sender: %s
SendMail\Message::header(): header name "Sender": %s
SendMail\Message::header(): header name "Return-Path": %s
string(19) "legacy@example.test"
string(24) "bounce-mail@example.test"
