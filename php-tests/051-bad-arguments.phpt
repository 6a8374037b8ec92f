--TEST--
Bad arguments: every public method and function with wrong types, huge strings, NUL bytes, invalid UTF-8, nested values, hostile callbacks and half-built objects: only returns and Throwables
--EXTENSIONS--
sendmail
--INI--
memory_limit=512M
sendmail.host=127.0.0.1:1
sendmail.timeout=1
sendmail.from=me@example.test
default_socket_timeout=1
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
// Every public method and function of the extension, called with hostile arguments: only a
// return or a Throwable is acceptable; never a crash, a hang, a warning/notice (except the
// documented E_WARNING of SendMail\mail() on failure), a wrong return type or a Rust panic.
// Everything that connects goes to 127.0.0.1:1 (closed) with a 1 s timeout.
//
// Per method: the valid call, each parameter in turn set to each of the 17 values of $VALUES
// (the others valid), every parameter set to the same value, no arguments, one extra argument
// and an unknown named one; then property writes, values nested in arrays and iterables,
// hostile callbacks, objects whose constructor never ran, and a real Receipt. The output counts
// the outcomes per method: ok / false(connect) (the input passed every check and the closed port
// refused) / false(input) (refused before connecting) / the Throwable's class, with "+E_..." for
// a PHP error raised on the way. "unexpected:" lists anything that is not allowed.
// BADARGS_DETAIL=1 prints every call and its outcome on stderr; BADARGS_TRACE=file writes each
// call before it is made (the last line names the call that crashed).
// Under valgrind (run-tests -m sets USE_ZEND_ALLOC=0) the huge string is 64 KiB instead of
// 16 MiB (1 MiB took four minutes there); the outcomes are the same.
$valgrind = getenv('USE_ZEND_ALLOC') === '0';
$hugeLen = $valgrind ? 64 << 10 : 16 << 20;
$slow = $valgrind ? 30.0 : 5.0;   // seconds: a call slower than this is reported as a hang
$trace = getenv('BADARGS_TRACE') ? fopen(getenv('BADARGS_TRACE'), 'w') : null;   // for finding a crash
const CLOSED = '127.0.0.1:1';

final class Str
{
    public function __construct(private string $s) {}
    public function __toString(): string { return $this->s; }
}

$tmpFile = tempnam(sys_get_temp_dir(), 'sendmail-051-');
$GLOBALS['attachmentFile'] = $tmpFile;
file_put_contents($tmpFile, "attachment\n");
$fp = fopen('php://memory', 'r+');
$VALUES = [
    'null' => null,
    'true' => true,
    '-1' => -1,
    'PHP_INT_MAX' => PHP_INT_MAX,
    '1.5' => 1.5,
    'NAN' => NAN,
    '""' => '',
    'huge' => str_repeat('x', $hugeLen),
    'NUL' => "a\0b",
    'bad-utf8' => "\xff\xfe invalid utf-8",
    'CRLF' => "a\r\nb",
    '[]' => [],
    '[1,[2]]' => [1, [2]],
    'stdClass' => new stdClass,
    'closure' => function () { return null; },
    'resource' => $fp,
    'Stringable' => new Str('str@example.test'),
];

require __DIR__ . '/inc/arguments.inc';   // valid() and receiver()

$errors = [];
set_error_handler(function (int $no, string $str) use (&$errors) {
    $errors[] = [$no, $str];
    return true;
});
const LEVELS = [E_WARNING => 'E_WARNING', E_NOTICE => 'E_NOTICE', E_DEPRECATED => 'E_DEPRECATED',
    E_USER_WARNING => 'E_USER_WARNING', E_USER_NOTICE => 'E_USER_NOTICE', E_USER_DEPRECATED => 'E_USER_DEPRECATED'];

$summary = [];     // "Class::method" => [outcome => count]
$unexpected = [];  // lines
$calls = 0;

function type_ok(?ReflectionType $type, mixed $value, string $class): bool
{
    if ($type === null) {
        return true;
    }
    $types = $type instanceof ReflectionUnionType ? $type->getTypes() : [$type];
    foreach ($types as $t) {
        $n = $t->getName();
        if ($value === null && $type->allowsNull()) return true;
        if (match ($n) {
            'bool' => is_bool($value), 'string' => is_string($value), 'int' => is_int($value),
            'float' => is_float($value), 'array' => is_array($value), 'void' => $value === null,
            'mixed' => true, 'static', 'self' => $value instanceof $class,
            default => $value instanceof $n,
        }) return true;
    }
    return false;
}

/**
 * One call: $target is [class, method] (method '__construct' means `new`) or a function name.
 * Records the outcome under $key and any unexpected behaviour with $what.
 */
