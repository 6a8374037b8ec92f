<?php
// One timed run of one contender: sends COUNT identical ~1 KB messages (or one message with an
// attachment) to the SMTP sink on 127.0.0.1:PORT and prints {"seconds": …, "sent": …} as JSON.
// Only the sending is timed (hrtime), not PHP's start-up or loading a library's classes.
// Any failure is an exit code 1 with the reason on stderr: a benchmark that drops mail is void.
//
//   php bench/contenders.php MODE PORT COUNT [key=value ...]
//
// MODE                 options
//   ext-legacy         SendMail::send(), a new connection per message
//   ext-keepalive      SendMail::send() with setKeepAlive(true): one connection
//   ext-message        SendMail::sendMessage(SendMail\Message) with setKeepAlive(true)
//   ext-batch          SendMail::sendBatch($messages, conn)             conn=N
//   phpmailer          PHPMailer over SMTP                              keep=0|1 nodelay=0|1
//   symfony            Symfony Mailer, EsmtpTransport                  nodelay=0|1
//   pear               PEAR Mail 'smtp' driver (Net_SMTP), persist     nodelay=0|1 pipelining=0|1
//   ext-attach         one SendMail\Message, attach(file)               file=PATH (none: no attachment), dkim=KEY signs
//   phpmailer-attach   one PHPMailer message, addAttachment(file)       file=PATH
//   symfony-attach     one Symfony Email, attachFromPath(file)          file=PATH
declare(strict_types=1);

require __DIR__ . '/message.inc';
const TO = 'bench-rcpt@example.com';

function fail(string $why): never
{
    fwrite(STDERR, $why . "\n");
    exit(1);
}

[$script, $mode, $port, $count] = array_pad($argv, 4, null);
if ($mode === null || $port === null || $count === null) {
    fail("usage: php $script MODE PORT COUNT [key=value ...]");
}
$port = (int) $port;
$count = (int) $count;
$opt = [];
foreach (array_slice($argv, 4) as $kv) {
    [$k, $v] = explode('=', $kv, 2) + [1 => ''];
    $opt[$k] = $v;
}
$flag = fn(string $k): bool => ($opt[$k] ?? '0') === '1';
$server = "127.0.0.1:$port";
$body = body();

/** Runs $send and prints the result; $send returns the number of messages accepted. */
function timed(callable $send, int $expected): void
{
    $t0 = hrtime(true);
    $sent = $send();
    $seconds = (hrtime(true) - $t0) / 1e9;
    if ($sent !== $expected) {
        fail("only $sent of $expected messages were accepted");
    }
    echo json_encode(['seconds' => $seconds, 'sent' => $sent]), "\n";
}

function ext_message(string $body): SendMail\Message
{
    return (new SendMail\Message)->from(FROM)->to(TO)->subject(SUBJECT)->text($body);
}

function phpmailer(string $host, int $port, bool $keep, bool $nodelay): PHPMailer\PHPMailer\PHPMailer
{
    require_once '/usr/share/php/libphp-phpmailer/autoload.php';
    $mail = new PHPMailer\PHPMailer\PHPMailer(true);
    $mail->isSMTP();
    $mail->Host = $host;
    $mail->Port = $port;
    $mail->SMTPAuth = false;
    $mail->SMTPAutoTLS = false;
    $mail->SMTPSecure = '';
    $mail->SMTPKeepAlive = $keep;
    if ($nodelay) {
        $mail->SMTPOptions = ['socket' => ['tcp_nodelay' => true]];
    }
    $mail->setFrom(FROM);
    $mail->addAddress(TO);
    $mail->Subject = SUBJECT;
    return $mail;
}

/** A Mailer over an EsmtpTransport (QUIT when the last reference goes: its stop() is private in 5.4). */
function symfony(int $port, bool $nodelay): Symfony\Component\Mailer\Mailer
{
    require_once '/usr/share/php/Symfony/Component/Mailer/autoload.php';
    $transport = new Symfony\Component\Mailer\Transport\Smtp\EsmtpTransport('127.0.0.1', $port, false);
    if ($nodelay) {
        $transport->getStream()->setStreamOptions(['socket' => ['tcp_nodelay' => true]]);
    }
    return new Symfony\Component\Mailer\Mailer($transport);
}

function symfony_email(string $body): Symfony\Component\Mime\Email
{
    return (new Symfony\Component\Mime\Email())->from(FROM)->to(TO)->subject(SUBJECT)->text($body);
}

