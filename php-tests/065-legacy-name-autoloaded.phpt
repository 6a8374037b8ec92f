--TEST--
Safe to switch on: an application whose autoloader provides a class SMTP (PHPMailer 5's pair) gets its own; an autoloader that knows other classes only leaves the legacy names to the extension
--EXTENSIONS--
sendmail
--INI--
sendmail.aliases=send_mail,SMTP
--FILE--
<?php
// PHPMailer 5 shape: class.phpmailer.php and class.smtp.php, loaded on demand.
$dir = sys_get_temp_dir() . '/sendmail-065-' . getmypid();
@mkdir($dir);
file_put_contents("$dir/class.smtp.php", '<?php
class SMTP
{
    const VERSION = "5.2.28";
    public $do_debug = 0;
    public function connect($host, $port = null) { return "PHPMailer SMTP connect $host"; }
}');
file_put_contents("$dir/class.phpmailer.php", '<?php
class PHPMailer
{
    public $Host = "localhost";
    public function getSMTPInstance() { return new SMTP; }
}');
$loaded = [];
spl_autoload_register(function ($class) use ($dir, &$loaded) {
    $file = $dir . '/class.' . strtolower($class) . '.php';
    if (is_file($file)) {
        $loaded[] = $class;
        require $file;
    }
});
$mail = new PHPMailer;
$smtp = $mail->getSMTPInstance();
var_dump(get_class($smtp), SMTP::VERSION, $smtp->connect("relay.example.test"), $loaded);
var_dump((new ReflectionClass('SMTP'))->isInternal());

// A Composer-style autoloader for the application's own namespace: the legacy name it does
// not know is the extension's.
spl_autoload_register(function ($class) use (&$loaded) {
    $loaded[] = "app:$class";
});
$m = new send_mail("127.0.0.1");
var_dump(get_class($m), end($loaded));
// Subclassing through the legacy name loads it too.
eval('class MyMailer extends send_mail {}');
var_dump(get_parent_class(new MyMailer("127.0.0.1")));
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
string(4) "SMTP"
string(6) "5.2.28"
string(41) "PHPMailer SMTP connect relay.example.test"
array(2) {
  [0]=>
  string(9) "PHPMailer"
  [1]=>
  string(4) "SMTP"
}
bool(false)
string(8) "SendMail"
string(13) "app:send_mail"
string(8) "SendMail"