function attempt(string $key, string $what, callable $call, ?ReflectionType $ret, string $class, array $allowedWarnings = []): ?string
{
    global $summary, $unexpected, $errors, $calls, $trace, $slow;
    $calls++;
    if ($trace) { fwrite($trace, "$key $what\n"); fflush($trace); }
    $errors = [];
    $GLOBALS['recv'] = null;
    $t = microtime(true);
    ob_start();
    try {
        $value = $call();
        $outcome = $value === false ? 'false' : 'ok';
        // Why false: the closed port (the input passed every check) or the input.
        $why = $GLOBALS['recv']->lastmessage ?? ($errors[0][1] ?? null);
        if ($value === false && is_string($why)) {
            $outcome = str_contains($why, 'connect to ' . CLOSED) ? 'false(connect)' : 'false(input)';
        }
        if (getenv('BADARGS_DETAIL')) {
            fwrite(STDERR, "$key $what => $outcome " . substr((string) $why, 0, 150) . "\n");
        }
        if (!type_ok($ret, $value, $class)) {
            $outcome = 'BAD-RETURN';
            $unexpected[] = "$key $what: returned " . get_debug_type($value);
        }
    } catch (Throwable $e) {
        $outcome = get_class($e);
        if (getenv('BADARGS_DETAIL')) {
            fwrite(STDERR, "$key $what => $outcome " . substr(str_replace("\n", ' ', $e->getMessage()), 0, 150) . "\n");
        }
        if (stripos($e->getMessage(), 'panic') !== false) {
            $unexpected[] = "$key $what: $outcome (a Rust panic?): " . substr($e->getMessage(), 0, 200);
        }
    }
    ob_end_clean();
    $elapsed = microtime(true) - $t;
    if (getenv('BADARGS_DETAIL')) {
        fwrite(STDERR, sprintf("  %.3f s\n", $elapsed));
    }
    if ($elapsed > $slow) {
        $unexpected[] = sprintf("%s %s: took %.1f s", $key, $what, $elapsed);
    }
    foreach ($errors as [$no, $str]) {
        $level = LEVELS[$no] ?? "E_$no";
        $outcome .= "+$level";
        // PHP's own deprecations for internal functions' arguments (null to a scalar, a
        // float with a fraction to an int) are what PHP gives for its own functions too.
        $ok = $no === E_DEPRECATED && preg_match('/Passing null to parameter #\d+ \(\$\w+\) of type [A-Za-z|]+ is deprecated$|^Implicit conversion from float .* to int loses precision$/', $str);
        foreach ($allowedWarnings as $pattern) {
            $ok = $ok || preg_match($pattern, $str);
        }
        if (!$ok) {
            $unexpected[] = "$key $what: $level " . substr($str, 0, 200);
        }
    }
    $summary[$key][$outcome] = ($summary[$key][$outcome] ?? 0) + 1;
    return $outcome;
}

// The targets: every public method of the extension's own classes (inherited \Exception methods
// excepted: PHP's own), the alias, and the function.
$classes = ['SendMail', 'send_mail', 'SendMail\Compat\Smtp', 'SendMail\Message', 'SendMail\Receipt',
    'SendMail\Exception', 'SendMail\ConnectException', 'SendMail\TlsException', 'SendMail\AuthException',
    'SendMail\RecipientException', 'SendMail\ProtocolException', 'SendMail\TimeoutException',
    'SendMail\InvalidInputException'];
$targets = [];
foreach ($classes as $class) {
    foreach ((new ReflectionClass($class))->getMethods(ReflectionMethod::IS_PUBLIC) as $m) {
        if ($m->getDeclaringClass()->getExtensionName() !== 'sendmail') {
            continue;
        }
        $targets[] = [$class, $m];
    }
}
$targets[] = [null, new ReflectionFunction('SendMail\mail')];
$mailWarning = ['/^SendMail\\\\mail\(\): /'];

foreach ($targets as [$class, $r]) {
    $name = $r->getName();
    $key = $class === null ? $name : "$class::$name";
    $fnKey = $class === null ? $name : $r->class . "::$name";   // for valid(): the real class
    $params = $r->getParameters();
    $ret = $r instanceof ReflectionMethod && $name === '__construct' ? null
        : ($r->hasReturnType() ? $r->getReturnType() : ($r->hasTentativeReturnType() ? $r->getTentativeReturnType() : null));
    $ctor = $name === '__construct';
    $allowed = $class === null ? $mailWarning : [];
    $invoke = function (array $args) use ($class, $name, $ctor) {
        if ($class === null) {
            return ('SendMail\\' . 'mail')(...$args);
        }
        if ($ctor) {
            return new $class(...$args);
        }
        $GLOBALS['recv'] = receiver($class);
        return $GLOBALS['recv']->$name(...$args);
    };
    $base = [];
    foreach ($params as $p) {
        $base[] = valid($fnKey, $p->getName());
    }
    // For a receiver that is an exception: check its getters right after construction too.
    $check = function ($obj) use ($class) {
        if ($obj instanceof SendMail\Exception) {
            $obj->getSmtpCode(); $obj->getEnhancedCode(); $obj->getStage(); $obj->getReply(); $obj->isTemporary();
            $obj->getMessage(); $obj->getCode(); $obj->getPrevious(); (string) $obj;
            if ($obj instanceof SendMail\RecipientException) $obj->getRejected();
        }
        if ($obj instanceof SendMail\Message) {
            $obj->toString();
        }
        return $obj;
    };
    // The valid call itself.
    attempt($key, 'valid', fn() => $ctor ? $check($invoke($base)) : $invoke($base), $ret, $class ?? '', $allowed);
    // One parameter at a time.
    foreach ($params as $i => $p) {
        foreach ($GLOBALS['VALUES'] as $label => $v) {
            $args = $base;
            $args[$i] = $v;
            attempt($key, "\${$p->getName()}=$label", function () use ($invoke, $args, $ctor, $check, $class, $name) {
                if ($ctor || $class === null) {
                    $r = $invoke($args);
                    return $ctor ? $check($r) : $r;
                }
                // Methods of Message: render afterwards (the stored value goes through the writer).
                $obj = $GLOBALS['recv'] = receiver($class);
                $r = $obj->$name(...$args);
                $check($obj);
                return $r;
            }, $ret, $class ?? '', $allowed);
        }
    }
    // Every parameter the same value.
    if (count($params) > 1) {
        foreach ($GLOBALS['VALUES'] as $label => $v) {
            attempt($key, "all=$label", fn() => $invoke(array_fill(0, count($params), $v)), $ret, $class ?? '', $allowed);
        }
    }
    // Too few and too many arguments, and an unknown named one.
    if ($r->getNumberOfRequiredParameters() > 0) {
        attempt($key, 'no args', fn() => $invoke([]), $ret, $class ?? '', $allowed);
    }
    attempt($key, 'extra arg', fn() => $invoke([...$base, 'extra']), $ret, $class ?? '', $allowed);
    attempt($key, 'unknown named arg', fn() => $invoke([...$base, 'nosuchparam' => 1]), $ret, $class ?? '', $allowed);
}

