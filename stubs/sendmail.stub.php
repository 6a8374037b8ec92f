<?php

/**
 * Stubs for the sendmail extension (IDE and static-analysis use only; never include them).
 *
 * @generate-class-entries
 */

namespace {
    /**
     * An SMTP client that runs legacy `send_mail` scripts unchanged.
     *
     * The public properties are those of the legacy class and accept writes the way untyped
     * properties do (`$m->port = "2525"` stores `int(2525)`).
     */
    class SendMail
    {
        /** The last reply (all lines of a multi-line reply, joined by "\n"), or an error text. */
        public $lastmessage = "";
        /** The last command sent, without CRLF (`"connect"` while connecting). */
        public $lastact = "";
        /** The EHLO/HELO name; this machine's host name when given as "". */
        public $welcome;
        /** Print the dialogue (`>> ` client, `<< ` server) through PHP's output. */
        public $debug = false;
        /** The server, as given to the constructor. */
        public $smtp = "";
        /** The server port; the port in `$smtp` ("host:2525") when one is given. */
        public $port = 25;

        /**
         * @param string $smtp "host", "host:port" or "[v6addr]:port"
         * @param string $welcome EHLO name; "" uses this machine's host name
         * @param bool $debug print the dialogue
         * @throws ValueError when $smtp names no server
         */
        public function __construct(string $smtp = "", string $welcome = "", bool $debug = false) {}

        /**
         * Sends one message. `$to` may hold several comma-separated addresses. Headers at the top of
         * `$message` (ended by a blank line) merge with the To/From/Subject lines added here.
         *
         * @return bool true when the server accepted the message for every recipient; then
         *   `$lastact` is "QUIT" and `$lastmessage` the server's reply to the message (with its queue id).
         *   On false, `$lastact` is the failing command and `$lastmessage` the reply or error text.
         */
        public function send(string $to, string $from, string $subject, string $message): bool {}

        /**
         * Sends a raw command on the open connection (opening one if none) and reads the whole reply.
         *
         * @param string|int $code the expected reply code
         * @return bool whether the reply starts with `$code`
         */
        public function do_command(string $command, string|int $code): bool {}

        /** Prints `$message` when `$debug` is on: "<< " for `$inout === "in"`, ">> " otherwise. */
        public function show_debug(string $message, string $inout): void {}

        /**
         * The connect timeout and the deadline for each whole reply (default: `default_socket_timeout`).
         *
         * @return static
         * @throws ValueError unless 0 < $seconds <= 86400
         */
        public function setTimeout(float $seconds): SendMail {}

        /**
         * When to use TLS: "auto" (default: implicit TLS on port 465, else STARTTLS when offered),
         * "required" (TLS or nothing), "implicit" (TLS from the first byte) or "off".
         *
         * @return static
         * @throws ValueError for any other mode
         */
        public function setTls(string $mode): SendMail {}

        /**
         * Trust only the CA certificates in this PEM file (a private CA) instead of the system's.
         *
         * @return static
         * @throws ValueError when the file cannot be read
         */
        public function setCaFile(string $path): SendMail {}

        /**
         * Check the server's certificate and name (default true). False accepts ANY certificate:
         * for a test relay you control only.
         *
         * @return static
         */
        public function setVerifyPeer(bool $verify): SendMail {}

