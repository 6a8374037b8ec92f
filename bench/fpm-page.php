<?php
// One request of `make bench-fpm` (bench/bench_fpm.py), run by a php-fpm worker: sends one ~1 KB
// message to the aiosmtpd sink on 127.0.0.1:?port over STARTTLS with AUTH, the way the
// contender ?mode does it, and prints {"ok": true, "pid": the worker} or {"ok": false, "error": ...}.
//
//   mode=phpmailer       PHPMailer (Debian libphp-phpmailer): SMTPSecure "tls" (STARTTLS), SMTPAuth,
//                        SMTPKeepAlive off (its default: QUIT after the message), TCP_NODELAY
//   mode=symfony         Symfony Mailer 5.4 (Debian php-symfony-mailer): EsmtpTransport (STARTTLS
//                        when offered), username and password, TCP_NODELAY; QUIT when it goes
//   mode=ext-new         SendMail::sendMessage(), a new connection each request (QUIT after it)
//   mode=ext-persistent  the same with setPersistent(true): the worker's connection stays open
//
// The certificate (tests/certs.sh) is checked by every contender against the test CA
// (BENCH_CA); BENCH_USER and BENCH_PASSWORD are the sink's account.
declare(strict_types=1);

require __DIR__ . '/message.inc';

$mode = $_GET['mode'] ?? '';
$port = (int) ($_GET['port'] ?? 0);
$to = 'bench-' . preg_replace('/[^a-z0-9-]/', '', $_GET['id'] ?? 'x') . '@example.com';
$ca = getenv('BENCH_CA');
$user = getenv('BENCH_USER');
$password = getenv('BENCH_PASSWORD');
// PHP's stream TLS: the certificate names localhost and 127.0.0.1; PHP matches the name.
$ssl = ['cafile' => $ca, 'verify_peer' => true, 'verify_peer_name' => true, 'peer_name' => 'localhost'];
$out = ['ok' => false, 'pid' => getmypid()];
try {
    switch ($mode) {
        case 'phpmailer':
            require_once '/usr/share/php/libphp-phpmailer/autoload.php';
            $mail = new PHPMailer\PHPMailer\PHPMailer(true);
            $mail->isSMTP();
            $mail->Host = '127.0.0.1';
            $mail->Port = $port;
            $mail->SMTPSecure = PHPMailer\PHPMailer\PHPMailer::ENCRYPTION_STARTTLS;
            $mail->SMTPAuth = true;
            $mail->Username = $user;
            $mail->Password = $password;
            $mail->SMTPOptions = ['ssl' => $ssl, 'socket' => ['tcp_nodelay' => true]];
            $mail->setFrom(FROM);
            $mail->addAddress($to);
            $mail->Subject = SUBJECT;
            $mail->Body = body();
            $mail->send();
            break;

        case 'symfony':
            require_once '/usr/share/php/Symfony/Component/Mailer/autoload.php';
            $transport = new Symfony\Component\Mailer\Transport\Smtp\EsmtpTransport('127.0.0.1', $port, false);
            $transport->setUsername($user);
            $transport->setPassword($password);
            $transport->getStream()->setStreamOptions(['ssl' => $ssl, 'socket' => ['tcp_nodelay' => true]]);
            (new Symfony\Component\Mailer\Mailer($transport))->send(
                (new Symfony\Component\Mime\Email())->from(FROM)->to($to)->subject(SUBJECT)->text(body()));
            unset($transport);   // QUIT now, inside the request, as at its end
            break;

        case 'ext-new':
        case 'ext-persistent':
            $m = (new SendMail("127.0.0.1:$port"))->setTls('required')->setCaFile($ca)
                ->setAuth($user, $password)->setTimeout(10);
            if ($mode === 'ext-persistent') {
                $m->setPersistent(true);
            }
            $m->sendMessage((new SendMail\Message)->from(FROM)->to($to)->subject(SUBJECT)->text(body()));
            if (isset($_GET['transcript'])) {
                $out['transcript'] = $m->getTranscript();
            }
            break;

        default:
            throw new InvalidArgumentException("unknown mode '$mode'");
    }
    $out['ok'] = true;
} catch (Throwable $e) {
    $out['error'] = get_class($e) . ': ' . $e->getMessage();
}
header('Content-Type: application/json');
echo json_encode($out);
