--TEST--
DKIM keys and settings that cannot sign: a ValueError or TypeError at setDkim() that says why (never the key); php.ini settings that cannot sign stop the send (false and a message, nothing sent unsigned); the key never shows in var_dump(), print_r(), traces or the transcript
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
$keys = sendmail_test_env('SENDMAIL_TEST_DKIM');
$domain = 'dkim.example.test';
$plain = '127.0.0.1:' . sink_port('plain');
$rsaText = file_get_contents("$keys/rsa.pem");
// A line from the middle of each key: no output may hold it.
$secretLines = [];
foreach (['rsa.pem', 'rsa-pkcs1.pem', 'ed25519.pem', 'rsa1024.pem', 'ec.pem'] as $file) {
    $lines = explode("\n", trim(file_get_contents("$keys/$file")));
    $secretLines[] = $lines[intdiv(count($lines), 2)];
}
$leaks = function (string $text) use ($secretLines): bool {
    foreach ($secretLines as $line) {
        if (str_contains($text, $line)) {
            return true;
        }
    }
    return false;
};
$seen = '';

echo "-- keys\n";
$notKey = sendmail_test_tempname('.txt');
file_put_contents($notKey, "just some text\n");
foreach ([
    'missing file' => ["$keys/none.pem"],
    'not a key' => [$notKey],
    'a directory' => [$keys],
    'empty' => [''],
    'key body without its armour' => [implode('', array_slice(explode("\n", trim($rsaText)), 1, -1))],
    'EC key' => ["$keys/ec.pem"],
    'RSA 1024' => ["$keys/rsa1024.pem"],
    'RSA 1024 as text' => [file_get_contents("$keys/rsa1024.pem")],
    'encrypted' => ["$keys/encrypted.pem"],
    'damaged text' => [str_replace(substr($rsaText, 200, 40), str_repeat('A', 40), $rsaText)],
    'certificate' => [test_cert('server.pem')],
    'wrong algorithm' => ["$keys/ed25519.pem", ['algorithm' => 'rsa-sha256']],
    'unknown algorithm' => ["$keys/rsa.pem", ['algorithm' => 'rsa-sha1']],
    'no From' => ["$keys/rsa.pem", ['headers' => ['To', 'Subject']]],
    'bad header name' => ["$keys/rsa.pem", ['headers' => ['From', 'X Bad']]],
    'header name with a tag in it' => ["$keys/rsa.pem", ['headers' => ['From', 'X;l=0']]],
    'identity elsewhere' => ["$keys/rsa.pem", ['identity' => 'news@example.org']],
    'identity not an address' => ["$keys/rsa.pem", ['identity' => 'dkim.example.test']],
    'expire zero' => ["$keys/rsa.pem", ['expire' => 0]],
    'unknown option' => ["$keys/rsa.pem", ['selector' => 'x']],
    'headers not a list' => ["$keys/rsa.pem", ['headers' => 'From']],
    'header not a string' => ["$keys/rsa.pem", ['headers' => ['From', 5 => []]]],
    'expire not a number' => ["$keys/rsa.pem", ['expire' => 'soon']],
] as $what => $args) {
    try {
        (new SendMail($plain))->setDkim($domain, 'rsa', ...$args);
        echo "$what: accepted?!\n";
    } catch (ValueError|TypeError $e) {
        $seen .= $e->getMessage() . $e->getTraceAsString();
        echo "$what: ", get_class($e), ": ", str_replace([$keys, sys_get_temp_dir()], ['KEYS', 'TMP'], $e->getMessage()), "\n";
    }
}
foreach (['' => 'rsa', 'exa mple.com' => 'rsa', 'dkim.example.test' => 'bad;selector'] as $d => $s) {
    try {
        (new SendMail($plain))->setDkim($d, $s, "$keys/rsa.pem");
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
    }
}

echo "-- strict types: the arguments are PHP's\n";
try {
    (new SendMail($plain))->setDkim($domain, 'rsa', "$keys/rsa.pem", 'not an array');
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}
$p = (new ReflectionMethod(SendMail::class, 'setDkim'))->getParameters();
echo implode(', ', array_map(fn ($x) => ($x->getAttributes() ? '#[' . $x->getAttributes()[0]->getName() . '] ' : '') . $x->getType() . ' $' . $x->getName() . ($x->isOptional() ? ' = ' . var_export($x->getDefaultValue(), true) : ''), $p)), "\n";