try {
    switch ($mode) {
        case 'ext-legacy':
        case 'ext-keepalive':
            $m = new SendMail($server);
            $m->setTls('off');
            if ($mode === 'ext-keepalive') {
                $m->setKeepAlive(true);
            }
            timed(function () use ($m, $count, $body) {
                $ok = 0;
                for ($i = 0; $i < $count; $i++) {
                    if (!$m->send(TO, FROM, SUBJECT, $body)) {
                        fail("send(): {$m->lastact}: {$m->lastmessage}");
                    }
                    $ok++;
                }
                $m->close();
                return $ok;
            }, $count);
            break;

        case 'ext-message':
            $m = (new SendMail($server))->setTls('off')->setKeepAlive(true);
            timed(function () use ($m, $count, $body) {
                $ok = 0;
                for ($i = 0; $i < $count; $i++) {
                    $m->sendMessage(ext_message($body));
                    $ok++;
                }
                $m->close();
                return $ok;
            }, $count);
            break;

        case 'ext-batch':
            if (!method_exists('SendMail', 'sendBatch')) {
                fail('SendMail::sendBatch() is not in this build');
            }
            $conn = (int) ($opt['conn'] ?? 4);
            $m = (new SendMail($server))->setTls('off');
            timed(function () use ($m, $count, $body, $conn) {
                $messages = [];
                for ($i = 0; $i < $count; $i++) {
                    $messages[] = ext_message($body);
                }
                $ok = 0;
                foreach ($m->sendBatch($messages, $conn) as $key => $result) {
                    if (!$result instanceof SendMail\Receipt) {
                        fail("sendBatch(): message $key: " . ($result instanceof Throwable ? $result->getMessage() : get_debug_type($result)));
                    }
                    $ok++;
                }
                return $ok;
            }, $count);
            break;

        case 'phpmailer':
            $mail = phpmailer('127.0.0.1', $port, $flag('keep'), $flag('nodelay'));
            timed(function () use ($mail, $count, $body) {
                $ok = 0;
                for ($i = 0; $i < $count; $i++) {
                    $mail->Body = $body;
                    $mail->send();
                    $ok++;
                }
                $mail->smtpClose();
                return $ok;
            }, $count);
            break;

        case 'symfony':
            $nodelay = $flag('nodelay');
            timed(function () use ($port, $nodelay, $count, $body) {
                $mailer = symfony($port, $nodelay);
                $ok = 0;
                for ($i = 0; $i < $count; $i++) {
                    $mailer->send(symfony_email($body));
                    $ok++;
                }
                unset($mailer);
                return $ok;
            }, $count);
            break;

        case 'pear':
            set_include_path('/usr/share/php');
            error_reporting(E_ALL & ~E_DEPRECATED & ~E_STRICT);
            require_once 'Mail.php';
            $params = ['host' => '127.0.0.1', 'port' => $port, 'localhost' => 'localhost', 'persist' => true];
            if ($flag('nodelay')) {
                $params['socket_options'] = ['socket' => ['tcp_nodelay' => true]];
            }
            if ($flag('pipelining')) {
                $params['pipelining'] = true;
            }
            $mailer = Mail::factory('smtp', $params);
            timed(function () use ($mailer, $count, $body) {
                $ok = 0;
                for ($i = 0; $i < $count; $i++) {
                    $headers = ['From' => FROM, 'To' => TO, 'Subject' => SUBJECT,
                        'Date' => date('r'), 'Message-ID' => '<' . bin2hex(random_bytes(12)) . '@example.com>'];
                    $r = $mailer->send(TO, $headers, $body);
                    if ($r !== true) {
                        fail('PEAR Mail: ' . $r->getMessage());
                    }
                    $ok++;
                }
                $mailer->disconnect();
                return $ok;
            }, $count);
            break;

        case 'ext-attach':
            $m = (new SendMail($server))->setTls('off');
            if (isset($opt['dkim'])) {
                $m->setDkim('example.com', 'bench', $opt['dkim']);
            }
            $file = $opt['file'] ?? 'none';
            timed(function () use ($m, $body, $file) {
                $message = ext_message($body);
                if ($file !== 'none') {
                    $message->attach($file, 'data.bin', 'application/octet-stream');
                }
                $m->sendMessage($message);
                return 1;
            }, 1);
            break;

        case 'phpmailer-attach':
            $mail = phpmailer('127.0.0.1', $port, false, true);
            $file = $opt['file'] ?? 'none';
            timed(function () use ($mail, $body, $file) {
                $mail->Body = $body;
                if ($file !== 'none') {
                    $mail->addAttachment($file, 'data.bin', 'base64', 'application/octet-stream');
                }
                $mail->send();
                return 1;
            }, 1);
            break;

        case 'symfony-attach':
            $file = $opt['file'] ?? 'none';
            timed(function () use ($port, $body, $file) {
                $mailer = symfony($port, true);
                $email = symfony_email($body);
                if ($file !== 'none') {
                    $email->attachFromPath($file, 'data.bin', 'application/octet-stream');
                }
                $mailer->send($email);
                unset($mailer);
                return 1;
            }, 1);
            break;

        default:
            fail("unknown mode $mode");
    }
} catch (Throwable $e) {
    fail(get_class($e) . ': ' . $e->getMessage());
}
