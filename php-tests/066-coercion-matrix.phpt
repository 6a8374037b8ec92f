--TEST--
PHP's parameter rules on every public parameter, in coercive and strict mode, compared with what PHP's own functions do with the same values
--EXTENSIONS--
sendmail
--INI--
sendmail.host=127.0.0.1:1
sendmail.timeout=1
sendmail.from=me@example.test
default_socket_timeout=1
error_reporting=E_ALL
--FILE--
<?php
// For every parameter of every public method and function of the extension whose type is a
// scalar, a union of scalars, array or a class: each value below is passed (the other
// arguments valid) from a file without strict_types and from one with it. The outcome, a
// TypeError (its message) or acceptance (with the deprecations PHP raised on the way), must be
// what a PHP function with a parameter of the same declared type gives for the same value.
// Messages are compared without the function and parameter names. Where a parameter's value
// can be read back (a property or getter), the value the method got must also be the one
// PHP's function got.
require __DIR__ . '/inc/servers.inc';
require __DIR__ . '/inc/arguments.inc';
require __DIR__ . '/inc/coerce-weak.inc';
require __DIR__ . '/inc/coerce-strict.inc';
const NO_SUCH_FILE = '/nonexistent/sendmail-066';
$GLOBALS['attachmentFile'] = tempnam(sys_get_temp_dir(), 'sendmail-066-');
file_put_contents($GLOBALS['attachmentFile'], "attachment\n");

final class Str
{
    public function __construct(private string $s) {}
    public function __toString(): string { return $this->s; }
}
$fp = fopen('php://memory', 'r');
$VALUES = [
    'null' => null, 'true' => true, 'false' => false, '0' => 0, '25' => 25, '-1' => -1,
    'PHP_INT_MAX' => PHP_INT_MAX, '2.5' => 2.5, '25.0' => 25.0, 'NAN' => NAN, 'INF' => INF,
    '"25"' => "25", '" 25"' => " 25", '"25 "' => "25 ", '"2.5"' => "2.5", '"1e3"' => "1e3",
    '"abc"' => "abc", '""' => "", '"0"' => "0", '"99999999999999999999"' => "99999999999999999999",
    '[]' => [], '[a=>b]' => ['x@example.test' => '550 no'], 'stdClass' => new stdClass, 'Stringable' => new Str('s@example.test'),
    'resource' => $fp, 'closure' => fn () => 1, 'Exception' => new Exception('x'),
];

// The reference function of each declared type (the parameter named there has that type).
$REFERENCES = [
    'string' => ['str_repeat', 0], '?string' => ['str_word_count', 2], 'int' => ['intdiv', 0],
    'float' => ['fdiv', 0], 'bool' => ['var_export', 1], '?bool' => ['json_decode', 1],
    'string|int' => ['chown', 1], '?Throwable' => [['Exception', '__construct'], 2],
    '?array' => ['stream_context_create', 0], 'array' => ['array_keys', 0], 'array|string' => ['preg_replace', 2],
    'Closure|string' => [['ReflectionFunction', '__construct'], 0],
];
foreach ($REFERENCES as $type => [$fn, $i]) {
    $r = is_array($fn) ? new ReflectionMethod(...$fn) : new ReflectionFunction($fn);
    $got = (string) $r->getParameters()[$i]->getType();
    if ($got !== $type && !($type === 'string|int' && $got === 'string|int')) {
        echo "reference for $type has type $got\n";
    }
}

/** A call's outcome: "TypeError: <message>" or "ok" plus the deprecations, names left out. */
function outcome(callable $call, ?string &$value = null): string
{
    $deprecations = [];
    set_error_handler(function (int $no, string $str) use (&$deprecations) {
        if ($no === E_DEPRECATED) {
            $deprecations[] = $str;
        }
        return true;
    });
    ob_start();
    try {
        $result = $call();
        $value = $result;
        $out = 'ok';
    } catch (TypeError $e) {
        $out = 'TypeError: ' . $e->getMessage();
    } catch (ValueError | SendMail\Exception | JsonException | ReflectionException $e) {
        $out = 'ok';   // the arguments were taken; the function refused the value itself
    } catch (Throwable $e) {
        $out = get_class($e) . ': ' . $e->getMessage();
    } finally {
        ob_end_clean();
        restore_error_handler();
    }
    foreach ($deprecations as $d) {
        $out .= " +deprecated: $d";
    }
    return normalise($out);
}

function normalise(string $s): string
{
    $s = preg_replace('/[\w\\\\]+(::\w+)?\(\): Argument #\d+ \(\$\w+\)/', 'Argument', $s);
    $s = preg_replace('/[\w\\\\]+(::\w+)?\(\): Passing null to parameter #\d+ \(\$\w+\)/', 'Passing null to parameter', $s);
    // A class-typed parameter names its own class.
    return preg_replace('/must be of type (\??)(SendMail\\\\Message|DateTimeInterface)/', 'must be of type $1CLASS', $s);
}

// Parameters whose value reads back, and how.
// Under valgrind (run-tests -m sets USE_ZEND_ALLOC=0) a smaller set of values, one of each
// kind: the full matrix runs in the ordinary pass, and the rules are the same.
if (getenv('USE_ZEND_ALLOC') === '0') {
    $VALUES = array_intersect_key($VALUES, array_flip(['null', 'true', '25', '2.5', '"25"', '"abc"', '[]', 'Stringable', 'Exception']));
}

