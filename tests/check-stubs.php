<?php
/**
 * Checks stubs/sendmail.stub.php against the built extension.
 *
 *   php tests/check-stubs.php --so=target/release/libsendmail.so [--stub=stubs/sendmail.stub.php] [--json]
 *
 * The stub declares the same class names as the extension, so the two sides are described in two
 * child processes of this script, both started with `php -n` (no ini file: an installed copy of the
 * extension is not loaded, and the ini defaults apply, e.g. sendmail.aliases = send_mail):
 *   --dump=ext   loads the .so (`-d extension=<absolute path>`) and describes it by Reflection;
 *   --dump=stub  requires the stub file, without the extension, and describes that.
 * Each prints a normalised JSON description; this process compares the two, prints every
 * difference (`--json` also prints both descriptions) and exits 1 on any, 2 when a side cannot
 * be described. The extension is the truth for signatures: fix the stub, not this script.
 *
 * Scope: every class and function whose name starts with "SendMail" (case-insensitive), every
 * class and function of the extension (ReflectionExtension) and everything the stub declares,
 * plus the class aliases named by the stub's class_alias() calls and `send_mail`.
 *
 * Normalised so that only real differences show: a tentative return type counts as the return
 * type; parameter defaults compare as values (var_export(), so the stub's "" and the extension's
 * '' agree); union members are sorted; inherited methods count (ext-php-rs re-declares them on
 * each exception subclass); ext-php-rs's throwing default constructor equals a private one in
 * the stub (describe_class()); ext-php-rs's untyped properties: see compare_class().
 * Needs PHP 8.1 or later (tentative return types, readonly, enums).
 */

const SCOPE_PREFIX = 'sendmail';
/** Always checked as an alias, even if the stub lost its class_alias() call. */
const KNOWN_ALIASES = ['send_mail'];
/** The exception ext-php-rs's default constructor throws for classes PHP cannot instantiate. */
const NOT_INSTANTIABLE_MESSAGE = 'You cannot instantiate this class from PHP.';
/** sendmail.host for the extension side (TEST-NET-1, RFC 5737): objects are built, never sent. */
const PLACEHOLDER_HOST = '192.0.2.1';

exit(main($argv));

