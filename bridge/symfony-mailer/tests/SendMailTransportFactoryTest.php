<?php

namespace SendMail\Bridge\Symfony\Tests;

use Psr\Log\NullLogger;
use SendMail\Bridge\Symfony\SendMailTransport;
use SendMail\Bridge\Symfony\SendMailTransportFactory;
use Symfony\Component\Mailer\Test\TransportFactoryTestCase;
use Symfony\Component\Mailer\Transport\Dsn;
use Symfony\Component\Mailer\Transport\TransportFactoryInterface;

/** Symfony's own test case for transport factories. */
final class SendMailTransportFactoryTest extends TransportFactoryTestCase
{
    public function getFactory(): TransportFactoryInterface
    {
        return new SendMailTransportFactory(null, null, new NullLogger());
    }

    public static function supportsProvider(): iterable
    {
        yield [new Dsn('sendmail-ext+smtp', 'smtp.example.com'), true];
        yield [new Dsn('sendmail-ext+smtps', 'smtp.example.com'), true];
        // Schemes Symfony uses itself are never taken.
        yield [new Dsn('smtp', 'smtp.example.com'), false];
        yield [new Dsn('smtps', 'smtp.example.com'), false];
        yield [new Dsn('sendmail+smtp', 'default'), false];
        yield [new Dsn('sendmail', 'default'), false];
    }

    public static function createProvider(): iterable
    {
        $logger = new NullLogger();
        yield [new Dsn('sendmail-ext+smtp', 'smtp.example.com'), new SendMailTransport('smtp://smtp.example.com', null, $logger)];
        yield [
            new Dsn('sendmail-ext+smtp', 'smtp.example.com', self::USER, self::PASSWORD, 587, ['tls' => 'required', 'timeout' => '10']),
            new SendMailTransport('smtp://u%24er:pa%24s@smtp.example.com:587?tls=required&timeout=10', null, $logger),
        ];
        yield [
            new Dsn('sendmail-ext+smtps', 'smtp.example.com', 'me@example.com', 'p@ss:w/rd'),
            new SendMailTransport('smtps://me%40example.com:p%40ss%3Aw%2Frd@smtp.example.com', null, $logger),
        ];
        yield [new Dsn('sendmail-ext+smtp', '::1', null, null, 2525), new SendMailTransport('smtp://[::1]:2525', null, $logger)];
        // The connection options, under Symfony's names: a persistent connection in PHP-FPM.
        yield [
            new Dsn('sendmail-ext+smtp', 'smtp.example.com', null, null, 587, ['persistent' => '1', 'max_per_second' => '5',
                'restart_threshold' => '100', 'ping_threshold' => '10', 'source_ip' => '192.0.2.7']),
            new SendMailTransport('smtp://smtp.example.com:587?persistent=1&max_per_second=5&restart_threshold=100&ping_threshold=10&source_ip=192.0.2.7', null, $logger),
        ];
        // Options the extension does not know are not passed on.
        yield [
            new Dsn('sendmail-ext+smtp', 'smtp.example.com', null, null, null, ['verify_peer' => '0', 'local_domain' => 'x']),
            new SendMailTransport('smtp://smtp.example.com?verify_peer=0', null, $logger),
        ];
    }

    public static function unsupportedSchemeProvider(): iterable
    {
        yield [
            new Dsn('sendmail-ext+http', 'smtp.example.com'),
            'The "sendmail-ext+http" scheme is not supported; supported schemes for mailer "sendmail-ext" are: "sendmail-ext+smtp", "sendmail-ext+smtps".',
        ];
    }

    public function testTheNameHidesThePassword(): void
    {
        $transport = $this->getFactory()->create(new Dsn('sendmail-ext+smtp', 'smtp.example.com', 'user', 'secret', 587));
        $this->assertSame('sendmail-ext+smtp://user:****@smtp.example.com:587', (string) $transport);
    }
}