// Public properties: hostile values written, then the method that reads them all. The server
// properties get no value that could name another host (a string or a number would be resolved
// or connected to): only the non-scalar ones.
$hostProps = ['smtp', 'relay_host'];
foreach (['SendMail' => fn($o) => $o->send('rcpt@example.test', 'me@example.test', 's', 'm'),
          'SendMail\Compat\Smtp' => fn($o) => $o->sendmail('rcpt@example.test', 'me@example.test', 's', 'b')] as $class => $use) {
    foreach ((new ReflectionClass($class))->getProperties(ReflectionProperty::IS_PUBLIC) as $p) {
        $prop = $p->getName();
        foreach ($VALUES as $label => $v) {
            if (in_array($prop, $hostProps, true) && !in_array($label, ['null', '[]', '[1,[2]]', 'stdClass', 'closure', 'resource'], true)) {
                continue;
            }
            attempt("$class property", "\$$prop=$label", function () use ($class, $prop, $v, $use) {
                $o = $GLOBALS['recv'] = receiver($class);
                $o->$prop = $v;
                return $use($o);
            }, null, $class);
        }
    }
}


// ---- Beyond the per-parameter matrix: values nested inside arrays and iterables, hostile
// callbacks, objects that skipped their constructor, and a real Receipt.
$legacy = ['to' => 'rcpt@example.test', 'from' => 'me@example.test', 'subject' => 's', 'message' => 'm'];
$extra = function (string $group, string $what, callable $call, array $allowed = []) {
    attempt($group, $what, $call, null, '', $allowed);
};
final class Boom
{
    public function __toString(): string { throw new RuntimeException('boom'); }
}
$nested = ['null' => null, '-1' => -1, 'NAN' => NAN, 'huge' => $VALUES['huge'], 'NUL' => "a\0b",
    'bad-utf8' => "\xff\xfe", 'CRLF' => "a\r\nb", '[1,[2]]' => [1, [2]], 'stdClass' => new stdClass,
    'closure' => fn() => 1, 'resource' => $fp, 'Stringable' => new Str('x@example.test'), 'Boom' => new Boom];
foreach (['to', 'from', 'subject', 'message'] as $field) {
    foreach ($nested as $label => $v) {
        $extra('sendBatch legacy array field', "$field=$label", function () use ($legacy, $field, $v) {
            $r = receiver('SendMail')->sendBatch(['k' => array_merge($legacy, [$field => $v])], 1);
            if (!(($r['k'] ?? null) instanceof SendMail\Receipt || ($r['k'] ?? null) instanceof SendMail\Exception)) {
                throw new LogicException('BAD-RESULT');
            }
            return true;
        });
    }
}
foreach ($nested as $label => $v) {
    $extra('sendBatch item', $label, fn() => receiver('SendMail')->sendBatch([$v, $legacy], 2));
    $extra('mail() header value', $label, fn() => SendMail\mail('rcpt@example.test', 's', 'm', ['X-Test' => $v]), $mailWarning);
    $extra('mail() header list', $label, fn() => SendMail\mail('rcpt@example.test', 's', 'm', ['X-Test' => [$v, 'ok']]), $mailWarning);
    $extra('RecipientException rejected', $label, fn() => (new SendMail\RecipientException('m', 550, null, 'rcpt', '', null, ['a@example.test' => $v]))->getRejected());
}
$extra('mail() header name', 'NUL', fn() => SendMail\mail('rcpt@example.test', 's', 'm', ["X\0A" => 'v']), $mailWarning);
$extra('mail() header name', 'int key', fn() => SendMail\mail('rcpt@example.test', 's', 'm', [0 => 'v']), $mailWarning);
$extra('mail() header name', 'huge', fn() => SendMail\mail('rcpt@example.test', 's', 'm', [$VALUES['huge'] => 'v']), $mailWarning);
$extra('mail() header name', 'reference', function () use ($mailWarning) { $h = ['From' => 'me@example.test']; $r = &$h['From']; return SendMail\mail('rcpt@example.test', 's', 'm', $h); }, $mailWarning);
$extra('sendBatch iterable', 'generator that throws', fn() => receiver('SendMail')->sendBatch((function () use ($legacy) { yield $legacy; throw new RuntimeException('generator'); })(), 1));
$extra('sendBatch iterable', 'generator with object keys', fn() => receiver('SendMail')->sendBatch((function () use ($legacy) { yield new stdClass => $legacy; })(), 1));
// A float key gets PHP's own deprecation, as iterator_to_array() gives it.
$extra('sendBatch iterable', 'generator with float and null keys', fn() => receiver('SendMail')->sendBatch((function () use ($legacy) { yield 1.5 => $legacy; yield null => $legacy; })(), 1),
    ['/^Implicit conversion from float 1\.5 to int loses precision$/']);
