--TEST--
Message::dsn(): RET/ENVID on MAIL, NOTIFY/ORCPT on every RCPT (xtext), only when the server offers DSN; Receipt::$dsn; checked options; kept through serialize(); per receipt in sendBatch()
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
/** The DSN parameters the sink recorded: MAIL's, and each recipient's. */
function dsn_seen(array $env): array
{
    return [
        'mail' => array_values(array_filter($env['mail_options'], fn ($o) => preg_match('/^(RET|ENVID)=/i', $o))),
        'rcpt' => $env['rcpt_params'] ?? null,
        'rcpt_options' => $env['rcpt_options'],
    ];
}
function wire(array $srv): string
{
    $log = preg_replace('/(DATA\r\n)(?!\r).*?\r\n\.\r\n/s', '$1<message>|', scripted_log($srv));
    return str_replace("\r\n", "|", preg_replace('/BDAT \d+ LAST\r\n.*?END-075\r\n/s', 'BDAT <size> LAST|<message>|', $log));
}
$message = fn (string $to) => (new SendMail\Message)
    ->from("me@example.test")
    ->to($to)
    ->bcc("hidden-075@example.test")
    ->subject("DSN")
    ->text("END-075");

echo "--- a server that offers DSN\n";
$dsnSink = new SendMail("127.0.0.1:" . sink_port('dsn'));
$m = $message("a+b=c-075@example.test")
    ->dsn(["notify" => ["success", "failure", "delay"], "ret" => "hdrs", "envid" => "QQ 314+159=075"]);
$r = $dsnSink->sendMessage($m);
var_dump($r->dsn);
echo json_encode(dsn_seen(sink_received("a+b=c-075@example.test")['env']), JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\n";

// NOTIFY=NEVER, nothing on MAIL; values in any case.
$r = $dsnSink->sendMessage($message("never-075@example.test")->dsn(["notify" => ["NEVER"]]));
var_dump($r->dsn);
echo json_encode(dsn_seen(sink_received("never-075@example.test")['env']), JSON_UNESCAPED_SLASHES), "\n";

// dsn([]): the server's defaults, but every recipient still goes as ORCPT.
$r = $dsnSink->sendMessage($message("empty-075@example.test")->dsn([]));
var_dump($r->dsn);
echo json_encode(dsn_seen(sink_received("empty-075@example.test")['env']), JSON_UNESCAPED_SLASHES), "\n";

// Without dsn(): no parameter at all.
$r = $dsnSink->sendMessage($message("none-075@example.test"));
var_dump($r->dsn);
echo json_encode(dsn_seen(sink_received("none-075@example.test")['env']), JSON_UNESCAPED_SLASHES), "\n";

echo "--- a server without DSN: the message goes without the parameters\n";
$plain = new SendMail("127.0.0.1:" . sink_port());
$r = $plain->sendMessage($message("plain-075@example.test")->dsn(["notify" => ["failure"], "ret" => "full", "envid" => "x"]));
var_dump($r->dsn, $r->accepted);
$env = sink_received("plain-075@example.test")['env'];
echo json_encode(dsn_seen($env), JSON_UNESCAPED_SLASHES), "\n";
var_dump(preg_match('/NOTIFY|ORCPT|RET=|ENVID/', $plain->getTranscript()));

echo "--- the exact bytes (scripted server, SMTPUTF8 and DSN)\n";
$hello = fn (string $caps) => [['send' => "220 hi\r\n"], ['expect' => 'EHLO'], ['send' => "250-dsn.example.test\r\n$caps"]];
$srv = scripted_server([...$hello("250-SMTPUTF8\r\n250 DSN\r\n"),
    ['expect' => 'MAIL'], ['send' => "250 ok\r\n"], ['expect' => 'RCPT'], ['send' => "250 ok\r\n"],
    ['expect' => 'RCPT'], ['send' => "250 ok\r\n"], ['expect' => 'DATA'], ['send' => "354 go\r\n"],
    ['read_data' => true], ['send' => "250 2.0.0 Ok: queued as D1\r\n"], ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]]);
