<?php
// Without Composer's vendor/ (the tests run against Debian's php-symfony-mailer and phpunit),
// the bridge's classes and Symfony's come from their own autoloaders.
if (is_file(__DIR__.'/../vendor/autoload.php')) {
    require __DIR__.'/../vendor/autoload.php';
} else {
    require_once 'Symfony/Component/Mailer/autoload.php';
    require_once 'Symfony/Component/EventDispatcher/autoload.php';
    spl_autoload_register(static function (string $class): void {
        foreach (['SendMail\\Bridge\\Symfony\\Tests\\' => __DIR__.'/', 'SendMail\\Bridge\\Symfony\\' => __DIR__.'/../src/'] as $prefix => $dir) {
            if (str_starts_with($class, $prefix)) {
                $file = $dir.str_replace('\\', '/', substr($class, \strlen($prefix))).'.php';
                if (is_file($file)) {
                    require $file;
                }

                return;
            }
        }
    });
}
if (!extension_loaded('sendmail')) {
    fwrite(STDERR, "the sendmail extension is not loaded (php -d extension=...)\n");
    exit(2);
}