$extra('sendBatch iterable', 'ArrayIterator', fn() => receiver('SendMail')->sendBatch(new ArrayIterator([$legacy, 5]), 2));
$extra('sendBatch iterable', 'IteratorAggregate', fn() => receiver('SendMail')->sendBatch(new class implements IteratorAggregate { public function getIterator(): Iterator { return new ArrayIterator([1, [2]]); } }, 64));
$extra('sendBatch iterable', 'references', function () use ($legacy) { $a = [$legacy]; $r = &$a[0]; $t = &$a[0]['to']; return receiver('SendMail')->sendBatch($a, 1); });
$extra('sendBatch iterable', '2,000 invalid items', fn() => receiver('SendMail')->sendBatch(array_fill(0, 2000, [1]), 4));
$extra('sendBatch iterable', 'Message without constructor', fn() => receiver('SendMail')->sendBatch([(new ReflectionClass('SendMail\Message'))->newInstanceWithoutConstructor()], 1));
// Callbacks that throw, have the wrong signature, or call back into the same object.
$extra('callbacks', 'progress throws', fn() => receiver('SendMail')->sendBatch([$legacy, $legacy], 1, function () { throw new RuntimeException('progress'); }));
$extra('callbacks', 'progress wrong arity', fn() => receiver('SendMail')->sendBatch([$legacy], 1, 'strlen'));
$extra('callbacks', 'progress re-enters', function () use ($legacy) {
    $o = receiver('SendMail');
    return $o->sendBatch([$legacy, $legacy], 1, function () use ($o, $legacy) {
        $o->send('rcpt@example.test', 'me@example.test', 's', 'm');
        $o->sendBatch([$legacy], 1);
        $o->setLogger(fn() => null);
        $o->close();
    });
});
$extra('callbacks', 'logger throws', fn() => receiver('SendMail')->setLogger(function () { throw new RuntimeException('logger'); })->send('rcpt@example.test', 'me@example.test', 's', 'm'));
$extra('callbacks', 'logger wrong signature', fn() => receiver('SendMail')->setLogger(fn(int $a) => 1)->send('rcpt@example.test', 'me@example.test', 's', 'm'));
// The re-entrant cases below hold their SendMail in the logger closure: a cycle that the
// collector frees (034-logger-cycle); setLogger(null) in finally only ends it sooner.
$reenter = function (callable $body) {
    $o = receiver('SendMail');
    try {
        return $body($o);
    } finally {
        $o->setLogger(null);
    }
};
$extra('callbacks', 'logger re-enters send', fn() => $reenter(function ($o) {
    $depth = 0;
    $o->setLogger(function () use ($o, &$depth) { if ($depth++ < 3) { $o->send('rcpt@example.test', 'me@example.test', 's', 'm'); } });
    return $o->send('rcpt@example.test', 'me@example.test', 's', 'm');
}));
$extra('callbacks', 'logger replaces itself and writes properties', function () {
    $o = receiver('SendMail');
    $o->setLogger(function () use ($o) { $o->setLogger(null); $o->close(); $o->port = [1]; $o->lastmessage = new stdClass; $o->getTranscript(); });
    return $o->send('rcpt@example.test', 'me@example.test', 's', 'm');
});
$extra('callbacks', 'logger re-enters do_command', fn() => $reenter(function ($o) {
    $o->setLogger(function () use ($o) { static $d = 0; if ($d++ < 2) { $o->do_command('NOOP', 250); } });
    return $o->do_command('NOOP', 250);
}));
$extra('callbacks', 'logger in sendBatch', fn() => $reenter(function ($o) use ($legacy) {
    $o->setLogger(function () use ($o) { $o->close(); });
    return $o->sendBatch([$legacy], 1);
}));
$extra('callbacks', 'Stringable that throws as a property', function () { $o = receiver('SendMail'); $o->welcome = new Boom; return $o->send('rcpt@example.test', 'me@example.test', 's', 'm'); });
// Objects whose constructor never ran: every method with valid arguments.
class SendMailNoCtor extends SendMail { public function __construct() {} }
class SmtpNoCtor extends SendMail\Compat\Smtp { public function __construct() {} }
class MessageNoCtor extends SendMail\Message { public function __construct() {} }
class ExceptionNoCtor extends SendMail\RecipientException { public function __construct() {} }
$bare = [
    'SendMail (newInstanceWithoutConstructor)' => fn() => (new ReflectionClass('SendMail'))->newInstanceWithoutConstructor(),
    'SendMail subclass without parent::__construct' => fn() => new SendMailNoCtor,
    'Smtp (newInstanceWithoutConstructor)' => fn() => (new ReflectionClass('SendMail\Compat\Smtp'))->newInstanceWithoutConstructor(),
    'Smtp subclass without parent::__construct' => fn() => new SmtpNoCtor,
    'Message (newInstanceWithoutConstructor)' => fn() => (new ReflectionClass('SendMail\Message'))->newInstanceWithoutConstructor(),
    'Message subclass without parent::__construct' => fn() => new MessageNoCtor,
    'RecipientException (newInstanceWithoutConstructor)' => fn() => (new ReflectionClass('SendMail\RecipientException'))->newInstanceWithoutConstructor(),
    'RecipientException subclass without parent::__construct' => fn() => new ExceptionNoCtor,
];
foreach ($bare as $label => $make) {
    $obj = $make();
    $class = get_parent_class($obj) ?: get_class($obj);
    foreach ((new ReflectionObject($obj))->getMethods(ReflectionMethod::IS_PUBLIC) as $meth) {
        if ($meth->getDeclaringClass()->getExtensionName() !== 'sendmail' || $meth->name === '__construct') {
            continue;
        }
        $args = array_map(fn($p) => $meth->name === 'setTimeout' ? 1.0 : valid($meth->class . '::' . $meth->name, $p->getName()), $meth->getParameters());
        $extra($label, $meth->name, function () use ($make, $meth, $args) {
            $o = $make();
            if (method_exists($o, 'setTimeout') && $meth->name !== 'setTimeout') {
                try { $o->setTimeout(1); } catch (Throwable) {}
            }
            return $meth->invokeArgs($o, $args);
        });
    }
    $extra($label, 'var_dump, clone, serialize', function () use ($make) { $o = $make(); var_dump($o); $c = clone $o; return serialize($c); });
}
foreach (['SendMail', 'SendMail\Message', 'SendMail\Compat\Smtp', 'SendMail\Receipt', 'SendMail\Exception'] as $c) {
    $extra('unserialize', $c, fn() => unserialize(sprintf('O:%d:"%s":1:{s:4:"port";a:1:{i:0;O:8:"stdClass":0:{}}}', strlen($c), $c)));
}
$extra('clone', 'SendMail with keep-alive, logger and auth', function () {
    $o = receiver('SendMail')->setKeepAlive(true)->setAuth('u', 'p')->setLogger(fn() => null);
    $o->send('rcpt@example.test', 'me@example.test', 's', 'm');
    $c = clone $o;
    unset($o);
    return $c->send('rcpt@example.test', 'me@example.test', 's', 'm');
});
// A real Receipt (from the sink): its readonly properties refuse every write.
$receipt = (new SendMail('127.0.0.1:' . sink_port('plain'), 'client.example.test'))->setTimeout(10)
    ->sendMessage((new SendMail\Message)->from('me@example.test')->to('receipt-051@example.test')->text('x'));
