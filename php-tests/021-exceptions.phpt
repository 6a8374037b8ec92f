--TEST--
SendMail\Exception and its subclasses: hierarchy, constructing from PHP, getters, location, string form, userland subclasses
--EXTENSIONS--
sendmail
--FILE--
<?php
// exception_for() (client errors thrown by the sending methods) is covered with those methods.
$classes = ['ConnectException', 'TlsException', 'AuthException', 'RecipientException',
            'ProtocolException', 'TimeoutException', 'InvalidInputException'];

echo "-- hierarchy\n";
$base = new ReflectionClass('SendMail\Exception');
var_dump($base->getParentClass()->getName(), $base->isInternal(), $base->isFinal());
foreach ($classes as $short) {
    $r = new ReflectionClass("SendMail\\$short");
    echo $short, ": parent ", $r->getParentClass()->getName(),
        ", final ", var_export($r->isFinal(), true), "\n";
}

echo "-- defaults\n";
$e = new SendMail\Exception();
var_dump($e->getMessage(), $e->getCode(), $e->getSmtpCode(), $e->getEnhancedCode(), $e->getStage(),
    $e->getReply(), $e->isTemporary(), $e->getPrevious());

echo "-- each class, short form\n";
foreach ($classes as $i => $short) {
    $class = "SendMail\\$short";
    $line = __LINE__ + 1;
    $e = new $class("failure $i", 500 + $i);
    var_dump(
        get_class($e) === $class,
        $e instanceof SendMail\Exception && $e instanceof RuntimeException && $e instanceof Exception,
        $e->getMessage() === "failure $i",
        $e->getCode() === 500 + $i && $e->getSmtpCode() === 500 + $i,
        $e->getFile() === __FILE__ && $e->getLine() === $line,
        $e->getEnhancedCode() === null && $e->getStage() === "" && $e->getReply() === "",
        $e->isTemporary() === ($short === 'TimeoutException'),
    );
}

echo "-- full form, named arguments\n";
$previous = new LogicException("the cause", 7);
$e = new SendMail\AuthException("bad login", 535, $previous, "auth", "535 5.7.8 Authentication failed", "5.7.8");
var_dump($e->getCode(), $e->getSmtpCode(), $e->getEnhancedCode(), $e->getStage(), $e->getReply(),
    $e->getPrevious() === $previous, $e->isTemporary());
$e = new SendMail\Exception(reply: "451-4.3.0 busy\n451 try later", code: 451, stage: "mail", enhancedCode: "4.3.0");
var_dump($e->getMessage(), $e->getCode(), $e->getReply(), $e->getEnhancedCode(), $e->isTemporary());
var_dump((new SendMail\ProtocolException("x", 421))->isTemporary(), (new SendMail\ProtocolException("x", 500))->isTemporary(),
    (new SendMail\TimeoutException("x"))->isTemporary());

echo "-- RecipientException::getRejected()\n";
$e = new SendMail\RecipientException("every recipient was refused", 550, null, "rcpt", "550 5.1.1 no such user",
    "5.1.1", ["a@example.test" => "550 5.1.1 no such user", "b@example.test" => "452 4.5.3 too many"]);
var_dump($e->getRejected(), $e->getStage());
var_dump((new SendMail\RecipientException("none"))->getRejected());
try {
    new SendMail\RecipientException("x", 550, null, "rcpt", "", null, ["a@example.test" => []]);
} catch (TypeError $t) {
    echo get_class($t), ": ", $t->getMessage(), "\n";
}

echo "-- bad arguments\n";
foreach ([fn() => new SendMail\AuthException("x", 535, new stdClass()),
          fn() => new SendMail\AuthException("x", "not a number")] as $make) {
    try {
        $make();
        echo "no error\n";
    } catch (TypeError $t) {
        echo "TypeError\n";
    }
}

echo "-- thrown and caught\n";
function login(): void
{
    throw new SendMail\AuthException("bad login", 535);
}
foreach (['RuntimeException', 'SendMail\Exception', 'SendMail\AuthException'] as $catch) {
    try {
        login();
    } catch (RuntimeException $e) {
        var_dump($e instanceof $catch);
    }
}
try {
    login();
} catch (SendMail\Exception $e) {
    var_dump($e->getLine() === (new ReflectionFunction('login'))->getStartLine() + 2, count($e->getTrace()),
        $e->getTrace()[0]['function']);
}
try {
    try {
        login();
    } catch (SendMail\AuthException $inner) {
        throw new SendMail\Exception("could not send", 0, $inner, "auth");
    }
} catch (SendMail\Exception $outer) {
    var_dump($outer->getPrevious() === $inner, get_class($outer->getPrevious()));
}