function main(array $argv): int
{
    $opts = ['so' => null, 'stub' => null, 'dump' => null, 'json' => false];
    foreach (array_slice($argv, 1) as $arg) {
        if (preg_match('/^--(so|stub|dump)=(.*)$/s', $arg, $m)) {
            $opts[$m[1]] = $m[2];
        } elseif ($arg === '--json') {
            $opts['json'] = true;
        } elseif ($arg === '-h' || $arg === '--help') {
            fwrite(STDOUT, "usage: php tests/check-stubs.php --so=PATH/libsendmail.so [--stub=PATH] [--json]\n");
            return 0;
        } else {
            fwrite(STDERR, "check-stubs: unknown argument $arg\n");
            return 2;
        }
    }
    $root = dirname(__DIR__);
    $stub = $opts['stub'] ?? "$root/stubs/sendmail.stub.php";
    if (!is_file($stub)) {
        fwrite(STDERR, "check-stubs: stub file $stub not found\n");
        return 2;
    }
    $stub = realpath($stub);

    if ($opts['dump'] === 'ext' || $opts['dump'] === 'stub') {
        try {
            $description = $opts['dump'] === 'ext' ? describe_extension($stub) : describe_stub($stub);
        } catch (Throwable $e) {
            fwrite(STDERR, "check-stubs --dump={$opts['dump']}: $e\n");
            return 2;
        }
        echo json_encode($description, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR), "\n";
        return 0;
    }
    if ($opts['dump'] !== null) {
        fwrite(STDERR, "check-stubs: --dump takes ext or stub\n");
        return 2;
    }

    $so = $opts['so'] ?? "$root/target/release/libsendmail.so";
    if (!is_file($so)) {
        fwrite(STDERR, "check-stubs: $so not found (run 'make build')\n");
        return 2;
    }
    $so = realpath($so);
    $self = __FILE__;
    // display_errors=stderr keeps any warning out of the JSON on stdout.
    $base = [PHP_BINARY, '-n', '-d', 'display_errors=stderr', '-d', 'error_reporting=-1'];
    $ext = run_child([...$base, '-d', "extension=$so", '-d', 'sendmail.host=' . PLACEHOLDER_HOST,
        $self, '--dump=ext', "--stub=$stub"], 'extension');
    $stubSide = run_child([...$base, $self, '--dump=stub', "--stub=$stub"], 'stub');
    if ($ext === null || $stubSide === null) {
        return 2;
    }
    if ($opts['json']) {
        echo "== extension\n", json_encode($ext, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\n";
        echo "== stub\n", json_encode($stubSide, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\n";
    }

    $notes = [];
    $diffs = compare($ext, $stubSide, $notes);
    $where = "extension " . short_path($so, $root) . " vs stub " . short_path($stub, $root);
    foreach ($notes as $class => $properties) {
        echo "check-stubs: not compared (untyped in the extension): $class ", implode(', ', $properties), "\n";
    }
    if ($diffs) {
        echo "check-stubs: ", count($diffs), " difference(s), $where\n";
        echo "  (\"-\" the extension, \"+\" the stub; the extension is right, fix the stub)\n";
        foreach ($diffs as $diff) {
            echo $diff, "\n";
        }
        return 1;
    }
    printf("check-stubs: the stub matches the extension (classes %d, functions %d, aliases %d), %s\n",
        count($ext['classes']), count($ext['functions']), count($ext['aliases']), $where);
    return 0;
}

/** Runs one describing child; its decoded JSON, or null (with the reason on stderr). */
function run_child(array $command, string $side): ?array
{
    $process = proc_open($command, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => STDERR], $pipes);
    if (!is_resource($process)) {
        fwrite(STDERR, "check-stubs: cannot start the $side process\n");
        return null;
    }
    $out = stream_get_contents($pipes[1]);
    fclose($pipes[1]);
    $status = proc_close($process);
    $data = json_decode($out, true);
    if ($status !== 0 || !is_array($data)) {
        fwrite(STDERR, "check-stubs: describing the $side failed (exit $status): "
            . implode(' ', array_map('escapeshellarg', $command)) . "\n");
        if ($status === 0) {
            fwrite(STDERR, substr($out, 0, 2000) . "\n");
        }
        return null;
    }
    return $data;
}

function short_path(string $path, string $root): string
{
    return str_starts_with($path, "$root/") ? substr($path, strlen($root) + 1) : $path;
}

// ---------------------------------------------------------------------------------------------
// Describing one side

function describe_extension(string $stub): array
{
    if (!extension_loaded('sendmail')) {
        throw new RuntimeException('the sendmail extension is not loaded');
    }
    $module = new ReflectionExtension('sendmail');
    $classes = array_merge($module->getClassNames(), in_scope(get_declared_classes()));
    $functions = array_merge(array_keys($module->getFunctions()), in_scope(get_defined_functions()['internal']));
    $constants = array_merge(array_keys($module->getConstants()), in_scope(array_keys(get_defined_constants())));
    return describe_all($classes, $functions, $constants, alias_names($stub), true);
}

function describe_stub(string $stub): array
{
    if (extension_loaded('sendmail')) {
        throw new RuntimeException('the sendmail extension is loaded: the stub cannot be required here');
    }
    $classes = get_declared_classes();
    $functions = get_defined_functions()['user'];
    $constants = array_keys(get_defined_constants());
    require $stub;
    $classes = array_merge(array_diff(get_declared_classes(), $classes), in_scope(get_declared_classes()));
    $functions = array_merge(array_diff(get_defined_functions()['user'], $functions),
        in_scope(get_defined_functions()['user']));
    $constants = array_merge(array_diff(array_keys(get_defined_constants()), $constants),
        in_scope(array_keys(get_defined_constants())));
    return describe_all($classes, $functions, $constants, alias_names($stub), false);
}

function in_scope(array $names): array
{
    return array_values(array_filter($names, fn ($n) => stripos(ltrim($n, '\\'), SCOPE_PREFIX) === 0));
}

/** The alias names the stub's class_alias() calls create, plus KNOWN_ALIASES. */
function alias_names(string $stub): array
{
    $names = KNOWN_ALIASES;
    // A regular expression, not token_get_all(): `php -n` has no tokenizer extension.
    $code = preg_replace('~/\*.*?\*/|//[^\n]*|#(?!\[)[^\n]*~s', '', file_get_contents($stub));
    preg_match_all('/\bclass_alias\s*\(\s*[^,()]+,\s*([\'"])([^\'"]+)\1/i', $code, $matches);
    array_push($names, ...$matches[2]);
    $unique = [];
    foreach ($names as $name) {
        $unique[strtolower($name)] ??= $name;
    }
    return array_values($unique);
}

function describe_all(array $classes, array $functions, array $constants, array $aliases, bool $ext): array
{
    $out = ['classes' => [], 'functions' => [], 'constants' => [], 'aliases' => []];
    foreach ($classes as $name) {
        $class = new ReflectionClass($name);
        // Keyed by the lower-case canonical name: an alias is not a class of its own.
        $out['classes'][strtolower($class->name)] ??= describe_class($class, $ext);
    }
    foreach ($functions as $name) {
        $function = new ReflectionFunction($name);
        $out['functions'][strtolower($function->name)] ??= describe_function($function);
    }
    foreach ($constants as $name) {
        $out['constants'][$name] = ['name' => $name, 'value' => export(constant($name))];
    }
    foreach ($aliases as $alias) {
        $out['aliases'][strtolower($alias)] = [
            'alias' => $alias,
            // Legacy names are bound when first looked up (autoload), not at startup.
            'class' => class_exists($alias) ? (new ReflectionClass($alias))->name : null,
        ];
    }
    ksort($out['classes']);
    ksort($out['functions']);
    ksort($out['constants']);
    ksort($out['aliases']);
    return $out;
}

function describe_class(ReflectionClass $class, bool $ext): array
{
    $interfaces = $class->getInterfaceNames();
    sort($interfaces);
    $instantiable = $class->isInstantiable();
    $ctor = $class->getConstructor();
    // ext-php-rs gives a class without a PHP constructor a public __construct() that throws
    // NOT_INSTANTIABLE_MESSAGE. The stub says the same with a private constructor: both come
    // out as "instantiable: false" with no __construct among the (non-private) methods.
    $hiddenCtor = false;
    if ($ext && $instantiable && $ctor !== null && $ctor->getNumberOfParameters() === 0) {
        try {
            $class->newInstance();
        } catch (Throwable $e) {
            if ($e->getMessage() === NOT_INSTANTIABLE_MESSAGE) {
                $instantiable = false;
                $hiddenCtor = true;
            }
        }
    }
    $d = [
        'name' => $class->name,
        'kind' => $class->isInterface() ? 'interface' : ($class->isTrait() ? 'trait'
            : ($class->isEnum() ? 'enum' : 'class')),
        'parent' => $class->getParentClass() ? $class->getParentClass()->name : null,
        'final' => $class->isFinal(),
        'abstract' => $class->isAbstract() && !$class->isInterface(),
        'interfaces' => $interfaces,
        'instantiable' => $instantiable,
        'constants' => [],
        'properties' => [],
        'methods' => [],
    ];
    foreach ($class->getReflectionConstants() as $c) {
        if ($c->isPrivate()) {
            continue;
        }
        $d['constants'][$c->name] = [
            'name' => $c->name,
            'visibility' => visibility($c),
            'final' => method_exists($c, 'isFinal') && $c->isFinal(),
            'value' => export($c->getValue()),
        ];
    }
    foreach ($class->getProperties() as $p) {
        if ($p->isPrivate()) {
            continue;
        }
        $d['properties'][$p->name] = [
            'name' => $p->name,
            'visibility' => visibility($p),
            'static' => $p->isStatic(),
            'readonly' => $p->isReadOnly(),
            'type' => type_string($p->getType()),
            'hasDefault' => $p->hasDefaultValue(),
            'default' => $p->hasDefaultValue() ? export($p->getDefaultValue()) : null,
        ];
    }
    // What the declared default of an ext-php-rs property cannot tell (see compare_class()): the
    // value a fresh object has, constructed with the constructor's defaults. Only for classes
    // whose constructor needs no argument; the ext child sets sendmail.host so that
    // `new SendMail()` has a server to name (constructing connects to nothing).
    $untyped = array_filter($d['properties'], 'is_ext_rs_property');
    if ($ext && $untyped && $instantiable && ($ctor === null || $ctor->getNumberOfRequiredParameters() === 0)) {
        try {
            $object = $class->newInstance();
            foreach ($untyped as $name => $_) {
                if (!$d['properties'][$name]['static']) {
                    $value = (new ReflectionProperty($object, $name))->getValue($object);
                    $d['properties'][$name]['initial'] = export($value);
                }
            }
        } catch (Throwable) {
            // Not constructible without arguments here: those initializers stay uncompared.
        }
    }
    // Inherited methods included: ext-php-rs re-declares the parent's methods on each exception
    // subclass where the stub inherits them, and only the resulting class surface matters.
    foreach ($class->getMethods() as $m) {
        if ($m->isPrivate() || ($hiddenCtor && $m->isConstructor())) {
            continue;
        }
        $d['methods'][strtolower($m->name)] = describe_function($m);
    }
    ksort($d['constants']);
    ksort($d['properties']);
    ksort($d['methods']);
    return $d;
}

function describe_function(ReflectionFunctionAbstract $f): array
{
    $d = ['name' => $f->name];
    if ($f instanceof ReflectionMethod) {
        $d += [
            'visibility' => visibility($f),
            'static' => $f->isStatic(),
            'final' => $f->isFinal(),
            'abstract' => $f->isAbstract(),
        ];
    }
    // A tentative return type (internal methods only) counts as the return type: the stub
    // cannot express "tentative", and for callers it is the same contract.
    $type = $f->hasReturnType() ? $f->getReturnType()
        : ($f->hasTentativeReturnType() ? $f->getTentativeReturnType() : null);
    $d += [
        'returnType' => type_string($type),
        'byRefReturn' => $f->returnsReference(),
        'parameters' => [],
    ];
    foreach ($f->getParameters() as $p) {
        $attributes = array_map(fn ($a) => ltrim($a->getName(), '\\'), $p->getAttributes());
        sort($attributes);
        $d['parameters'][] = [
            'position' => $p->getPosition(),
            'name' => $p->name,
            'type' => type_string($p->getType()),
            'nullable' => $p->allowsNull(),
            'optional' => $p->isOptional(),
            'default' => default_string($p),
            'byRef' => $p->isPassedByReference(),
            'variadic' => $p->isVariadic(),
            'attributes' => $attributes,
        ];
    }
    return $d;
}

function visibility(ReflectionMethod|ReflectionProperty|ReflectionClassConstant $r): string
{
    return $r->isPublic() ? 'public' : ($r->isProtected() ? 'protected' : 'private');
}

/** A type as written, with the members of a union or intersection sorted. */
function type_string(?ReflectionType $type): ?string
{
    if ($type === null) {
        return null;
    }
    if ($type instanceof ReflectionNamedType) {
        $name = ltrim($type->getName(), '\\');
        return ($type->allowsNull() && !in_array(strtolower($name), ['mixed', 'null'], true) ? '?' : '') . $name;
    }
    $glue = $type instanceof ReflectionIntersectionType ? '&' : '|';
    $members = array_map('type_string', $type->getTypes());
    sort($members);
    return implode($glue, $members);
}

/**
 * A parameter's default as comparable text: "const NAME" for a constant, else the value through
 * var_export() (so the stub's "" and the extension's '' agree); for an internal function whose
 * default cannot be evaluated, the text from ReflectionParameter::__toString().
 */
function default_string(ReflectionParameter $p): ?string
{
    if (!$p->isDefaultValueAvailable()) {
        return null;
    }
    try {
        if ($p->isDefaultValueConstant()) {
            return 'const ' . ltrim($p->getDefaultValueConstantName(), '\\');
        }
        return export($p->getDefaultValue());
    } catch (Throwable) {
        // "Parameter #0 [ <optional> string $smtp = '' ]"
        return preg_match('/ = (.*) \]$/s', (string) $p, $m) ? 'text ' . $m[1] : 'unavailable';
    }
}

/** A value as one line of PHP code. */
function export(mixed $value): string
{
    return preg_replace('/\n\s*/', ' ', var_export($value, true));
}

// ---------------------------------------------------------------------------------------------
// Comparing

/**
 * Every difference between the two descriptions (one entry each, "-" lines for the extension,
 * "+" lines for the stub); $notes gets, by class, the stub's property details that cannot be
 * compared.
 */
function compare(array $ext, array $stub, array &$notes): array
{
    $diffs = [];
    $sections = ['classes' => 'class', 'functions' => 'function', 'constants' => 'constant', 'aliases' => 'alias'];
    foreach ($sections as $section => $what) {
        foreach (keys_of($ext[$section], $stub[$section]) as $key) {
            $e = $ext[$section][$key] ?? null;
            $s = $stub[$section][$key] ?? null;
            $label = "$what " . ($e['name'] ?? $s['name'] ?? $e['alias'] ?? $s['alias'] ?? $key);
            if ($e === null || $s === null) {
                $diffs[] = sprintf('%s %s: only in the %s%s', $e ? '-' : '+', $label, $e ? 'extension' : 'stub',
                    $section === 'functions' ? ': ' . summary($e ?? $s) : '');
                continue;
            }
            if ($section === 'classes') {
                compare_class($label, $e, $s, $diffs, $notes);
            } elseif ($section === 'functions') {
                compare_function($label, $e, $s, $diffs);
            } else {
                compare_fields($label, $e, $s, $diffs);
            }
        }
    }
    return $diffs;
}

function compare_class(string $label, array $e, array $s, array &$diffs, array &$notes): void
{
    compare_fields($label, $e, $s, $diffs, ['constants', 'properties', 'methods']);
    foreach (keys_of($e['constants'], $s['constants']) as $key) {
        compare_member("$label, constant", $key, $e['constants'][$key] ?? null, $s['constants'][$key] ?? null, $diffs);
    }
    foreach (keys_of($e['properties'], $s['properties']) as $key) {
        $ep = $e['properties'][$key] ?? null;
        $sp = $s['properties'][$key] ?? null;
        if ($ep !== null && $sp !== null && is_ext_rs_property($ep)) {
            // ext-php-rs registers every property (a #[php(prop)] field or a #[php(getter)]) as
            // an untyped, writable property whose declared default is NULL: the real value is
            // set by the constructor or computed by the getter. Reflection therefore cannot
            // confirm the stub's type or readonly (Receipt documents its getters as
            // `readonly string`: they are typed and cannot be written, as far as PHP code can
            // tell), and the stub's initializer is the value after construction (the legacy
            // `public $port = 25;`), not a declared default. So for such properties the name,
            // visibility and static are compared; a stub initializer other than null is compared
            // with the value of a freshly constructed object when the extension side could
            // construct one (see describe_class()); the rest is listed as not compared. Any other
            // property (typed, readonly, or with a real default, like the ones the exceptions
            // inherit from PHP's Exception) is compared in full.
            $stubSays = array_filter([
                $sp['readonly'] ? 'readonly' : null,
                $sp['type'],
            ]);
            if ($sp['hasDefault'] && $sp['default'] !== 'NULL') {
                if (isset($ep['initial'])) {
                    $ep['value after construction'] = $ep['initial'];
                    $sp['value after construction'] = $sp['default'];
                } else {
                    $stubSays[] = "= {$sp['default']}";
                }
            }
            if ($stubSays) {
                $notes[$e['name']][] = "\$$key " . implode(' ', $stubSays);
            }
            foreach (['readonly', 'type', 'hasDefault', 'default', 'initial'] as $field) {
                unset($ep[$field], $sp[$field]);
            }
        }
        compare_member("$label, property", '$' . $key, $ep, $sp, $diffs);
    }
    foreach (keys_of($e['methods'], $s['methods']) as $key) {
        $em = $e['methods'][$key] ?? null;
        $sm = $s['methods'][$key] ?? null;
        $name = $em['name'] ?? $sm['name'];
        if ($em === null || $sm === null) {
            compare_member("$label, method", "$name()", $em, $sm, $diffs);
        } else {
            compare_function("$label, method $name()", $em, $sm, $diffs);
        }
    }
}

/** An ext-php-rs property: untyped, not readonly, declared default NULL. */
function is_ext_rs_property(array $p): bool
{
    return $p['type'] === null && !$p['readonly'] && $p['default'] === 'NULL';
}

function compare_function(string $label, array $e, array $s, array &$diffs): void
{
    compare_fields($label, $e, $s, $diffs, ['parameters']);
    $count = max(count($e['parameters']), count($s['parameters']));
    for ($i = 0; $i < $count; $i++) {
        $ep = $e['parameters'][$i] ?? null;
        $sp = $s['parameters'][$i] ?? null;
        $name = '$' . ($ep['name'] ?? $sp['name']);
        compare_member("$label, parameter #$i", $name, $ep, $sp, $diffs);
    }
}

function compare_member(string $label, string $name, ?array $e, ?array $s, array &$diffs): void
{
    if ($e === null || $s === null) {
        $diffs[] = sprintf('%s %s %s: only in the %s: %s', $e ? '-' : '+', $label, $name,
            $e ? 'extension' : 'stub', summary($e ?? $s));
        return;
    }
    compare_fields("$label $name", $e, $s, $diffs);
}

function compare_fields(string $label, array $e, array $s, array &$diffs, array $skip = []): void
{
    foreach (keys_of($e, $s) as $field) {
        if (in_array($field, $skip, true) || ($e[$field] ?? null) === ($s[$field] ?? null)) {
            continue;
        }
        $diffs[] = "  $label: $field\n-   " . show($e[$field] ?? null) . "\n+   " . show($s[$field] ?? null);
    }
}

/** A one-line summary of a member that exists on one side only. */
function summary(array $d): string
{
    if (isset($d['position'])) {
        return param_summary($d);
    }
    if (isset($d['parameters'])) {
        $params = array_map('param_summary', $d['parameters']);
        return ltrim(($d['visibility'] ?? '') . (!empty($d['static']) ? ' static' : '') . ' function ')
            . "{$d['name']}(" . implode(', ', $params) . ')' . ($d['returnType'] !== null ? ": {$d['returnType']}" : '');
    }
    return show($d);
}

function param_summary(array $p): string
{
    return implode('', array_map(fn ($a) => "#[\\$a] ", $p['attributes'])) . ltrim(($p['type'] ?? '') . ' ')
        . ($p['byRef'] ? '&' : '') . ($p['variadic'] ? '...' : '') . '$' . $p['name']
        . ($p['default'] !== null ? ' = ' . preg_replace('/^(const|text) /', '', $p['default']) : '');
}

function show(mixed $value): string
{
    return json_encode($value, JSON_UNESCAPED_SLASHES);
}

function keys_of(array $a, array $b): array
{
    $keys = array_keys($a + $b);
    return $keys;
}
