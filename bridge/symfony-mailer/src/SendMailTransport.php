<?php

namespace SendMail\Bridge\Symfony;

use Psr\Log\LoggerInterface;
use SendMail\Exception as SendMailException;
use Symfony\Component\Mailer\Exception\TransportException;
use Symfony\Component\Mailer\SentMessage;
use Symfony\Component\Mailer\Transport\AbstractTransport;
use Symfony\Contracts\EventDispatcher\EventDispatcherInterface;

/**
 * A Symfony Mailer transport that sends the message Symfony rendered, with Symfony's
 * envelope, through the sendmail extension (`SendMail::sendRaw()`): one kept connection per
 * transport, pipelining and CHUNKING when the server offers them, TLS and AUTH as the URL says.
 *
 * The sent message's id becomes the server's queue id; the SMTP dialogue (secrets masked) is
 * appended as its debug. A failure is Symfony's TransportException, with the extension's
 * exception as the previous one.
 */
final class SendMailTransport extends AbstractTransport
{
    private ?\SendMail $mailer = null;

    /**
     * @param string $server a server URL as the extension takes it (`smtp://user:pass@host:587?tls=required`)
     */
    public function __construct(
        #[\SensitiveParameter] private string $server,
        ?EventDispatcherInterface $dispatcher = null,
        ?LoggerInterface $logger = null
    ) {
        parent::__construct($dispatcher, $logger);
    }

    public function __toString(): string
    {
        // The URL with its password masked, as the extension shows it.
        return 'sendmail-ext+'.preg_replace('#^(\w+://[^:@/]*:)[^@]*@#', '$1****@', $this->server);
    }

    protected function doSend(SentMessage $message): void
    {
        $envelope = $message->getEnvelope();
        $recipients = array_map(static fn ($address) => $address->getEncodedAddress(), $envelope->getRecipients());
        $mailer = $this->mailer ??= (new \SendMail($this->server))->setKeepAlive(true);
        // The kept connection's transcript grows: this message's part is what follows it.
        $before = $mailer->getTranscript();
        try {
            $receipt = $mailer->sendRaw($message->toString(), $envelope->getSender()->getEncodedAddress(), $recipients);
        } catch (SendMailException $e) {
            $exception = new TransportException($e->getMessage(), $e->getCode(), $e);
            $exception->appendDebug(self::since($mailer->getTranscript(), $before));
            throw $exception;
        }
        if ('' !== $receipt->queueId) {
            $message->setMessageId($receipt->queueId);
        }
        $message->appendDebug(self::since($mailer->getTranscript(), $before));
    }

    /** What the transcript gained since $before (all of it when a new session began). */
    private static function since(string $transcript, string $before): string
    {
        return '' !== $before && str_starts_with($transcript, $before) ? substr($transcript, \strlen($before)) : $transcript;
    }

    public function __destruct()
    {
        $this->mailer?->close();
    }
}