$READBACK = [
    // ($welcome is not: an empty one means this machine's host name.)
    'SendMail::__construct' => ['debug' => fn ($o) => $o->debug],
    'SendMail\Compat\Smtp::__construct' => [
        'relay_host' => fn ($o) => $o->relay_host, 'smtp_port' => fn ($o) => $o->smtp_port,
        'user' => fn ($o) => $o->user, 'pass' => fn ($o) => $o->pass,
    ],
    'SendMail\Exception::__construct' => [
        'message' => fn ($o) => $o->getMessage(), 'code' => fn ($o) => $o->getCode(),
        'stage' => fn ($o) => $o->getStage(), 'reply' => fn ($o) => $o->getReply(),
        'enhancedCode' => fn ($o) => $o->getEnhancedCode(),
    ],
];

$classes = ['SendMail', 'SendMail\Compat\Smtp', 'SendMail\Message', 'SendMail\Receipt', 'SendMail\Exception',
    'SendMail\ConnectException', 'SendMail\TlsException', 'SendMail\AuthException', 'SendMail\RecipientException',
    'SendMail\ProtocolException', 'SendMail\TimeoutException', 'SendMail\InvalidInputException'];
$targets = [];
foreach ($classes as $class) {
    foreach ((new ReflectionClass($class))->getMethods(ReflectionMethod::IS_PUBLIC) as $m) {
        if ($m->getDeclaringClass()->getExtensionName() === 'sendmail') {
            $targets[] = [$class, $m];
        }
    }
}
$targets[] = [null, new ReflectionFunction('SendMail\mail')];

$checked = $calls = 0;
$skipped = $mismatches = [];
foreach ($targets as [$class, $r]) {
    $name = $r->getName();
    $key = $class === null ? $name : "$class::$name";
    $params = $r->getParameters();
    $base = array_map(fn ($p) => valid($key, $p->getName()), $params);
    foreach ($params as $i => $p) {
        $type = (string) $p->getType();
        $ref = $type === 'SendMail\Message' ? 'object' : $type;
        if (!isset($REFERENCES[$ref]) && $ref !== 'object' && $type !== 'string|bool') {
            $skipped[$type] = true;   // iterable, mixed: the method checks those itself (051)
            continue;
        }
        $checked++;
        foreach ($VALUES as $label => $v) {
            foreach (['weak', 'strict'] as $mode) {
                $args = $base;
                $args[$i] = $v;
                $invoke = "coerce_invoke_$mode";
                $reference = "coerce_reference_$mode";
                $object = null;
                $ours = outcome(function () use ($invoke, $class, $name, $args, &$object) {
                    $result = $invoke($class, $name, $args);
                    $object = $result;
                    return null;
                });
                $calls++;
                if ($type === 'string|bool') {
                    // bool|string: a bool is taken as it is, anything else as a string would be.
                    $expected = is_bool($v) ? 'ok' : str_replace('of type string', 'of type string|bool', outcome(fn () => $reference('string', $v)));
                } else {
                    $expected = outcome(fn () => $reference($ref, $v));
                }
                if ($ours !== $expected) {
                    $mismatches[] = "$key \${$p->getName()} ($type) = $label [$mode]: ours: $ours | PHP: $expected";
                    continue;
                }
                $read = $READBACK[$key][$p->getName()] ?? null;
                if ($read !== null && $ours !== 'ok' && !str_starts_with($ours, 'ok ')) {
                    continue;
                }
                if ($read !== null && is_object($object)) {
                    $want = match ($type) {
                        'string', '?string' => $v === null ? ($type === '?string' ? null : '') : str_repeat((string) $v, 1),
                        'int' => @intdiv($v ?? 0, 1), 'bool' => (bool) $v, default => null,
                    };
                    $gotValue = $read($object);
                    if ($type === 'int' && $key === 'SendMail\Compat\Smtp::__construct' && $want <= 0) {
                        $want = 25;   // no port means the default port
                    }
                    if ($gotValue !== $want) {
                        $mismatches[] = "$key \${$p->getName()} = $label [$mode]: read back " . var_export($gotValue, true) . ", PHP gives " . var_export($want, true);
                    }
                }
            }
        }
    }
}
echo "parameters checked: ", $checked > 100 ? "over 100" : $checked, "\n";
echo "left to the methods: ", implode(', ', array_keys($skipped)), "\n";
echo "mismatches: ", count($mismatches), "\n", implode("\n", $mismatches), "\n";
// A few outcomes spelled out, as a reader would check them by hand.
$m = coerce_invoke_weak('SendMail', '__construct', ["127.0.0.1:1", 25, 1]);
var_dump($m->welcome, $m->debug);
$s = coerce_invoke_weak('SendMail\Compat\Smtp', '__construct', ["127.0.0.1", "2525", "1", 42, 1234]);
var_dump($s->smtp_port, $s->auth, $s->user, $s->pass);
echo outcome(fn () => coerce_invoke_strict('SendMail\Compat\Smtp', '__construct', ["127.0.0.1", "2525"])), "\n";
echo outcome(fn () => coerce_invoke_weak('SendMail', 'setTimeout', [[]])), "\n";
echo outcome(fn () => coerce_invoke_weak('SendMail\Message', 'subject', [null])), "\n";
unlink($GLOBALS['attachmentFile']);
?>
--EXPECT--
parameters checked: over 100
left to the methods: iterable, mixed
mismatches: 0

string(2) "25"
bool(true)
int(2525)
bool(true)
string(2) "42"
string(4) "1234"
TypeError: Argument must be of type int, string given
TypeError: Argument must be of type float, array given
ok +deprecated: Passing null to parameter of type string is deprecated
