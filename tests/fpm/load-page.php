<?php
// The page tests/fpm/load.py requests: message number ?id=N, to load-N@example.test, over a
// persistent connection (STARTTLS, AUTH) of this FPM worker. Every third request asks for a
// NOOP before reusing the connection (setIdleCheck(0)); every fourth uses legacy send().
// Prints {"id", "pid", "ok", "error"}: error is the reason whenever ok is false.
$id = (int) ($_GET['id'] ?? 0);
$to = "load-$id@example.test";
$body = "Message $id of the PHP-FPM load test.\n" . str_repeat("A line of the body of a load test message.\n", 20);
$out = ['id' => $id, 'pid' => getmypid(), 'ok' => false, 'error' => ''];
try {
    $m = (new SendMail('127.0.0.1:' . getenv('LOAD_SMTP_PORT')))
        ->setTls('required')->setCaFile(getenv('LOAD_CA'))
        ->setAuth(getenv('LOAD_USER'), getenv('LOAD_PASSWORD'))
        ->setTimeout(5);
    if (getenv('LOAD_PERSISTENT') !== '0') {
        $m->setPersistent(true);
        if ($id % 3 === 0) {
            $m->setIdleCheck(0);
        }
    }
    if ($id % 4 === 0) {
        $out['ok'] = $m->send($to, 'load@example.test', "load $id", $body);
        $out['error'] = $out['ok'] ? '' : "send(): {$m->lastact}: {$m->lastmessage}";
    } else {
        $m->sendMessage((new SendMail\Message)->from('load@example.test')->to($to)->subject("load $id")->text($body));
        $out['ok'] = true;
    }
} catch (SendMail\Exception $e) {
    $out['error'] = get_class($e) . " at {$e->getStage()}: {$e->getMessage()}";
}
header('Content-Type: application/json');
echo json_encode($out);