echo "-- the key never shows\n";
$m = (new SendMail($plain))->setDkim($domain, 'rsa', $rsaText);
ob_start();
var_dump($m);
print_r($m);
var_export($m);
echo json_encode($m), serialize(new ArrayObject([1])), "\n";
$seen .= ob_get_clean();
// A failure after setDkim() with the key as text: the trace shows the argument as sensitive.
function configure(#[\SensitiveParameter] string $key): SendMail
{
    return (new SendMail('127.0.0.1:' . sink_port('plain')))->setDkim('dkim.example.test', 'rsa', $key, ['expire' => -1]);
}
try {
    configure($rsaText);
} catch (ValueError $e) {
    $trace = $e->getTraceAsString();
    $seen .= $trace . print_r($e->getTrace(), true);
    echo str_contains($trace, 'SensitiveParameterValue') ? "sensitive in the trace\n" : "the key is in the trace?!\n";
}
$m->send('dkim-shown-078@example.test', 'a@dkim.example.test', 'Shown', 'x');
$seen .= $m->getTranscript();
var_dump($leaks($seen));

echo "-- php.ini: settings that cannot sign stop the send\n";
ini_set('sendmail.host', $plain);
$cases = [
    'selector missing' => ['sendmail.dkim_domain' => $domain, 'sendmail.dkim_selector' => '', 'sendmail.dkim_key' => "$keys/rsa.pem"],
    'key missing' => ['sendmail.dkim_domain' => $domain, 'sendmail.dkim_selector' => 'rsa', 'sendmail.dkim_key' => ''],
    'key unreadable' => ['sendmail.dkim_key' => "$keys/none.pem"],
    'key too small' => ['sendmail.dkim_key' => "$keys/rsa1024.pem"],
    'key as text, damaged' => ['sendmail.dkim_key' => substr($rsaText, 0, 300)],
    'key body without its armour' => ['sendmail.dkim_key' => implode('', array_slice(explode("\n", trim($rsaText)), 1, -1))],
];
foreach ($cases as $what => $settings) {
    foreach ($settings as $name => $value) {
        ini_set($name, $value);
    }
    $rcpt = 'dkim-ini-' . str_replace(' ', '-', str_replace(',', '', $what)) . '-078@example.test';
    $legacy = new send_mail('');
    $ok = $legacy->send($rcpt, 'script@dkim.example.test', 'Must not go unsigned', 'x');
    $mailed = @SendMail\mail($rcpt, 'Must not go unsigned', 'x', ['From' => 'script@dkim.example.test']);
    $warning = error_get_last()['message'] ?? '';
    $seen .= $legacy->lastmessage . $warning;
    echo "$what: send() ", var_export($ok, true), ': ', str_replace([$keys], ['KEYS'], $legacy->lastmessage), "\n";
    echo "  mail() ", var_export($mailed, true), ': ', str_replace([$keys], ['KEYS'], $warning), "\n";
    var_dump(sink_received($rcpt, 0.5));
    error_clear_last();
}
// phpinfo() shows an absolute key path, never key text (armoured or not).
foreach ([$rsaText, implode('', array_slice(explode("\n", trim($rsaText)), 1, -1)), "$keys/rsa.pem"] as $value) {
    ini_set('sendmail.dkim_key', $value);
    ob_start();
    phpinfo(INFO_MODULES);
    $info = ob_get_clean();
    preg_match('/^sendmail\.dkim_key => (.*)$/m', $info, $row);
    echo str_replace($keys, 'KEYS', $row[0]), "\n";
    $seen .= $info;
}
var_dump($leaks($seen));
?>
--EXPECTF--
-- keys
missing file: ValueError: SendMail::setDkim(): Argument #3 ($privateKey) names a file that cannot be read (No such file or directory (os error 2))
not a key: ValueError: SendMail::setDkim(): Argument #3 ($privateKey) is not a PEM private key ("-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----")
a directory: ValueError: SendMail::setDkim(): Argument #3 ($privateKey) names a file that cannot be read (Is a directory (os error 21))
empty: ValueError: SendMail::setDkim(): Argument #3 ($privateKey) is not a PEM private key: PEM text needs its -----BEGIN and -----END lines
key body without its armour: ValueError: SendMail::setDkim(): Argument #3 ($privateKey) is not a PEM private key: PEM text needs its -----BEGIN and -----END lines
EC key: ValueError: SendMail::setDkim(): Argument #3 ($privateKey) is neither an RSA nor an Ed25519 key (an EC key?); DKIM signs with an RSA key (rsa-sha256) or an Ed25519 key (ed25519-sha256)
RSA 1024: ValueError: SendMail::setDkim(): Argument #3 ($privateKey) is an RSA key of under 2048 bits; RSA keys for DKIM must have 2048 to 4096 bits (RFC 8301 asks for at least 2048)
RSA 1024 as text: ValueError: SendMail::setDkim(): Argument #3 ($privateKey) is an RSA key of under 2048 bits; RSA keys for DKIM must have 2048 to 4096 bits (RFC 8301 asks for at least 2048)
encrypted: ValueError: SendMail::setDkim(): Argument #3 ($privateKey) is an encrypted private key; give it without its passphrase (openssl pkey -in key.pem -out plain.pem)
damaged text: ValueError: SendMail::setDkim(): Argument #3 ($privateKey) is %s
certificate: ValueError: SendMail::setDkim(): Argument #3 ($privateKey) is not a PEM private key ("-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----")
wrong algorithm: ValueError: SendMail::setDkim(): "algorithm" is rsa-sha256 but the key is an Ed25519 key
unknown algorithm: ValueError: SendMail::setDkim(): Argument #4 ($options) "algorithm" must be "rsa-sha256" or "ed25519-sha256", not "rsa-sha1"
no From: ValueError: SendMail::setDkim(): "headers" must include From (RFC 6376 §5.4)
bad header name: ValueError: SendMail::setDkim(): "headers" holds "X Bad", which is not a header field name
header name with a tag in it: ValueError: SendMail::setDkim(): "headers" holds "X;l=0", which is not a header field name
identity elsewhere: ValueError: SendMail::setDkim(): "identity" "news@example.org" is not in the signing domain dkim.example.test or below it
identity not an address: ValueError: SendMail::setDkim(): "identity" "dkim.example.test" is not "@domain" or "user@domain"
expire zero: ValueError: SendMail::setDkim(): Argument #4 ($options) "expire" must be a number of seconds greater than 0
unknown option: ValueError: SendMail::setDkim(): Argument #4 ($options) has an unknown option "selector": use "algorithm", "headers", "identity" or "expire"
headers not a list: TypeError: SendMail::setDkim(): Argument #4 ($options) "headers" must be of type array, string given
header not a string: TypeError: SendMail::setDkim(): Argument #4 ($options) "headers" must be of type array of strings, array given
expire not a number: TypeError: SendMail::setDkim(): Argument #4 ($options) "expire" must be of type int, string given
SendMail::setDkim(): the domain "" is not a domain name
SendMail::setDkim(): the domain "exa mple.com" is not a domain name
SendMail::setDkim(): the selector "bad;selector" is not a DNS label (letters, digits and hyphens, dot-separated)
-- strict types: the arguments are PHP's
SendMail::setDkim(): Argument #4 ($options) must be of type array, string given
string $domain, string $selector, #[SensitiveParameter] string $privateKey, array $options = array (
)
-- the key never shows
sensitive in the trace
bool(false)
-- php.ini: settings that cannot sign stop the send
selector missing: send() false: php.ini sendmail.dkim_selector is not set, but the other sendmail.dkim_* settings are
  mail() false: SendMail\mail(): could not send: php.ini sendmail.dkim_selector is not set, but the other sendmail.dkim_* settings are
