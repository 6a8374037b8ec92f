<?php
// A modern script: HTML with a text alternative, an attachment, and a receipt. The server comes
// from php.ini (sendmail.host), as a host would configure it once.
$attachment = tempnam(sys_get_temp_dir(), 'invoice');
file_put_contents($attachment, "Invoice 1234: 42.00 EUR\n");

$message = (new SendMail\Message)
    ->from("shop@example.test", "Zoë's Shop")
    ->to("customer@example.test", "Jürgen Müller")
    ->subject("Your order – shipped ✓")
    ->text("Hello,\nyour order has shipped.\n")
    ->html("<p>Hello,<br>your order has <b>shipped</b>.</p>")
    ->attach($attachment, "invoice-1234.txt")
    ->dsn(["notify" => ["failure", "delay"]]);   // delivery reports, where the server offers DSN

try {
    $mailer = new SendMail();
    // Signed for receivers: $mailer->setDkim("example.test", "mail2026", "/etc/sendmail/dkim/mail2026.pem");
    // OAuth2: $mailer->setAuth("shop@example.test", fn (): string => $tokens->current(), "XOAUTH2");
    // In PHP-FPM, keep the connection for the next requests of this worker: $mailer->setPersistent(true);
    $receipt = $mailer->sendMessage($message);
    echo "sent, queue id {$receipt->queueId}, accepted: ", implode(", ", $receipt->accepted),
        $receipt->dsn ? " (delivery reports asked for)" : "", "\n";
} catch (SendMail\Exception $e) {
    echo get_class($e), " at ", $e->getStage(), ": ", $e->getMessage(), "\n";
} finally {
    unlink($attachment);
}