$m = (new SendMail\Message)->from("me@example.test")->to("a+b=c@example.test")->to("jörg@example.test")->text("END-075")
    ->dsn(["notify" => ["delay", "Failure"], "ret" => "FULL", "envid" => "id 075+=x"]);
$r = (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setTimeout(3)->sendMessage($m);
var_dump($r->dsn);
echo wire($srv), "\n", scripted_errors($srv);

// PIPELINING: the same parameters in the one write of the envelope.
$srv = scripted_server([...$hello("250-PIPELINING\r\n250 DSN\r\n"),
    ['expect' => 'MAIL'], ['expect' => 'RCPT'], ['expect' => 'DATA'], ['send' => "250 ok\r\n250 ok\r\n354 go\r\n"],
    ['read_data' => true], ['send' => "250 2.0.0 Ok: queued as P1\r\n"], ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]]);
$m = (new SendMail\Message)->from("me@example.test")->to("p@example.test")->text("END-075")->dsn(["notify" => ["success"]]);
$r = (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setTimeout(3)->sendMessage($m);
var_dump($r->dsn);
echo wire($srv), "\n", scripted_errors($srv);

// PIPELINING and CHUNKING: envelope and message in one write, the whole exchange one round trip.
$srv = scripted_server([...$hello("250-PIPELINING\r\n250-CHUNKING\r\n250 DSN\r\n"),
    ['expect' => 'MAIL'], ['expect' => 'RCPT'], ['expect' => 'BDAT'], ['read_until' => "END-075\r\n"],
    ['send' => "250 ok\r\n250 ok\r\n250 2.0.0 Ok: queued as C1\r\n"], ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]]);