NULL
key missing: send() false: php.ini sendmail.dkim_key is not set, but the other sendmail.dkim_* settings are
  mail() false: SendMail\mail(): could not send: php.ini sendmail.dkim_key is not set, but the other sendmail.dkim_* settings are
NULL
key unreadable: send() false: php.ini sendmail.dkim_key names a file that cannot be read (No such file or directory (os error 2))
  mail() false: SendMail\mail(): could not send: php.ini sendmail.dkim_key names a file that cannot be read (No such file or directory (os error 2))
NULL
key too small: send() false: php.ini sendmail.dkim_key is an RSA key of under 2048 bits; RSA keys for DKIM must have 2048 to 4096 bits (RFC 8301 asks for at least 2048)
  mail() false: SendMail\mail(): could not send: php.ini sendmail.dkim_key is an RSA key of under 2048 bits; RSA keys for DKIM must have 2048 to 4096 bits (RFC 8301 asks for at least 2048)
NULL
key as text, damaged: send() false: php.ini sendmail.dkim_key is not a PEM private key ("-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----")
  mail() false: SendMail\mail(): could not send: php.ini sendmail.dkim_key is not a PEM private key ("-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----")
NULL
key body without its armour: send() false: php.ini sendmail.dkim_key is not a PEM private key: PEM text needs its -----BEGIN and -----END lines
  mail() false: SendMail\mail(): could not send: php.ini sendmail.dkim_key is not a PEM private key: PEM text needs its -----BEGIN and -----END lines
NULL
sendmail.dkim_key => ******** => no value
sendmail.dkim_key => ******** => no value
sendmail.dkim_key => KEYS/rsa.pem => no value
bool(false)