        /**
         * Mutual TLS: show this certificate and prove it with its private key when the server
         * asks for one. Each is PEM text or the path of a PEM file (one PEM text may hold both);
         * $cert may be a chain, the client's own certificate first; RSA (2048 bits or more),
         * ECDSA (P-256, P-384) or Ed25519 keys, in PKCS#8, PKCS#1 or SEC1, without a passphrase.
         * Without it, php.ini's sendmail.client_cert and sendmail.client_key.
         *
         * @return static
         * @throws ValueError for a file that cannot be read, no certificate, no key, or a key that
         *         is not the certificate's (the message names the argument, never its value)
         */
        public function setClientCertificate(#[\SensitiveParameter] string $cert, #[\SensitiveParameter] string $key): SendMail {}

        /**
         * Accept only a server whose certificate has one of these public keys, in curl's syntax
         * (CURLOPT_PINNEDPUBLICKEY): "sha256//BASE64[;sha256//BASE64...]", the SHA-256 of the
         * SubjectPublicKeyInfo (DER), base64. Checked besides the usual verification, or alone
         * after setVerifyPeer(false). A mismatch is a SendMail\TlsException that names the
         * server's own pin.
         *
         * @return static
         * @throws ValueError for an empty list, a pin without "sha256//", bad base64 or a digest
         *         that is not 32 bytes
         */
        public function setPinnedPublicKey(string $pins): SendMail {}

        /**
         * Connect from this local IPv4 or IPv6 address (any port); only the server's addresses of
         * the same family are tried. The URL option source_ip= says the same.
         *
         * @return static
         * @throws ValueError when $ip is not an IP address
         */
        public function setSourceAddress(string $ip): SendMail {}

        /**
         * Log in after EHLO (and TLS): PLAIN, LOGIN, CRAM-MD5, XOAUTH2 or OAUTHBEARER (the password
         * is then an OAuth2 access token); without a mechanism, the strongest password mechanism
         * the server offers.
         *
         * A Closure as $password is a token provider: it is called with no arguments each time a
         * new connection is about to log in (before it is opened; not per message on a kept
         * connection; once per connection of sendBatch(), before the batch starts) and returns
         * the password or token as a string (or Stringable). What it throws reaches the caller of
         * the sending method unchanged, with no connection opened; any other return value is a
         * TypeError there.
         *
         * @param string|\Closure(): (string|\Stringable) $password
         * @return static
         * @throws ValueError for an unknown mechanism
         */
        public function setAuth(string $user, #[\SensitiveParameter] string|\Closure $password, ?string $mechanism = null): SendMail {}

        /**
         * Sign every message with DKIM (RFC 6376): rsa-sha256 (RSA keys of 2048 to 4096 bits) or
         * ed25519-sha256 (RFC 8463), relaxed/relaxed, over the bytes that go on the wire.
         *
         * @param string $privateKey PEM text, or the path of a PEM file (PKCS#8, or PKCS#1 for RSA)
         * @param array{algorithm?: string, headers?: list<string>, identity?: string, expire?: int} $options
         * @return static
         * @throws ValueError for a key that cannot sign, a bad domain, selector or option
         * @throws TypeError for an option of the wrong type
         */
        public function setDkim(string $domain, string $selector, #[\SensitiveParameter] string $privateKey, array $options = []): SendMail {}

        /**
         * Allow credentials without TLS to a server that is not on this machine (default: refused).
         *
         * @return static
         */
        public function allowInsecureAuth(?bool $allow = null): SendMail {}

        /**
         * `fn(string $line, string $direction)` receives each dialogue line ("in" from the server,
         * "out" from the client, secrets masked) instead of debug output; null removes it.
         *
         * @param (callable(string, string): mixed)|null $logger
         * @return static
         * @throws TypeError unless $logger is callable or null
         */
        public function setLogger(mixed $logger = null): SendMail {}

        /**
         * Keep one connection across send() and sendMessage() calls (default false): RSET after
         * a failure, NOOP before reuse after an idle spell, a new connection when the server
         * closed it; QUIT on close() or when the object goes away.
         *
         * @return static
         */
        public function setKeepAlive(bool $on): SendMail {}

        /**
         * Keep connections open across the requests this PHP process serves (a PHP-FPM worker),
         * as PDO's persistent connections do (default false, or php.ini sendmail.persistent).
         * Each is kept under everything that defines its session (servers, TLS settings, EHLO
         * name, user and a digest of the password): scripts with other settings never share
         * one. NOOP after the idle check, RSET after a failure, a new connection when the
         * server closed it; a forked child opens its own; QUIT when the process ends.
         *
         * @return static
         */
        public function setPersistent(bool $on): SendMail {}

        /**
         * At most this many messages per second from this object, spaced evenly (across the
         * connections of sendBatch() too). 0: no limit (the default).
         *
         * @return static
         */
        public function setRateLimit(float $perSecond): SendMail {}

        /**
         * A new connection after this many messages (kept and persistent connections, each
         * connection of sendBatch()). 0: no limit (the default).
         *
         * @return static
         */
        public function setMaxPerConnection(int $messages): SendMail {}

        /**
         * A kept or persistent connection idle at least this many seconds gets a NOOP before
         * it carries the next message (default 5; 0: before every message).
         *
         * @return static
         */
        public function setIdleCheck(float $seconds): SendMail {}

        /**
         * How a list of servers ("host1;host2") is used: "failover" (the default: the first that
         * works) or "roundrobin" (each new connection starts at the next server, then fails over).
         *
         * @return static
         */
        public function setRelayMode(string $mode): SendMail {}

        /**
         * Sends many messages over `$connections` parallel connections. Takes SendMail\Message
         * objects and legacy arrays (['to' => …, 'from' => …, 'subject' => …, 'message' => …]);
         * returns, under the input's keys, a SendMail\Receipt or the SendMail\Exception of each.
         * `$progress($done, $total)` runs as messages finish. A message whose connection died
         * before the server could accept it is retried once on another connection.
         *
         * @param iterable<SendMail\Message|array{to: string, from: string, subject?: string, message: string}> $messages
         * @param (callable(int, int): mixed)|null $progress
         * @return array<array-key, SendMail\Receipt|SendMail\Exception>
         * @throws ValueError unless 1 <= $connections <= 64
         */
        public function sendBatch(iterable $messages, int $connections = 4, mixed $progress = null): array {}

        /** The dialogue of the last session, ">> " client and "<< " server lines, secrets masked; of a kept connection, its last 64 KiB. */
        public function getTranscript(): string {}

        /** QUIT and close a connection left open by do_command(). */
        public function close(): void {}

        /**
         * Sends a built message. Refused recipients are listed in the receipt while the others
         * get the message; when nothing is delivered, a SendMail\Exception subclass is thrown.
         *
         * @throws \SendMail\Exception
         */
        public function sendMessage(\SendMail\Message $message): \SendMail\Receipt {}

        /**
         * Sends ready-made RFC 5322 bytes (rendered by Symfony, taken from a queue, signed
         * elsewhere) with an explicit envelope. Line ends become CRLF; a NUL, a line over 998
         * octets, or bytes that do not start with a header block are an InvalidInputException.
         *
         * @param array<string>|string $recipients a list, or a comma-separated string
         * @throws \SendMail\Exception
         */
        public function sendRaw(string $message, string $from, array|string $recipients): \SendMail\Receipt {}

        /**
         * Connects, greets, says EHLO, does TLS and AUTH as configured, then QUIT: no mail.
         * Keys: "server" (host:port), "greeting", "capabilities" (list), "tls" (null or
         * ["version", "cipher", "subject", "issuer", "names", "not_after", "resumed"]), "auth"
         * (null or ["mechanism", "ok"]), "round_trips", "time" (seconds).
         *
         * @return array{server: string, greeting: string, capabilities: list<string>, tls: ?array, auth: ?array, round_trips: int, time: float}
         * @throws \SendMail\Exception the exception a send would throw
         */
        public function probe(): array {}
    }

    /** The legacy class name: SendMail (`get_class()` says "SendMail"), unless the script declares or autoloads its own send_mail. */
    class_alias(SendMail::class, 'send_mail');
}

namespace SendMail\Compat {
    /**
     * The `smtp` class family (the English article's `SMTP` and its copies `smtp`, `Smtp`,
     * `SMTP_mail`...; global name `SMTP` with `sendmail.aliases = send_mail,SMTP`, bound only
     * when the script neither declares nor autoloads a class of that name).
     */
    class Smtp
    {
        /** The server: a host, `ssl://host`, `host:port` or a URL. */
        public $relay_host = "";
        public $smtp_port = 25;
        /** Seconds to wait for the connection and each reply (30, or `sendmail.timeout`). */
        public $time_out = 30;
        /** The HELO name; an IP address goes out as an address literal. */
        public $host_name = "127.0.0.1";
        /** A file that gets one line per step, when it exists. */
        public $log_file = "";
        /** Print the dialogue. */
        public $debug = false;
        public $auth = false;
        public $user = "";
        /** The password; shown as `********` by var_dump(), print_r(), var_export(), json_encode(). */
        public $pass = "";
        /** The last reply (all lines joined by "\n"), or an error text. */
        public $lastmessage = "";

        /**
         * Also the user-first layout `($relay_host, $smtp_port, $user, $pass, $auth = true)`: a
         * string in `$auth`'s place that is no boolean word is the user (and `sendmail()` then
         * defaults to HTML).
         */
        public function __construct(string $relay_host = "", int $smtp_port = 25, bool|string $auth = false, string $user = "", #[\SensitiveParameter] string $pass = "") {}

        /**
         * Sends one message; true when every recipient got it. Also the forks with a sender
         * name sixth (`$from_showname`, then Cc, Bcc, headers) or third (`$fromname`, then
         * subject, body, mail type, Cc, Bcc, headers).
         *
         * @param string $mailtype "HTML" for an HTML body, anything else plain text
         * @param ?string $cc comma-separated; each gets the mail and shows in Cc
         * @param ?string $bcc comma-separated; each gets the mail, never shown
         */
        public function sendmail(string $to, string $from, string $subject = "", string $body = "", string $mailtype = "", ?string $cc = null, ?string $bcc = null, string $additional_headers = "", string $fromUser = "", string $replyToAddress = ""): bool {}

        /** Sends one raw command (opening a connection if none); true on a 2xx or 3xx reply. */
        public function smtp_putcmd(string $cmd): bool {}

        public function getTranscript(): string {}

        /** @return static */
        public function setTimeout(float $seconds): Smtp {}
    }
}

namespace SendMail {
    /**
     * Sends a message as PHP's `mail()` does, through the server in php.ini (`sendmail.host` or
     * `sendmail.dsn`): `$to` a comma-separated list, `-f sender` in `$additional_params`,
     * `sendmail.from` as the default sender.
     *
     * @param array<string, string|list<string>>|string $additional_headers a header block or name => value(s)
     * @return bool false with an E_WARNING that says why
     */
    function mail(string $to, string $subject, string $message, array|string $additional_headers = [], string $additional_params = ""): bool {}

    /** A message built from parts; every method checks its input at once. */
    class Message
    {
        public function __construct() {}

        /**
         * @return static
         * @throws InvalidInputException
         */
        public function from(string $address, ?string $name = null): Message {}

        /**
         * The Sender: header: who sends the message on the author's behalf.
         *
         * @return static
         * @throws InvalidInputException
         */
        public function sender(string $address, ?string $name = null): Message {}

        /**
         * The envelope sender (MAIL FROM), where bounces go; no header is written for it.
         *
         * @return static
         * @throws InvalidInputException
         */
        public function returnPath(string $address): Message {}

        /**
         * @return static
         * @throws InvalidInputException
         */
        public function to(string $address, ?string $name = null): Message {}

        /**
         * @return static
         * @throws InvalidInputException
         */
        public function cc(string $address, ?string $name = null): Message {}

        /**
         * Envelope only, never a header.
         *
         * @return static
         * @throws InvalidInputException
         */
        public function bcc(string $address, ?string $name = null): Message {}

        /**
         * @return static
         * @throws InvalidInputException
         */
        public function replyTo(string $address, ?string $name = null): Message {}

        /**
         * @return static
         * @throws InvalidInputException
         */
        public function subject(string $subject): Message {}

        /** @return static */
        public function text(string $body): Message {}

        /**
         * With text(), the two become alternatives.
         *
         * @return static
         */
        public function html(string $body): Message {}

        /**
         * A regular file, read from disk while sending (never held whole).
         *
         * @return static
         * @throws InvalidInputException
         */
        public function attach(string $path, ?string $name = null, ?string $contentType = null): Message {}

        /**
         * @return static
         * @throws InvalidInputException
         */
        public function attachData(string $data, string $name, ?string $contentType = null): Message {}

        /**
         * An inline image, referenced in the HTML as cid:$cid.
         *
         * @return static
         * @throws InvalidInputException
         */
        public function embed(string $path, string $cid, ?string $contentType = null): Message {}

        /**
         * Any header but the ones the methods above set; Date and Message-ID replace the generated ones.
         *
         * @return static
         * @throws InvalidInputException
         */
        public function header(string $name, string $value): Message {}

        /**
         * Delivery status notifications (RFC 3461): "notify" => a list of "success", "failure",
         * "delay", or ["never"] alone; "ret" => "full" | "hdrs"; "envid" => the sender's id for
         * the reports (printable ASCII, at most 100 characters). Sent (with each recipient's
         * address as ORCPT) only to servers that offer DSN; Receipt::$dsn says whether they
         * were. A later call replaces the options.
         *
         * @param array{notify?: list<string>, ret?: string, envid?: string} $options
         * @return static
         * @throws InvalidInputException an unknown option or value, naming the option
         */
        public function dsn(array $options): Message {}

        /** The message as it is sent (Bcc excluded); Date and Message-ID are fixed on first use. */
        /**
         * serialize(): every part as plain values, so a queue can carry the message. File
         * attachments travel as their paths and are read when the message is sent, by the
         * process that sends it. Date and Message-ID are fixed now if they were not yet.
         */
        public function __serialize(): array {}

        /**
         * unserialize(): every part checked again as the builder methods check it.
         *
         * @throws InvalidInputException
         */
        public function __unserialize(array $data): void {}

        public function toString(): string {}
    }

    final class Receipt
    {
        /** From the reply to the end of data; "" when the server gives none. */
        public readonly string $queueId;
        /** The reply to the end of data. */
        public readonly string $reply;
        /** @var list<string> */
        public readonly array $accepted;
        /** @var array<string, string> address => reply */
        public readonly array $rejected;
        /** The DSN parameters went with the message: Message::dsn() was called and the server offers DSN. */
        public readonly bool $dsn;

        /** Receipts come from SendMail::sendMessage() only (`new` throws). */
        private function __construct() {}
    }

    /** An SMTP failure. getCode() is the SMTP reply code, 0 when there was none. */
    class Exception extends \RuntimeException
    {
        public function __construct(string $message = "", int $code = 0, ?\Throwable $previous = null, string $stage = "", string $reply = "", ?string $enhancedCode = null) {}
        public function getSmtpCode(): int {}
        /** RFC 3463, e.g. "5.7.8". */
        public function getEnhancedCode(): ?string {}
        /** connect | tls | greeting | ehlo | auth | mail | rcpt | data | quit | command | input */
        public function getStage(): string {}
        /** The server's whole reply. */
        public function getReply(): string {}
        /** A 4xx reply, a timeout, or a server out of reach: worth trying again later. */
        public function isTemporary(): bool {}
    }

    class ConnectException extends Exception {}
    class TlsException extends Exception {}
    class AuthException extends Exception {}
    class RecipientException extends Exception
    {
        public function __construct(string $message = "", int $code = 0, ?\Throwable $previous = null, string $stage = "", string $reply = "", ?string $enhancedCode = null, ?array $rejected = null) {}
        /** @return array<string, string> address => reply */
        public function getRejected(): array {}
    }
    class ProtocolException extends Exception {}
    class TimeoutException extends Exception {}
    class InvalidInputException extends Exception {}
}
