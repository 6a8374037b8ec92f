--TEST--
TLS session resumption: a second connection of the same PHP process to the same server with the same trust settings resumes the first one's session (probe() says "resumed"); other trust settings start afresh
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
$ca = test_cert('ca.pem');
$probe = fn (string $server, string $tls = 'required') => (new SendMail($server))->setCaFile($ca)->setTls($tls)->setTimeout(10)
    ->probe()['tls']['resumed'];
$starttls = '127.0.0.1:' . sink_port('tls');
$implicit = '127.0.0.1:' . sink_port('smtps');
echo "STARTTLS: ", json_encode([$probe($starttls), $probe($starttls), $probe($starttls)]), "\n";
echo "implicit TLS: ", json_encode([$probe($implicit, 'implicit'), $probe($implicit, 'implicit')]), "\n";
// Verification off is another client configuration: its sessions are its own.
$unverified = (new SendMail($starttls))->setVerifyPeer(false)->setTls('required')->setTimeout(10)->probe()['tls']['resumed'];
echo "verification off: ", json_encode($unverified), "\n";
?>
--EXPECT--
STARTTLS: [false,true,true]
implicit TLS: [false,true]
verification off: false
