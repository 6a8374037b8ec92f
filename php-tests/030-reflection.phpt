--TEST--
Reflection (php --re sendmail): version, classes, functions, ini entries, typed signatures, #[\SensitiveParameter]
--EXTENSIONS--
sendmail
--FILE--
<?php
// The stub file is compared with the same Reflection data by tests/check-stubs.php (make test-stubs).
$ext = new ReflectionExtension('sendmail');

echo "-- version\n";
var_dump((bool) preg_match('/^\d+\.\d+\.\d+/', $ext->getVersion()), $ext->getVersion() === phpversion('sendmail'));

echo "-- classes\n";
// getClassNames() lists the global aliases (sendmail.aliases) too, under the alias name.
$classes = $aliases = [];
foreach ($ext->getClassNames() as $name) {
    $class = (new ReflectionClass($name))->name;
    if (strcasecmp($class, $name) === 0) {
        $classes[] = $class;
    } else {
        $aliases[] = "$name -> $class";
    }
}
sort($classes);
sort($aliases);
echo implode("\n", $classes), "\n";
echo 'aliases: ', implode(', ', $aliases) ?: 'none', "\n";
// The legacy names (sendmail.aliases) are bound when first looked up, not at startup.
var_dump(class_exists('send_mail', false), class_exists('send_mail'), (new ReflectionClass('send_mail'))->name);

echo "-- functions\n";
$functions = array_keys($ext->getFunctions());
sort($functions);
echo implode("\n", $functions) ?: '(none)', "\n";

echo "-- ini entries\n";
$ini = array_keys($ext->getINIEntries());
foreach (['sendmail.aliases', 'sendmail.cafile'] as $name) {
    echo $name, ': ', in_array($name, $ini, true) ? 'yes' : 'MISSING', "\n";
}
echo 'not under sendmail.: ', implode(', ', array_filter($ini, fn ($n) => !str_starts_with($n, 'sendmail.'))) ?: 'none', "\n";

// Every method the extension declares (inherited PHP Exception methods excluded) and every
// function: a return type (a tentative one counts; constructors have none) and typed parameters.
$callables = [];
foreach ($classes as $class) {
    foreach ((new ReflectionClass($class))->getMethods(ReflectionMethod::IS_PUBLIC) as $method) {
        if ($method->getExtensionName() === 'sendmail') {
            $callables["$class::{$method->name}()"] = $method;
        }
    }
}
foreach ($ext->getFunctions() as $name => $function) {
    $callables["$name()"] = $function;
}
echo "-- signatures\n";
var_dump(count($callables) > 50);
$untyped = [];
foreach ($callables as $name => $f) {
    $constructor = $f instanceof ReflectionMethod && $f->isConstructor();
    if (!$constructor && !$f->hasReturnType() && !$f->hasTentativeReturnType()) {
        $untyped[] = "$name: no return type";
    }
    foreach ($f->getParameters() as $p) {
        if (!$p->hasType()) {
            $untyped[] = "$name: \${$p->name} has no type";
        }
    }
}
echo 'untyped: ', implode("\n  ", $untyped) ?: 'none', "\n";

echo "-- sensitive parameters\n";
$sensitive = fn (ReflectionParameter $p) => count($p->getAttributes(SensitiveParameter::class)) === 1;
var_dump(
    $sensitive(new ReflectionParameter(['SendMail', 'setAuth'], 'password')),
    $sensitive(new ReflectionParameter(['SendMail\Compat\Smtp', '__construct'], 'pass')),
);
// Any parameter whose name says it holds a secret must keep it out of stack traces.
$exposed = [];
foreach ($callables as $name => $f) {
    foreach ($f->getParameters() as $p) {
        if (preg_match('/pass|secret|token/i', $p->name) && !$sensitive($p)) {
            $exposed[] = "$name: \${$p->name}";
        }
    }
}
echo 'secret-like parameters without #[\SensitiveParameter]: ', implode(', ', $exposed) ?: 'none', "\n";
?>
--EXPECT--
-- version
bool(true)
bool(true)
-- classes
SendMail
SendMail\AuthException
SendMail\Compat\Smtp
SendMail\ConnectException
SendMail\Exception
SendMail\InvalidInputException
SendMail\Message
SendMail\ProtocolException
SendMail\Receipt
SendMail\RecipientException
SendMail\TimeoutException
SendMail\TlsException
aliases: none
bool(false)
bool(true)
string(8) "SendMail"
-- functions
SendMail\mail
-- ini entries
sendmail.aliases: yes
sendmail.cafile: yes
not under sendmail.: none
-- signatures
bool(true)
untyped: none
-- sensitive parameters
bool(true)
bool(true)
secret-like parameters without #[\SensitiveParameter]: none