foreach (['queueId', 'reply', 'accepted', 'rejected'] as $prop) {
    foreach ($nested as $label => $v) {
        $extra('Receipt property write', "$prop=$label", function () use ($receipt, $prop, $v) { $receipt->$prop = $v; return true; });
    }
    $extra('Receipt property write', "unset $prop", function () use ($receipt, $prop) { unset($receipt->$prop); return true; });
}
$extra('Receipt', 'var_dump, clone, serialize', function () use ($receipt) { var_dump($receipt); $c = clone $receipt; return serialize($c); });
$extra('Receipt', 'new', fn() => new SendMail\Receipt);

echo "calls: $calls\n";
foreach ($summary as $key => $outcomes) {
    ksort($outcomes);
    echo $key, ': ', implode(', ', array_map(fn($o, $n) => "$o $n", array_keys($outcomes), $outcomes)), "\n";
}
echo "unexpected: ", $unexpected ? count($unexpected) . "\n  " . implode("\n  ", $unexpected) : "none", "\n";
unlink($tmpFile);
?>
--EXPECT--
calls: 4762
SendMail::send: ArgumentCountError 2, Error 1, TypeError 25, false(connect) 24, false(connect)+E_DEPRECATED 2, false(input) 32, false(input)+E_DEPRECATED 2, false(input)+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED 1
SendMail::sendMessage: ArgumentCountError 2, Error 1, SendMail\ConnectException 1, TypeError 17
SendMail::sendRaw: ArgumentCountError 2, Error 1, SendMail\ConnectException 3, SendMail\InvalidInputException 44, SendMail\InvalidInputException+E_DEPRECATED 3, SendMail\InvalidInputException+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED 1, TypeError 18
SendMail::probe: ArgumentCountError 1, Error 1, SendMail\ConnectException 1
SendMail::sendBatch: ArgumentCountError 2, Error 1, TypeError 44, ValueError 17, ValueError+E_DEPRECATED 1, ok 6, ok+E_DEPRECATED 1
SendMail::do_command: ArgumentCountError 2, Error 1, TypeError 15, false(connect) 32, false(connect)+E_DEPRECATED 4, false(connect)+E_DEPRECATED+E_DEPRECATED 1
SendMail::show_debug: ArgumentCountError 2, Error 1, TypeError 15, ok 34, ok+E_DEPRECATED 2, ok+E_DEPRECATED+E_DEPRECATED 1
SendMail::setTimeout: ArgumentCountError 2, Error 1, TypeError 11, ValueError 3, ValueError+E_DEPRECATED 1, ok 3
SendMail::setTls: ArgumentCountError 2, Error 1, TypeError 5, ValueError 11, ValueError+E_DEPRECATED 1, ok 1
SendMail::setCaFile: ArgumentCountError 2, Error 1, TypeError 5, ValueError 11, ValueError+E_DEPRECATED 1, ok 1
SendMail::setVerifyPeer: ArgumentCountError 2, Error 1, TypeError 6, ok 11, ok+E_DEPRECATED 1
SendMail::setClientCertificate: ArgumentCountError 2, Error 1, TypeError 15, ValueError 33, ValueError+E_DEPRECATED 2, ValueError+E_DEPRECATED+E_DEPRECATED 1, ok 1
SendMail::setPinnedPublicKey: ArgumentCountError 2, Error 1, TypeError 5, ValueError 11, ValueError+E_DEPRECATED 1, ok 1
SendMail::setSourceAddress: ArgumentCountError 2, Error 1, TypeError 5, ValueError 11, ValueError+E_DEPRECATED 1, ok 1
SendMail::setAuth: ArgumentCountError 2, Error 1, TypeError 19, ValueError 20, ok 27, ok+E_DEPRECATED 2, ok+E_DEPRECATED+E_DEPRECATED 1
SendMail::setDkim: ArgumentCountError 2, Error 1, TypeError 46, TypeError+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED 1, ValueError 26, ValueError+E_DEPRECATED 3, ok 10
SendMail::allowInsecureAuth: ArgumentCountError 1, Error 1, TypeError 6, ok 12
SendMail::setLogger: ArgumentCountError 1, Error 1, TypeError 15, ok 3
SendMail::setKeepAlive: ArgumentCountError 2, Error 1, TypeError 6, ok 11, ok+E_DEPRECATED 1
SendMail::setPersistent: ArgumentCountError 2, Error 1, TypeError 6, ok 11, ok+E_DEPRECATED 1
SendMail::setRateLimit: ArgumentCountError 2, Error 1, TypeError 11, ValueError 3, ok 3, ok+E_DEPRECATED 1
SendMail::setMaxPerConnection: ArgumentCountError 2, Error 1, TypeError 12, ValueError 2, ok 2, ok+E_DEPRECATED 2
SendMail::setIdleCheck: ArgumentCountError 2, Error 1, TypeError 11, ValueError 3, ok 3, ok+E_DEPRECATED 1
SendMail::setRelayMode: ArgumentCountError 2, Error 1, TypeError 5, ValueError 11, ValueError+E_DEPRECATED 1, ok 1
SendMail::getTranscript: ArgumentCountError 1, Error 1, ok 1
SendMail::close: ArgumentCountError 1, Error 1, ok 1
SendMail::__construct: ArgumentCountError 1, Error 1, TypeError 22, ValueError 6, ok 37, ok+E_DEPRECATED 3, ok+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED 1
send_mail::send: ArgumentCountError 2, Error 1, TypeError 25, false(connect) 24, false(connect)+E_DEPRECATED 2, false(input) 32, false(input)+E_DEPRECATED 2, false(input)+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED 1
send_mail::sendMessage: ArgumentCountError 2, Error 1, SendMail\ConnectException 1, TypeError 17
send_mail::sendRaw: ArgumentCountError 2, Error 1, SendMail\ConnectException 3, SendMail\InvalidInputException 44, SendMail\InvalidInputException+E_DEPRECATED 3, SendMail\InvalidInputException+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED 1, TypeError 18
send_mail::probe: ArgumentCountError 1, Error 1, SendMail\ConnectException 1
send_mail::sendBatch: ArgumentCountError 2, Error 1, TypeError 44, ValueError 17, ValueError+E_DEPRECATED 1, ok 6, ok+E_DEPRECATED 1
send_mail::do_command: ArgumentCountError 2, Error 1, TypeError 15, false(connect) 32, false(connect)+E_DEPRECATED 4, false(connect)+E_DEPRECATED+E_DEPRECATED 1
send_mail::show_debug: ArgumentCountError 2, Error 1, TypeError 15, ok 34, ok+E_DEPRECATED 2, ok+E_DEPRECATED+E_DEPRECATED 1
send_mail::setTimeout: ArgumentCountError 2, Error 1, TypeError 11, ValueError 3, ValueError+E_DEPRECATED 1, ok 3
send_mail::setTls: ArgumentCountError 2, Error 1, TypeError 5, ValueError 11, ValueError+E_DEPRECATED 1, ok 1
send_mail::setCaFile: ArgumentCountError 2, Error 1, TypeError 5, ValueError 11, ValueError+E_DEPRECATED 1, ok 1
send_mail::setVerifyPeer: ArgumentCountError 2, Error 1, TypeError 6, ok 11, ok+E_DEPRECATED 1
send_mail::setClientCertificate: ArgumentCountError 2, Error 1, TypeError 15, ValueError 33, ValueError+E_DEPRECATED 2, ValueError+E_DEPRECATED+E_DEPRECATED 1, ok 1
send_mail::setPinnedPublicKey: ArgumentCountError 2, Error 1, TypeError 5, ValueError 11, ValueError+E_DEPRECATED 1, ok 1
send_mail::setSourceAddress: ArgumentCountError 2, Error 1, TypeError 5, ValueError 11, ValueError+E_DEPRECATED 1, ok 1
send_mail::setAuth: ArgumentCountError 2, Error 1, TypeError 19, ValueError 20, ok 27, ok+E_DEPRECATED 2, ok+E_DEPRECATED+E_DEPRECATED 1
send_mail::setDkim: ArgumentCountError 2, Error 1, TypeError 46, TypeError+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED 1, ValueError 26, ValueError+E_DEPRECATED 3, ok 10
send_mail::allowInsecureAuth: ArgumentCountError 1, Error 1, TypeError 6, ok 12
send_mail::setLogger: ArgumentCountError 1, Error 1, TypeError 15, ok 3
send_mail::setKeepAlive: ArgumentCountError 2, Error 1, TypeError 6, ok 11, ok+E_DEPRECATED 1
send_mail::setPersistent: ArgumentCountError 2, Error 1, TypeError 6, ok 11, ok+E_DEPRECATED 1
send_mail::setRateLimit: ArgumentCountError 2, Error 1, TypeError 11, ValueError 3, ok 3, ok+E_DEPRECATED 1
send_mail::setMaxPerConnection: ArgumentCountError 2, Error 1, TypeError 12, ValueError 2, ok 2, ok+E_DEPRECATED 2
send_mail::setIdleCheck: ArgumentCountError 2, Error 1, TypeError 11, ValueError 3, ok 3, ok+E_DEPRECATED 1
send_mail::setRelayMode: ArgumentCountError 2, Error 1, TypeError 5, ValueError 11, ValueError+E_DEPRECATED 1, ok 1
send_mail::getTranscript: ArgumentCountError 1, Error 1, ok 1
send_mail::close: ArgumentCountError 1, Error 1, ok 1
send_mail::__construct: ArgumentCountError 1, Error 1, TypeError 22, ValueError 6, ok 37, ok+E_DEPRECATED 3, ok+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED 1
SendMail\Compat\Smtp::sendmail: ArgumentCountError 2, Error 1, TypeError 55, false(connect) 52, false(connect)+E_DEPRECATED 6, false(input) 72, false(input)+E_DEPRECATED 2, false(input)+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED 1
SendMail\Compat\Smtp::smtp_putcmd: ArgumentCountError 2, Error 1, TypeError 5, false(connect) 12, false(connect)+E_DEPRECATED 1
SendMail\Compat\Smtp::getTranscript: ArgumentCountError 1, Error 1, ok 1
SendMail\Compat\Smtp::setTimeout: ArgumentCountError 2, Error 1, TypeError 11, ValueError 3, ValueError+E_DEPRECATED 1, ok 3
SendMail\Compat\Smtp::__construct: ArgumentCountError 1, Error 1, TypeError 44, ok 51, ok+E_DEPRECATED 7, ok+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED 1
SendMail\Message::from: ArgumentCountError 2, Error 1, SendMail\InvalidInputException 23, SendMail\InvalidInputException+E_DEPRECATED 2, TypeError 15, ok 12
SendMail\Message::sender: ArgumentCountError 2, Error 1, SendMail\InvalidInputException 23, SendMail\InvalidInputException+E_DEPRECATED 2, TypeError 15, ok 12
SendMail\Message::returnPath: ArgumentCountError 2, Error 1, SendMail\InvalidInputException 10, SendMail\InvalidInputException+E_DEPRECATED 1, TypeError 5, ok 2
SendMail\Message::to: ArgumentCountError 2, Error 1, SendMail\InvalidInputException 23, SendMail\InvalidInputException+E_DEPRECATED 2, TypeError 15, ok 12
SendMail\Message::cc: ArgumentCountError 2, Error 1, SendMail\InvalidInputException 23, SendMail\InvalidInputException+E_DEPRECATED 2, TypeError 15, ok 12
SendMail\Message::bcc: ArgumentCountError 2, Error 1, SendMail\InvalidInputException 23, SendMail\InvalidInputException+E_DEPRECATED 2, TypeError 15, ok 12
SendMail\Message::replyTo: ArgumentCountError 2, Error 1, SendMail\InvalidInputException 23, SendMail\InvalidInputException+E_DEPRECATED 2, TypeError 15, ok 12
SendMail\Message::subject: ArgumentCountError 2, Error 1, SendMail\InvalidInputException 3, TypeError 5, ok 9, ok+E_DEPRECATED 1
SendMail\Message::text: ArgumentCountError 2, Error 1, SendMail\InvalidInputException 1, TypeError 5, ok 11, ok+E_DEPRECATED 1
SendMail\Message::html: ArgumentCountError 2, Error 1, SendMail\InvalidInputException 1, TypeError 5, ok 11, ok+E_DEPRECATED 1
SendMail\Message::attach: ArgumentCountError 2, Error 1, SendMail\InvalidInputException 37, SendMail\InvalidInputException+E_DEPRECATED 2, TypeError 20, ok 10
SendMail\Message::attachData: ArgumentCountError 2, Error 1, SendMail\InvalidInputException 26, SendMail\InvalidInputException+E_DEPRECATED 1, SendMail\InvalidInputException+E_DEPRECATED+E_DEPRECATED 1, TypeError 20, ok 20, ok+E_DEPRECATED 1
SendMail\Message::embed: ArgumentCountError 2, Error 1, SendMail\InvalidInputException 38, SendMail\InvalidInputException+E_DEPRECATED 2, SendMail\InvalidInputException+E_DEPRECATED+E_DEPRECATED 1, TypeError 20, ok 8
SendMail\Message::header: ArgumentCountError 2, Error 1, SendMail\InvalidInputException 13, SendMail\InvalidInputException+E_DEPRECATED 1, SendMail\InvalidInputException+E_DEPRECATED+E_DEPRECATED 1, TypeError 15, ok 21, ok+E_DEPRECATED 1
SendMail\Message::dsn: ArgumentCountError 2, Error 1, SendMail\InvalidInputException 1, TypeError 15, ok 2
SendMail\Message::__serialize: ArgumentCountError 1, Error 1, ok 1
SendMail\Message::__unserialize: ArgumentCountError 2, Error 1, SendMail\InvalidInputException 2, TypeError 15, ok 1
SendMail\Message::toString: ArgumentCountError 1, Error 1, ok 1
SendMail\Message::__construct: ArgumentCountError 1, Error 1, ok 1
SendMail\Receipt::__construct: Error 1, Exception 2
SendMail\Exception::getSmtpCode: ArgumentCountError 1, Error 1, ok 1
SendMail\Exception::getEnhancedCode: ArgumentCountError 1, Error 1, ok 1
SendMail\Exception::getStage: ArgumentCountError 1, Error 1, ok 1
SendMail\Exception::getReply: ArgumentCountError 1, Error 1, ok 1
SendMail\Exception::isTemporary: ArgumentCountError 1, Error 1, false 1
SendMail\Exception::__construct: ArgumentCountError 1, Error 1, TypeError 63, TypeError+E_DEPRECATED 1, ok 50, ok+E_DEPRECATED 5, ok+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED 1
SendMail\ConnectException::getSmtpCode: ArgumentCountError 1, Error 1, ok 1
SendMail\ConnectException::getEnhancedCode: ArgumentCountError 1, Error 1, ok 1
SendMail\ConnectException::getStage: ArgumentCountError 1, Error 1, ok 1
SendMail\ConnectException::getReply: ArgumentCountError 1, Error 1, ok 1
SendMail\ConnectException::isTemporary: ArgumentCountError 1, Error 1, false 1
SendMail\ConnectException::__construct: ArgumentCountError 1, Error 1, TypeError 63, TypeError+E_DEPRECATED 1, ok 50, ok+E_DEPRECATED 5, ok+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED 1
SendMail\TlsException::getSmtpCode: ArgumentCountError 1, Error 1, ok 1
SendMail\TlsException::getEnhancedCode: ArgumentCountError 1, Error 1, ok 1
SendMail\TlsException::getStage: ArgumentCountError 1, Error 1, ok 1
SendMail\TlsException::getReply: ArgumentCountError 1, Error 1, ok 1
SendMail\TlsException::isTemporary: ArgumentCountError 1, Error 1, false 1
SendMail\TlsException::__construct: ArgumentCountError 1, Error 1, TypeError 63, TypeError+E_DEPRECATED 1, ok 50, ok+E_DEPRECATED 5, ok+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED 1
SendMail\AuthException::getSmtpCode: ArgumentCountError 1, Error 1, ok 1
SendMail\AuthException::getEnhancedCode: ArgumentCountError 1, Error 1, ok 1
SendMail\AuthException::getStage: ArgumentCountError 1, Error 1, ok 1
SendMail\AuthException::getReply: ArgumentCountError 1, Error 1, ok 1
SendMail\AuthException::isTemporary: ArgumentCountError 1, Error 1, false 1
SendMail\AuthException::__construct: ArgumentCountError 1, Error 1, TypeError 63, TypeError+E_DEPRECATED 1, ok 50, ok+E_DEPRECATED 5, ok+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED 1
SendMail\RecipientException::getRejected: ArgumentCountError 1, Error 1, ok 1
SendMail\RecipientException::getSmtpCode: ArgumentCountError 1, Error 1, ok 1
SendMail\RecipientException::getEnhancedCode: ArgumentCountError 1, Error 1, ok 1
SendMail\RecipientException::getStage: ArgumentCountError 1, Error 1, ok 1
SendMail\RecipientException::getReply: ArgumentCountError 1, Error 1, ok 1
SendMail\RecipientException::isTemporary: ArgumentCountError 1, Error 1, false 1
SendMail\RecipientException::__construct: ArgumentCountError 1, Error 1, TypeError 78, TypeError+E_DEPRECATED 1, ok 52, ok+E_DEPRECATED 5, ok+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED 1
SendMail\ProtocolException::getSmtpCode: ArgumentCountError 1, Error 1, ok 1
SendMail\ProtocolException::getEnhancedCode: ArgumentCountError 1, Error 1, ok 1
SendMail\ProtocolException::getStage: ArgumentCountError 1, Error 1, ok 1
SendMail\ProtocolException::getReply: ArgumentCountError 1, Error 1, ok 1
SendMail\ProtocolException::isTemporary: ArgumentCountError 1, Error 1, false 1
SendMail\ProtocolException::__construct: ArgumentCountError 1, Error 1, TypeError 63, TypeError+E_DEPRECATED 1, ok 50, ok+E_DEPRECATED 5, ok+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED 1
SendMail\TimeoutException::getSmtpCode: ArgumentCountError 1, Error 1, ok 1
SendMail\TimeoutException::getEnhancedCode: ArgumentCountError 1, Error 1, ok 1
SendMail\TimeoutException::getStage: ArgumentCountError 1, Error 1, ok 1
SendMail\TimeoutException::getReply: ArgumentCountError 1, Error 1, ok 1
SendMail\TimeoutException::isTemporary: ArgumentCountError 1, Error 1, ok 1
SendMail\TimeoutException::__construct: ArgumentCountError 1, Error 1, TypeError 63, TypeError+E_DEPRECATED 1, ok 50, ok+E_DEPRECATED 5, ok+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED 1
SendMail\InvalidInputException::getSmtpCode: ArgumentCountError 1, Error 1, ok 1
SendMail\InvalidInputException::getEnhancedCode: ArgumentCountError 1, Error 1, ok 1
SendMail\InvalidInputException::getStage: ArgumentCountError 1, Error 1, ok 1
SendMail\InvalidInputException::getReply: ArgumentCountError 1, Error 1, ok 1
SendMail\InvalidInputException::isTemporary: ArgumentCountError 1, Error 1, false 1
SendMail\InvalidInputException::__construct: ArgumentCountError 1, Error 1, TypeError 63, TypeError+E_DEPRECATED 1, ok 50, ok+E_DEPRECATED 5, ok+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED 1
SendMail\mail: ArgumentCountError 2, Error 1, TypeError 30, false(connect)+E_WARNING 34, false(input)+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED+E_DEPRECATED+E_WARNING 1, false(input)+E_DEPRECATED+E_WARNING 5, false(input)+E_WARNING 33
SendMail property: false(connect) 74, false(input) 17
SendMail\Compat\Smtp property: false(connect) 142, false(input) 17
sendBatch legacy array field: RuntimeException 4, ok 48
sendBatch item: ok 13
mail() header value: false(connect)+E_WARNING 2, false(input)+E_WARNING 11
mail() header list: false(connect)+E_WARNING 2, false(input)+E_WARNING 11
RecipientException rejected: TypeError 10, ok 3
mail() header name: false(connect)+E_WARNING 2, false(input)+E_WARNING 2
sendBatch iterable: RuntimeException 1, TypeError 1, ok 5, ok+E_DEPRECATED 1
callbacks: ArgumentCountError 1, RuntimeException 3, TypeError 1, false 3, ok 2
SendMail (newInstanceWithoutConstructor): Exception 1, SendMail\ConnectException 3, false 2, ok 21
SendMail subclass without parent::__construct: Exception 1, SendMail\ConnectException 3, false 2, ok 21
Smtp (newInstanceWithoutConstructor): Exception 1, false 2, ok 2
Smtp subclass without parent::__construct: Exception 1, false 2, ok 2
Message (newInstanceWithoutConstructor): ok 19
Message subclass without parent::__construct: ok 19
RecipientException (newInstanceWithoutConstructor): Error 1, Exception 6
RecipientException subclass without parent::__construct: Error 1, Exception 6
unserialize: Exception 4, SendMail\InvalidInputException 1
clone: false 1
Receipt property write: Error 4, Exception 52
Receipt: Exception 2
unexpected: none