--TEST--
SendMail\mail(): $additional_headers checked as PHP's mail() does (names, string values, no empty line, no NUL); a string block of any bytes is sent as given
--EXTENSIONS--
sendmail
--FILE--
<?php
require __DIR__ . '/inc/servers.inc';
ini_set('sendmail.host', '127.0.0.1');
ini_set('sendmail.port', (string) sink_port());
ini_set('sendmail.from', 'me@example.test');
set_error_handler(function ($no, $str) { echo preg_replace('/^SendMail\\\\mail\(\): /', '', $str), "\n"; return true; });

$bad = [
    ["X-A" => new stdClass], ["X-A" => null], ["X-A" => [1]], ["X-A" => ["ok", ["nested"]]], [0 => "x"],
    ["X\0B" => "v"], ["X B" => "v"], ["" => "v"], [str_repeat("x", 200) . ":" => "v"],
    ["X-A" => "a\r\nBcc: evil@example.test"], ["X-A" => "a\0b"],
    "X-A: 1\r\n\r\nBcc: evil@example.test", "\r\nX-A: 1", "X-A: 1\0", 42,
];
foreach ($bad as $headers) {
    var_dump(SendMail\mail("bad-035@example.test", "s", "m", $headers));
}
var_dump(sink_received("bad-035@example.test", 0.5));

// A Latin-1 header block and repeated headers from an array arrive as given.
var_dump(SendMail\mail("latin1-035@example.test", "s", "body", "X-Name: J\xe9r\xf4me\r\n"));
var_dump(str_contains(sink_received("latin1-035@example.test")['eml'], "X-Name: J\xe9r\xf4me\r\n"));
var_dump(SendMail\mail("array-035@example.test", "s", "body", ["X-Tag" => ["a", "b"], "X-One" => "1"]));
preg_match_all('/^X-(Tag|One): .*$/m', sink_received("array-035@example.test")['eml'], $m);
echo implode("|", array_map('trim', $m[0])), "\n";
?>
--EXPECT--
Argument #4 ($additional_headers): header X-A must be of type array|string, stdClass given
bool(false)
Argument #4 ($additional_headers): header X-A must be of type array|string, null given
bool(false)
Argument #4 ($additional_headers): header X-A must be of type array|string, int given
bool(false)
Argument #4 ($additional_headers): header X-A must be of type array|string, array given
bool(false)
Argument #4 ($additional_headers): header names must be strings, 0 given
bool(false)
Argument #4 ($additional_headers): "X\0B" is not a valid header name
bool(false)
Argument #4 ($additional_headers): "X B" is not a valid header name
bool(false)
Argument #4 ($additional_headers): "" is not a valid header name
bool(false)
Argument #4 ($additional_headers): "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"... is not a valid header name
bool(false)
Argument #4 ($additional_headers): header X-A has a line break or a NUL in its value
bool(false)
Argument #4 ($additional_headers): header X-A has a line break or a NUL in its value
bool(false)
Argument #4 ($additional_headers) has an empty line, which would end the headers early
bool(false)
Argument #4 ($additional_headers) has an empty line, which would end the headers early
bool(false)
Argument #4 ($additional_headers) must not contain NUL bytes
bool(false)
Argument #4 ($additional_headers): "42" is not a header line (Name: value)
bool(false)
NULL
bool(true)
bool(true)
bool(true)
X-Tag: a|X-Tag: b|X-One: 1
