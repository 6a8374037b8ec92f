<?php

namespace SendMail\Bridge\Symfony\Tests;

use SendMail\Bridge\Symfony\SendMailTransport;
use SendMail\Bridge\Symfony\SendMailTransportFactory;
use PHPUnit\Framework\TestCase;
use Symfony\Component\EventDispatcher\EventDispatcher;
use Symfony\Component\Mailer\Envelope;
use Symfony\Component\Mailer\Event\MessageEvent;
use Symfony\Component\Mailer\Exception\TransportException;
use Symfony\Component\Mailer\Mailer;
use Symfony\Component\Mailer\Transport;
use Symfony\Component\Mime\Address;
use Symfony\Component\Mime\Email;

/**
 * Symfony messages through the transport into a real SMTP server (aiosmtpd, started by
 * tests/run-bridge.sh): the bytes the server stores are the bytes Symfony rendered, and the
 * envelope is Symfony's.
 */
final class EndToEndTest extends TestCase
{
    private static function env(string $name): string
    {
        $value = getenv($name);
        if (false === $value || '' === $value) {
            self::markTestSkipped("$name is not set: run the bridge tests through tests/run-bridge.sh");
        }

        return $value;
    }

    /** The newest stored message for $rcpt: [eml bytes, envelope]. */
    private static function received(string $rcpt): array
    {
        $dir = self::env('SENDMAIL_TEST_MAILDIR');
        $deadline = microtime(true) + 5;
        do {
            $files = glob("$dir/*.json") ?: [];
            rsort($files, \SORT_NATURAL);
            foreach ($files as $json) {
                $env = json_decode((string) file_get_contents($json), true);
                if (\in_array($rcpt, $env['rcpt_tos'] ?? [], true)) {
                    return [file_get_contents(substr($json, 0, -5).'.eml'), $env];
                }
            }
            usleep(50000);
        } while (microtime(true) < $deadline);
        self::fail("nothing arrived for $rcpt");
    }

    private static function email(string $tag): Email
    {
        return (new Email())
            ->from(new Address('shop@example.test', 'Zoë’s Shop'))
            ->to(new Address("to-$tag@example.test", 'Jürgen Müller'))
            ->cc("cc-$tag@example.test")
            ->bcc("bcc-$tag@example.test")
            ->subject('Your order – ✓ shipped')
            ->text("Hello,\n.\nA line with a dot, and Grüße.\n")
            ->html('<p>Hello, <b>Grüße</b></p><img src="cid:logo">')
            ->embed(str_repeat("\x89PNG", 100), 'logo', 'image/png')
            ->attach(random_bytes(300000), 'invoice.pdf', 'application/pdf');
    }

    public function testTheServerStoresWhatSymfonyRendered(): void
    {
        // As a Symfony application gets it: the factory among Transport's factories, a DSN string.
        $transport = (new Transport([new SendMailTransportFactory()]))->fromString('sendmail-ext+smtp://127.0.0.1:'.self::env('SENDMAIL_TEST_PORT'));
        $this->assertInstanceOf(SendMailTransport::class, $transport);
        $sent = $transport->send(self::email('e2e1'));
        [$eml, $env] = self::received('to-e2e1@example.test');
        $this->assertSame($sent->toString(), $eml);
        $this->assertSame('shop@example.test', $env['mail_from']);
        $this->assertSame(['to-e2e1@example.test', 'cc-e2e1@example.test', 'bcc-e2e1@example.test'], $env['rcpt_tos']);
        $this->assertStringNotContainsStringIgnoringCase("\r\nBcc:", $eml);
        // The sent message carries the server's queue id and the dialogue.
        $this->assertSame($env['queue_id'], $sent->getMessageId());
        $this->assertStringContainsString('>> MAIL FROM:<shop@example.test>', $sent->getDebug());
        // The connection is kept; each message's debug is its own part of the dialogue.
        $second = $transport->send(self::email('e2e4'));
        $this->assertStringContainsString('RCPT TO:<to-e2e4@example.test>', $second->getDebug());
        $this->assertStringNotContainsString('e2e1', $second->getDebug());
        $this->assertStringNotContainsString('>> connect', $second->getDebug());
    }

    public function testThroughMailerWithItsEnvelope(): void
    {
        $dispatcher = new EventDispatcher();
        $seen = null;
        $dispatcher->addListener(MessageEvent::class, function (MessageEvent $event) use (&$seen) {
            $seen = $event->getEnvelope();
        });
        $transport = (new SendMailTransportFactory($dispatcher))->create(
            Transport\Dsn::fromString('sendmail-ext+smtp://127.0.0.1:'.self::env('SENDMAIL_TEST_CHUNKING_PORT'))
        );
        $mailer = new Mailer($transport);
        $mailer->send(self::email('e2e2'));
        // An explicit envelope wins over the message's addresses.
        $mailer->send(self::email('e2e3'), new Envelope(new Address('bounce@example.test'), [new Address('only-e2e3@example.test')]));
        [$eml, $env] = self::received('to-e2e2@example.test');
        $this->assertSame('bounce@example.test', $seen->getSender()->getAddress());
        $this->assertTrue($env['chunked']);
        $this->assertSame(['to-e2e2@example.test', 'cc-e2e2@example.test', 'bcc-e2e2@example.test'], $env['rcpt_tos']);
        [, $env3] = self::received('only-e2e3@example.test');
        $this->assertSame('bounce@example.test', $env3['mail_from']);
        $this->assertSame(['only-e2e3@example.test'], $env3['rcpt_tos']);
    }

    public function testFailuresAreTransportExceptions(): void
    {
        $transport = new SendMailTransport('smtp://127.0.0.1:'.self::env('SENDMAIL_TEST_PORT'));
        $email = (new Email())->from('me@example.test')->to('reject-e2e@example.test')->subject('x')->text('x');
        try {
            $transport->send($email);
            $this->fail('no exception');
        } catch (TransportException $e) {
            $this->assertInstanceOf(\SendMail\RecipientException::class, $e->getPrevious());
            $this->assertSame(550, $e->getCode());
            $this->assertStringContainsString('<< 550', $e->getDebug());
        }
        $closed = new SendMailTransport('smtp://127.0.0.1:1?timeout=2');
        $this->expectException(TransportException::class);
        $closed->send($email);
    }
}
