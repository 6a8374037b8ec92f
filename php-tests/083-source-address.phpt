--TEST--
setSourceAddress() and the URL option source_ip=: the connection comes from that local address (the sink sees it as the peer), for send(), sendMessage(), sendBatch() and a kept connection; the setter wins over the URL; an address of the other family than the server's is not tried and the error says why; a value that is not an IP address is a ValueError
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
$port = sink_port('plain');
$plain = "127.0.0.1:$port";
$n = 0;
$peerPort = null;   // the client's port of the last message: a kept connection keeps it
// Sends one message; where the sink saw it come from.
$from = function (SendMail $m) use (&$n, &$peerPort, $port): string {
    $rcpt = 'source-' . ++$n . '-083@example.test';
    if (!$m->setTimeout(10)->send($rcpt, 'me@example.test', 'Source', 'x')) {
        return str_replace(":$port", ':PORT', "false | $m->lastact | $m->lastmessage");
    }
    [$ip, $peerPort] = sink_received($rcpt)['env']['peer'] ?? ['nowhere', null];
    return "from $ip";
};

echo "-- the local end\n";
echo "no source address: ", $from(new SendMail($plain)), "\n";
echo "setSourceAddress('127.0.0.2'): ", $from((new SendMail($plain))->setSourceAddress('127.0.0.2')), "\n";
echo "?source_ip=127.0.0.3: ", $from(new SendMail("smtp://$plain?source_ip=127.0.0.3")), "\n";
echo "the setter wins over the URL: ", $from((new SendMail("smtp://$plain?source_ip=127.0.0.3"))->setSourceAddress('127.0.0.4')), "\n";
echo "a host name (localhost): ", $from((new SendMail("localhost:$port"))->setSourceAddress('127.0.0.5')), "\n";
$receipt = (new SendMail($plain))->setSourceAddress('127.0.0.6')
    ->sendMessage((new SendMail\Message)->from('me@example.test')->to('source-message-083@example.test')->text('x'));
echo "sendMessage(): from ", sink_received('source-message-083@example.test')['env']['peer'][0], "\n";
$results = (new SendMail($plain))->setSourceAddress('127.0.0.7')->sendBatch([
    (new SendMail\Message)->from('me@example.test')->to('source-batch1-083@example.test')->text('x'),
    (new SendMail\Message)->from('me@example.test')->to('source-batch2-083@example.test')->text('x'),
], 2);
echo "sendBatch(): ", count(array_filter($results, fn ($r) => $r instanceof SendMail\Receipt)), " sent, from ",
    sink_received('source-batch1-083@example.test')['env']['peer'][0], ' and ', sink_received('source-batch2-083@example.test')['env']['peer'][0], "\n";
// A kept connection is kept for its source address only.
$kept = (new SendMail($plain))->setKeepAlive(true)->setSourceAddress('127.0.0.8');
echo "kept connection: ", $from($kept);
$first = $peerPort;
echo ", ", $from($kept), $peerPort === $first ? ' (the same connection)' : ' (another connection?!)';
echo ", then ", $from($kept->setSourceAddress('127.0.0.9')), $peerPort === $first ? ' (the same connection?!)' : ' (a new connection)', "\n";
$kept->close();

echo "-- addresses that cannot be used\n";
echo "IPv6 source, IPv4 server: ", $from((new SendMail($plain))->setSourceAddress('::1')), "\n";
echo "IPv6 source in brackets: ", $from(new SendMail("smtp://$plain?source_ip=[::1]")), "\n";
echo "IPv4 source, IPv6 server: ", $from((new SendMail("[::1]:$port"))->setSourceAddress('127.0.0.2')), "\n";
echo "not an address of this machine: ", $from((new SendMail($plain))->setSourceAddress('192.0.2.1')), "\n";
try {
    (new SendMail($plain))->setSourceAddress('::1')
        ->sendMessage((new SendMail\Message)->from('me@example.test')->to('source-v6-083@example.test')->text('x'));
} catch (SendMail\Exception $e) {
    echo get_class($e), " | stage ", $e->getStage(), " | ", str_replace(":$port", ':PORT', $e->getMessage()), "\n";
}

echo "-- not an IP address: a ValueError\n";
foreach (['localhost', '', '127.0.0.1:25', '256.0.0.1', '127.1', '::1%lo', ' 127.0.0.1', "127.0.0.1\0"] as $value) {
    try {
        (new SendMail($plain))->setSourceAddress($value);
        echo json_encode($value), ": accepted?!\n";
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
    }
}
try {
    new SendMail("smtp://u:secret@$plain?source_ip=mail.example.test");
} catch (ValueError $e) {
    echo str_replace((string) $port, 'PORT', $e->getMessage()), "\n";
}
?>
--EXPECT--
-- the local end
no source address: from 127.0.0.1
setSourceAddress('127.0.0.2'): from 127.0.0.2
?source_ip=127.0.0.3: from 127.0.0.3
the setter wins over the URL: from 127.0.0.4
a host name (localhost): from 127.0.0.5
sendMessage(): from 127.0.0.6
sendBatch(): 2 sent, from 127.0.0.7 and 127.0.0.7
kept connection: from 127.0.0.8, from 127.0.0.8 (the same connection), then from 127.0.0.9 (a new connection)
-- addresses that cannot be used
IPv6 source, IPv4 server: false | connect | connect to 127.0.0.1:PORT: the source address ::1 is IPv6, and 127.0.0.1 has only IPv4 addresses
IPv6 source in brackets: false | connect | connect to 127.0.0.1:PORT: the source address ::1 is IPv6, and 127.0.0.1 has only IPv4 addresses
IPv4 source, IPv6 server: false | connect | connect to [::1]:PORT: the source address 127.0.0.2 is IPv4, and ::1 has only IPv6 addresses
not an address of this machine: false | connect | connect to 127.0.0.1:PORT: cannot use the source address 192.0.2.1: Cannot assign requested address
SendMail\ConnectException | stage connect | connect to 127.0.0.1:PORT: the source address ::1 is IPv6, and 127.0.0.1 has only IPv4 addresses
-- not an IP address: a ValueError
SendMail::setSourceAddress(): Argument #1 ($ip) must be an IPv4 or IPv6 address, "localhost" given
SendMail::setSourceAddress(): Argument #1 ($ip) must be an IPv4 or IPv6 address, "" given
SendMail::setSourceAddress(): Argument #1 ($ip) must be an IPv4 or IPv6 address, "127.0.0.1:25" given
SendMail::setSourceAddress(): Argument #1 ($ip) must be an IPv4 or IPv6 address, "256.0.0.1" given
SendMail::setSourceAddress(): Argument #1 ($ip) must be an IPv4 or IPv6 address, "127.1" given
SendMail::setSourceAddress(): Argument #1 ($ip) must be an IPv4 or IPv6 address, "::1%lo" given
SendMail::setSourceAddress(): Argument #1 ($ip) must be an IPv4 or IPv6 address, " 127.0.0.1" given
SendMail::setSourceAddress(): Argument #1 ($ip) must be an IPv4 or IPv6 address, "127.0.0.1\0" given
SendMail::__construct(): Argument #1 ($smtp) must name an SMTP server such as "mail.example.com" or "127.0.0.1:2525": "smtp://u:****@127.0.0.1:PORT?source_ip=mail.example.test": source_ip="mail.example.test" is not an IP address