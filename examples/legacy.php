<?php
// A legacy script. It used to carry its own copy of the well-known socket
// mailer class `send_mail`; with the sendmail extension loaded, the class is
// provided by the extension and the script runs unchanged.

$smtp = new send_mail("127.0.0.1", "", true);
$smtp->port = getenv('SENDMAIL_DEMO_PORT') ?: "25";

$to      = "someone@example.test";
$from    = "me@example.test";
$subject = "Hello from a legacy script";
$body    = "Content-Type: text/plain; charset=UTF-8\n\n"
         . "This message went through the sendmail extension.\n"
         . ".\n"
         . "A line with a lone dot above it survives.\n";

$ok = $smtp->send($to, $from, $subject, $body);
echo $ok ? "sent: {$smtp->lastmessage}\n" : "failed: {$smtp->lastact} -> {$smtp->lastmessage}\n";