$m = (new SendMail\Message)->from("me@example.test")->to("c@example.test")->text("END-075")->dsn(["ret" => "hdrs"]);
$r = (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setTimeout(3)->sendMessage($m);
var_dump($r->dsn, $r->queueId);
echo wire($srv), "\n", scripted_errors($srv);

// A server without DSN that would refuse the parameters: they are not sent.
$srv = scripted_server([...$hello("250 PIPELINING\r\n"),
    ['expect' => 'MAIL FROM:<me@example.test>'], ['expect' => 'RCPT'], ['expect' => 'DATA'], ['send' => "250 ok\r\n250 ok\r\n354 go\r\n"],
    ['read_data' => true], ['send' => "250 ok\r\n"], ['expect' => 'QUIT'], ['send' => "221 bye\r\n"]]);
$r = (new SendMail("127.0.0.1:{$srv['port']}", "client.example.test"))->setTimeout(3)->sendMessage($m);
var_dump($r->dsn);
echo wire($srv), "\n", scripted_errors($srv);

echo "--- bad options\n";
foreach ([
    ["notify" => []],
    ["notify" => ["sometimes"]],
    ["notify" => ["never", "failure"]],
    ["notify" => "failure"],
    ["notify" => [["failure"]]],
    ["notify" => [1]],
    ["ret" => "headers"],
    ["ret" => ["full"]],
    ["envid" => ""],
    ["envid" => str_repeat("x", 101)],
    ["envid" => "tab\there"],
    ["envid" => "line\r\nbreak"],
    ["envid" => "naïve"],
    ["envid" => 42],
    ["Notify" => ["failure"]],
    ["orcpt" => "x"],
    ["failure"],
] as $options) {
    try {
        (new SendMail\Message)->dsn($options);
        echo "accepted: ", json_encode($options), "\n";
    } catch (SendMail\InvalidInputException $e) {
        echo $e->getMessage(), "\n";
    }
}
var_dump(strlen(str_repeat("x", 100)) === 100 && (new SendMail\Message)->dsn(["envid" => str_repeat("x", 100)]) instanceof SendMail\Message);
try {
    (new SendMail\Message)->dsn("failure");
} catch (TypeError $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}

echo "--- through a queue\n";
$m = $message("queued-075@example.test")->dsn(["notify" => ["failure", "delay"], "ret" => "full", "envid" => "job=7"]);
$copy = unserialize(serialize($m));
$r = $dsnSink->sendMessage($copy);
var_dump($r->dsn);
echo json_encode(dsn_seen(sink_received("queued-075@example.test")['env']), JSON_UNESCAPED_SLASHES), "\n";
// A payload of an earlier version (no "dsn" key) still reads: no DSN.
$data = $message("old-075@example.test")->__serialize();
unset($data['dsn']);
$old = new SendMail\Message;
$old->__unserialize($data);
var_dump($dsnSink->sendMessage($old)->dsn);
// Options altered in the queue are checked again.
$data['dsn'] = ['notify' => ['sometimes']];
try {
    (new SendMail\Message)->__unserialize($data);
} catch (SendMail\InvalidInputException $e) {
    echo $e->getMessage(), "\n";
}

echo "--- sendBatch(): a receipt each\n";
$results = $dsnSink->sendBatch([
    "dsn" => $message("batch1-075@example.test")->dsn(["notify" => ["failure"]]),
    "plain" => $message("batch2-075@example.test"),
    "legacy" => ["to" => "batch3-075@example.test", "from" => "me@example.test", "subject" => "s", "message" => "m"],
], 2);
foreach ($results as $key => $receipt) {
    echo $key, ": ", get_class($receipt), " dsn=", var_export($receipt->dsn, true), "\n";
}
echo json_encode(dsn_seen(sink_received("batch1-075@example.test")['env']), JSON_UNESCAPED_SLASHES), "\n";
echo json_encode(dsn_seen(sink_received("batch2-075@example.test")['env']), JSON_UNESCAPED_SLASHES), "\n";
$results = $plain->sendBatch(["dsn" => $message("batch4-075@example.test")->dsn(["notify" => ["failure"]])]);
echo "plain sink: dsn=", var_export($results["dsn"]->dsn, true), "\n";
?>
--EXPECT--
--- a server that offers DSN
bool(true)
{
    "mail": [
        "RET=HDRS",
        "ENVID=QQ+20314+2B159+3D075"
    ],
    "rcpt": {
        "a+b=c-075@example.test": [
            "NOTIFY=SUCCESS,FAILURE,DELAY",
            "ORCPT=rfc822;a+2Bb+3Dc-075@example.test"
        ],
        "hidden-075@example.test": [
            "NOTIFY=SUCCESS,FAILURE,DELAY",
            "ORCPT=rfc822;hidden-075@example.test"
        ]
    },
    "rcpt_options": [
        "NOTIFY=SUCCESS,FAILURE,DELAY",
        "ORCPT=rfc822;a+2Bb+3Dc-075@example.test",
        "NOTIFY=SUCCESS,FAILURE,DELAY",
        "ORCPT=rfc822;hidden-075@example.test"
    ]
}
bool(true)
{"mail":[],"rcpt":{"never-075@example.test":["NOTIFY=NEVER","ORCPT=rfc822;never-075@example.test"],"hidden-075@example.test":["NOTIFY=NEVER","ORCPT=rfc822;hidden-075@example.test"]},"rcpt_options":["NOTIFY=NEVER","ORCPT=rfc822;never-075@example.test","NOTIFY=NEVER","ORCPT=rfc822;hidden-075@example.test"]}
bool(true)
{"mail":[],"rcpt":{"empty-075@example.test":["ORCPT=rfc822;empty-075@example.test"],"hidden-075@example.test":["ORCPT=rfc822;hidden-075@example.test"]},"rcpt_options":["ORCPT=rfc822;empty-075@example.test","ORCPT=rfc822;hidden-075@example.test"]}
bool(false)
{"mail":[],"rcpt":{"none-075@example.test":[],"hidden-075@example.test":[]},"rcpt_options":[]}
--- a server without DSN: the message goes without the parameters
bool(false)
array(2) {
  [0]=>
  string(22) "plain-075@example.test"
  [1]=>
  string(23) "hidden-075@example.test"
}
{"mail":[],"rcpt":null,"rcpt_options":[]}
int(0)
--- the exact bytes (scripted server, SMTPUTF8 and DSN)
bool(true)
EHLO client.example.test|MAIL FROM:<me@example.test> SMTPUTF8 RET=FULL ENVID=id+20075+2B+3Dx|RCPT TO:<a+b=c@example.test> NOTIFY=FAILURE,DELAY ORCPT=rfc822;a+2Bb+3Dc@example.test|RCPT TO:<jörg@example.test> NOTIFY=FAILURE,DELAY ORCPT=utf-8;j\x{F6}rg@example.test|DATA|<message>|QUIT|
bool(true)
EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<p@example.test> NOTIFY=SUCCESS ORCPT=rfc822;p@example.test|DATA|<message>|QUIT|
bool(true)
string(2) "C1"
EHLO client.example.test|MAIL FROM:<me@example.test> RET=HDRS|RCPT TO:<c@example.test> ORCPT=rfc822;c@example.test|BDAT <size> LAST|<message>|QUIT|
bool(false)
EHLO client.example.test|MAIL FROM:<me@example.test>|RCPT TO:<c@example.test>|DATA|<message>|QUIT|
--- bad options
SendMail\Message::dsn(): "notify" must not be empty: give "success", "failure" and/or "delay", or "never" alone
SendMail\Message::dsn(): "notify": "sometimes" is not one of "success", "failure", "delay" or "never"
SendMail\Message::dsn(): "notify": "never" cannot be combined with "success", "failure" or "delay"
SendMail\Message::dsn(): "notify" must be an array of strings, string given
SendMail\Message::dsn(): "notify" must be an array of strings, array given
SendMail\Message::dsn(): "notify" must be an array of strings, int given
SendMail\Message::dsn(): "ret" must be "full" or "hdrs", "headers" given
SendMail\Message::dsn(): "ret" must be a string, array given
SendMail\Message::dsn(): "envid" must not be empty
SendMail\Message::dsn(): "envid" is 101 characters long, at most 100 are allowed (RFC 3461 §4.4)
SendMail\Message::dsn(): "envid" must be printable ASCII (characters 0x20 to 0x7E), "tab\there" given
SendMail\Message::dsn(): "envid" must be printable ASCII (characters 0x20 to 0x7E), "line\r\nbreak" given
SendMail\Message::dsn(): "envid" must be printable ASCII (characters 0x20 to 0x7E), "naïve" given
SendMail\Message::dsn(): "envid" must be a string, int given
SendMail\Message::dsn(): unknown option "Notify"; the options are "notify", "ret" and "envid"
SendMail\Message::dsn(): unknown option "orcpt"; the options are "notify", "ret" and "envid"
SendMail\Message::dsn(): unknown option "0"; the options are "notify", "ret" and "envid"
bool(true)
TypeError: SendMail\Message::dsn(): Argument #1 ($options) must be of type array, string given
--- through a queue
bool(true)
{"mail":["RET=FULL","ENVID=job+3D7"],"rcpt":{"queued-075@example.test":["NOTIFY=FAILURE,DELAY","ORCPT=rfc822;queued-075@example.test"],"hidden-075@example.test":["NOTIFY=FAILURE,DELAY","ORCPT=rfc822;hidden-075@example.test"]},"rcpt_options":["NOTIFY=FAILURE,DELAY","ORCPT=rfc822;queued-075@example.test","NOTIFY=FAILURE,DELAY","ORCPT=rfc822;hidden-075@example.test"]}
bool(false)
SendMail\Message::__unserialize(): dsn(): "notify": "sometimes" is not one of "success", "failure", "delay" or "never"
--- sendBatch(): a receipt each
dsn: SendMail\Receipt dsn=true
plain: SendMail\Receipt dsn=false
legacy: SendMail\Receipt dsn=false
{"mail":[],"rcpt":{"batch1-075@example.test":["NOTIFY=FAILURE","ORCPT=rfc822;batch1-075@example.test"],"hidden-075@example.test":["NOTIFY=FAILURE","ORCPT=rfc822;hidden-075@example.test"]},"rcpt_options":["NOTIFY=FAILURE","ORCPT=rfc822;batch1-075@example.test","NOTIFY=FAILURE","ORCPT=rfc822;hidden-075@example.test"]}
{"mail":[],"rcpt":{"batch2-075@example.test":[],"hidden-075@example.test":[]},"rcpt_options":[]}
plain sink: dsn=false