echo "-- string form\n";
echo $inner, "\n";
echo "--\n";
echo $outer, "\n";

echo "-- userland subclasses\n";
class MyAuthException extends SendMail\AuthException {}
class Mine extends SendMail\AuthException
{
    public function __construct(string $message, public string $user = "")
    {
        parent::__construct($message, 534, null, "auth");
    }

    public function getStage(): string
    {
        return "custom " . parent::getStage();
    }
}
function make(): Mine
{
    return new Mine("needs a stronger mechanism", "bob");
}
$e = new MyAuthException("mine", 530);
var_dump(get_class($e), $e instanceof SendMail\AuthException, $e->getSmtpCode(), $e->getCode(), $e->getLine() === __LINE__ - 1);
$line = __LINE__ + 1;
$e = make();
var_dump(get_class($e), $e->user, $e->getSmtpCode(), $e->getStage(), $e->getFile() === __FILE__);
// As PHP does: the location of the `new`, the trace from there.
var_dump($e->getLine() === (new ReflectionFunction('make'))->getStartLine() + 2, $e->getTrace()[0]['function'],
    $e->getTrace()[0]['line'] === $line);
try {
    throw new MyAuthException("thrown", 535, stage: "auth");
} catch (SendMail\Exception $caught) {
    var_dump(get_class($caught), $caught->getStage());
}

echo "-- constructor called again keeps the location\n";
$e = new SendMail\TlsException("first", 1);
$line = $e->getLine();
$e->__construct("second", 2, null, "tls");
var_dump($e->getMessage(), $e->getCode(), $e->getSmtpCode(), $e->getStage(), $e->getLine() === $line);

echo "-- zend.exception_ignore_args\n";
function withArgs(string $secret): SendMail\Exception
{
    return new SendMail\Exception("x");
}
ini_set('zend.exception_ignore_args', '0');
var_dump(withArgs("shown")->getTrace()[0]['args']);
ini_set('zend.exception_ignore_args', '1');
var_dump(isset(withArgs("hidden")->getTrace()[0]['args']));
?>
--EXPECTF--
-- hierarchy
string(16) "RuntimeException"
bool(true)
bool(false)
ConnectException: parent SendMail\Exception, final false
TlsException: parent SendMail\Exception, final false
AuthException: parent SendMail\Exception, final false
RecipientException: parent SendMail\Exception, final false
ProtocolException: parent SendMail\Exception, final false
TimeoutException: parent SendMail\Exception, final false
InvalidInputException: parent SendMail\Exception, final false
-- defaults
string(0) ""
int(0)
int(0)
NULL
string(0) ""
string(0) ""
bool(false)
NULL
-- each class, short form
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
-- full form, named arguments
int(535)
int(535)
string(5) "5.7.8"
string(4) "auth"
string(31) "535 5.7.8 Authentication failed"
bool(true)
bool(false)
string(0) ""
int(451)
string(28) "451-4.3.0 busy
451 try later"
string(5) "4.3.0"
bool(true)
bool(true)
bool(false)
bool(true)
-- RecipientException::getRejected()
array(2) {
  ["a@example.test"]=>
  string(22) "550 5.1.1 no such user"
  ["b@example.test"]=>
  string(18) "452 4.5.3 too many"
}
string(4) "rcpt"
array(0) {
}
TypeError: SendMail\RecipientException::__construct(): Argument #7 ($rejected) must map addresses to strings
-- bad arguments
TypeError
TypeError
-- thrown and caught
bool(true)
bool(true)
bool(true)
bool(true)
int(1)
string(5) "login"
bool(true)
string(22) "SendMail\AuthException"
-- string form
SendMail\AuthException: bad login in %s021-exceptions.php:%d
Stack trace:
#0 %s021-exceptions.php(%d): login()
#1 {main}
--
SendMail\AuthException: bad login in %s021-exceptions.php:%d
Stack trace:
#0 %s021-exceptions.php(%d): login()
#1 {main}

Next SendMail\Exception: could not send in %s021-exceptions.php:%d
Stack trace:
#0 {main}
-- userland subclasses
string(15) "MyAuthException"
bool(true)
int(530)
int(530)
bool(true)
string(4) "Mine"
string(3) "bob"
int(534)
string(11) "custom auth"
bool(true)
bool(true)
string(4) "make"
bool(true)
string(15) "MyAuthException"
string(4) "auth"
-- constructor called again keeps the location
string(6) "second"
int(2)
int(2)
string(3) "tls"
bool(true)
-- zend.exception_ignore_args
array(1) {
  [0]=>
  string(5) "shown"
}
bool(false)
