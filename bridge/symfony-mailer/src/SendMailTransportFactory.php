<?php

namespace SendMail\Bridge\Symfony;

use Symfony\Component\Mailer\Exception\UnsupportedSchemeException;
use Symfony\Component\Mailer\Transport\AbstractTransportFactory;
use Symfony\Component\Mailer\Transport\Dsn;
use Symfony\Component\Mailer\Transport\TransportInterface;

/**
 * Creates a {@see SendMailTransport} from a DSN:
 *
 *     sendmail-ext+smtp://user:pass@smtp.example.com:587?tls=required&timeout=10
 *     sendmail-ext+smtps://user:pass@smtp.example.com
 *
 * The options after the `?` are those of the extension's server URLs (`tls`, `timeout`,
 * `helo`, `verify_peer`, `auth`, and for connections `persistent`, `max_per_second`,
 * `restart_threshold`, `ping_threshold`, `source_ip`: the last four as Symfony's own SMTP
 * transport names them). Tag the service `mailer.transport_factory` in Symfony.
 */
final class SendMailTransportFactory extends AbstractTransportFactory
{
    /** The URL options the extension knows. */
    private const OPTIONS = ['tls', 'timeout', 'helo', 'verify_peer', 'auth', 'persistent', 'max_per_second',
        'restart_threshold', 'ping_threshold', 'source_ip'];

    public function create(Dsn $dsn): TransportInterface
    {
        $scheme = $dsn->getScheme();
        if (!\in_array($scheme, $this->getSupportedSchemes(), true)) {
            throw new UnsupportedSchemeException($dsn, 'sendmail-ext', $this->getSupportedSchemes());
        }
        $url = ('sendmail-ext+smtps' === $scheme ? 'smtps' : 'smtp').'://';
        if (null !== $dsn->getUser()) {
            $url .= rawurlencode($dsn->getUser());
            if (null !== $dsn->getPassword()) {
                $url .= ':'.rawurlencode($dsn->getPassword());
            }
            $url .= '@';
        }
        $host = $dsn->getHost();
        $url .= str_contains($host, ':') ? "[$host]" : $host;
        if (null !== $dsn->getPort()) {
            $url .= ':'.$dsn->getPort();
        }
        $options = [];
        foreach (self::OPTIONS as $name) {
            $value = $dsn->getOption($name);
            if (null !== $value) {
                $options[$name] = \is_bool($value) ? (int) $value : (string) $value;
            }
        }
        if ($options) {
            $url .= '?'.http_build_query($options, '', '&', \PHP_QUERY_RFC3986);
        }

        return new SendMailTransport($url, $this->dispatcher, $this->logger);
    }

    protected function getSupportedSchemes(): array
    {
        return ['sendmail-ext+smtp', 'sendmail-ext+smtps'];
    }
}
