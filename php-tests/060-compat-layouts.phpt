--TEST--
The smtp class family: scripts in each sendmail() layout (canonical, provider sample, display-name fork, name-third fork, user-first constructor), with string ports from a config file, over STARTTLS with AUTH
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

// The scripts read their settings from an ini file: every value is a string.
$config = parse_ini_string(sprintf(
    "host = 127.0.0.1\nport = %d\nauth = 1\nuser = \"%s\"\npass = \"%s\"\n",
    sink_port('tls'), $user, $password
));
var_dump($config['port'] === (string) sink_port('tls'));

function show(string $what, ?array $a, array $keys): void
{
    echo "-- $what\n";
    if ($a === null) {
        echo "nothing arrived\n";
        return;
    }
    foreach ($keys as $k) {
        echo "$k: ", json_encode($a[$k], JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
    }
}
$common = ['from', 'rcpt', 'auth', 'tls', 'crlf_only', 'defects', 'Bcc'];

// 1. Canonical: ($to, $from, $subject, $body, $mailtype, $cc, $bcc, $additional_headers).
$smtp = new SMTP($config['host'], $config['port'], $config['auth'], $config['user'], $config['pass']);
$smtp->debug = false;
$ok = $smtp->sendmail(
    "canon-060@example.test",
    "shop@example.test",
    "Order #1001",
    "<h1>Thank you</h1><p>Grüße</p>",
    "HTML",
    "cc1-060@example.test, Boss <cc2-060@example.test>",
    "bcc-060@example.test",
    "X-Mailer: shop 1.0\r\n"
);
var_dump($ok === true, $smtp->lastmessage);
$a = legacy_arrival('canon-060@example.test');
show('canonical', $a, [...$common, 'To', 'Cc', 'From', 'Subject', 'type', 'charset', 'body']);
var_dump(str_contains($a['eml'], "\r\nX-Mailer: shop 1.0\r\n"));

// 2. The provider sample: ten arguments, a From name and a Reply-To.
$ok = $smtp->sendmail("provider-060@example.test", "noreply@example.test", "Welcome", "Hello there",
    "TXT", "", "", "", "客服中心", "help@example.test");
var_dump($ok);
show('provider sample', legacy_arrival('provider-060@example.test'), [...$common, 'From', 'Reply-To', 'Cc', 'type', 'body']);

// 3. The display-name fork: a sender name in the sixth place, Cc seventh, Bcc eighth.
$ok = $smtp->sendmail("display-060@example.test", "news@example.test", "News", "<p>News</p>", "HTML",
    "Newsletter Team", "cc-display-060@example.test", "bcc-display-060@example.test", "");
var_dump($ok);
show('display-name fork', legacy_arrival('display-060@example.test'), [...$common, 'From', 'Cc', 'type']);

// 4. The name-third fork: ($to, $from, $fromname, $subject, $body, $mailtype, $cc, $bcc, $headers).
$ok = $smtp->sendmail("third-060@example.test", "hr@example.test", "人事部", "面试通知", "<p>请准时参加</p>",
    "HTML", "cc-third-060@example.test", "", "");
var_dump($ok);
show('name-third fork', legacy_arrival('third-060@example.test'), [...$common, 'From', 'Subject', 'Cc', 'type', 'charset', 'body']);

// 5. The user-first constructor ($relay_host, $smtp_port, $user, $pass, $auth = true); its
//    sendmail() defaults to HTML.
$first = new smtp($config['host'], $config['port'], $config['user'], $config['pass']);
var_dump($first->auth, $first->user === $user);
$ok = $first->sendmail("userfirst-060@example.test", "me@example.test", "Report", "<b>Done</b>");
var_dump($ok);
show('user-first', legacy_arrival('userfirst-060@example.test'), [...$common, 'type', 'body']);

// Return values are real bools, compared the ways scripts compare them.
$bad = new SMTP($config['host'], $config['port'], true, $config['user'], "wrong");
$r = $bad->sendmail("never-060@example.test", "me@example.test", "x", "y");
var_dump($r === false, $r == "", $bad->lastmessage);
?>
--EXPECTF--
bool(true)
bool(true)
string(%d) "250 2.0.0 Ok: queued as %s"
-- canonical
from: "shop@example.test"
rcpt: ["canon-060@example.test","cc1-060@example.test","cc2-060@example.test","bcc-060@example.test"]
auth: "user@example.test"
tls: true
crlf_only: true
defects: []
Bcc: null
To: "canon-060@example.test"
Cc: "cc1-060@example.test, Boss <cc2-060@example.test>"
From: "shop@example.test"
Subject: "Order #1001"
type: "text/html"
charset: "utf-8"
body: "<h1>Thank you</h1><p>Grüße</p>\n"
bool(true)
bool(true)
-- provider sample
from: "noreply@example.test"
rcpt: ["provider-060@example.test"]
auth: "user@example.test"
tls: true
crlf_only: true
defects: []
Bcc: null
From: "客服中心 <noreply@example.test>"
Reply-To: "help@example.test"
Cc: null
type: "text/plain"
body: "Hello there\n"
bool(true)
-- display-name fork
from: "news@example.test"
rcpt: ["display-060@example.test","cc-display-060@example.test","bcc-display-060@example.test"]
auth: "user@example.test"
tls: true
crlf_only: true
defects: []
Bcc: null
From: "Newsletter Team <news@example.test>"
Cc: "cc-display-060@example.test"
type: "text/html"
bool(true)
-- name-third fork
from: "hr@example.test"
rcpt: ["third-060@example.test","cc-third-060@example.test"]
auth: "user@example.test"
tls: true
crlf_only: true
defects: []
Bcc: null
From: "人事部 <hr@example.test>"
Subject: "面试通知"
Cc: "cc-third-060@example.test"
type: "text/html"
charset: "utf-8"
body: "<p>请准时参加</p>\n"
bool(true)
bool(true)
bool(true)
-- user-first
from: "me@example.test"
rcpt: ["userfirst-060@example.test"]
auth: "user@example.test"
tls: true
crlf_only: true
defects: []
Bcc: null
type: "text/html"
body: "<b>Done</b>\n"
bool(true)
bool(true)
string(44) "535 5.7.8 Authentication credentials invalid"
