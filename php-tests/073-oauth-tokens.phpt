--TEST--
OAuth2 with real-sized tokens: XOAUTH2 and OAUTHBEARER with a 2,000-character token against aiosmtpd's 512-octet AUTH line limit (the token follows the 334), OAUTHBEARER's error exchange, the token never shown
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
[$user] = sink_credentials();
$token = getenv('SENDMAIL_TEST_OAUTH_TOKEN');
var_dump(strlen($token) >= 2000);

foreach (['XOAUTH2', 'OAUTHBEARER'] as $mechanism) {
    $m = (new SendMail("127.0.0.1:" . sink_port('token')))->setAuth($user, $token, $mechanism);
    $ok = $m->send("oauth-$mechanism-073@example.test", "me@example.test", "OAuth", "body");
    $got = sink_received("oauth-$mechanism-073@example.test");
    echo "$mechanism: ", json_encode([$ok, $got['env']['auth_user'], $got['env']['auth_mechanism']]), "\n";
    // The AUTH line carries no token: it follows the server's 334, masked in the transcript.
    preg_match('/^>> AUTH .*$\n^<< .*$\n^>> .*$/m', $m->getTranscript(), $auth);
    echo str_replace("\n", " | ", $auth[0]), "\n";
    var_dump(str_contains($m->getTranscript(), substr($token, 10, 40)));
}

// OAUTHBEARER refused: the server's error challenge, the client's %x01, then 535.
$m = (new SendMail("127.0.0.1:" . sink_port('token')))->setAuth($user, $token . "-expired", 'OAUTHBEARER');
try {
    $m->sendMessage((new SendMail\Message)->from("me@example.test")->to("never-073@example.test")->text("x"));
} catch (SendMail\AuthException $e) {
    echo get_class($e), ": ", $e->getCode(), " ", $e->getMessage(), "\n";
}
$lines = explode("\n", trim($m->getTranscript()));
$from = array_search('>> AUTH OAUTHBEARER', $lines, true);
echo preg_replace('/^<< 334 .+$/m', '<< 334 <error>', implode("\n", array_slice($lines, $from, 6))), "\n";
// A mechanism the server does not offer, and one that does not exist.
try {
    (new SendMail("127.0.0.1:" . sink_port('token')))->setAuth($user, $token, 'PLAIN')->probe();
} catch (SendMail\AuthException $e) {
    echo $e->getMessage(), "\n";
}
try {
    (new SendMail("127.0.0.1:1"))->setAuth($user, $token, 'OAUTH');
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECTF--
bool(true)
XOAUTH2: [true,"user@example.test","XOAUTH2"]
>> AUTH XOAUTH2 | << 334 | >> ****
bool(false)
OAUTHBEARER: [true,"user@example.test","OAUTHBEARER"]
>> AUTH OAUTHBEARER | << 334 | >> ****
bool(false)
SendMail\AuthException: 535 auth refused: 535 5.7.8 Authentication credentials invalid
>> AUTH OAUTHBEARER
<< 334
>> ****
<< 334 <error>
>> ****
<< 535 5.7.8 Authentication credentials invalid
the server does not offer AUTH PLAIN (it offers XOAUTH2 OAUTHBEARER)
SendMail::setAuth(): Argument #3 ($mechanism) must be PLAIN, LOGIN, CRAM-MD5, XOAUTH2 or OAUTHBEARER, "OAUTH" given
