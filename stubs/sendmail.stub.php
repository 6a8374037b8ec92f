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
         * @return bool whether the reply starts with `$code`
         */
        public function do_command(string $command, string|int $code): bool {}

        /** Prints `$message` when `$debug` is on: "<< " for `$inout === "in"`, ">> " otherwise. */
        public function show_debug(string $message, string $inout): void {}

        /**
         * The connect timeout and the deadline for each whole reply (default: `default_socket_timeout`).
         *
         * @throws ValueError unless 0 < $seconds <= 86400
         */
        public function setTimeout(float $seconds): static {}
    }

    /** The legacy class name: a global alias of SendMail (`get_class()` says "SendMail"). */
    class_alias(SendMail::class, 'send_mail');
}

namespace SendMail {

    /** An SMTP failure. `getCode()` is the SMTP reply code, 0 when there was none. */
    class Exception extends \RuntimeException
    {
        public function getSmtpCode(): int {}
        public function getEnhancedCode(): ?string {}
        public function getStage(): string {}
        public function getReply(): string {}
    }
}
