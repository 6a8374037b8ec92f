# Build, test, demo and install the sendmail PHP extension.
#   make deps       install missing Debian packages and the .venv test tools
#   make build      cargo build --release -> target/release/libsendmail.so
#   make test       core tests without PHP, the PHPT suite (php-tests/), the FPM load test, the stub check, then the suite under valgrind
#   make test-stubs stubs/sendmail.stub.php against the built extension (Reflection on both sides)
#   make test-fpm   persistent connections in PHP-FPM under load and server faults (tests/fpm/load.py, ~20 s)
#   make test-valgrind  the PHPT suite under valgrind memcheck, release build (slow)
#   make test-bridge    the Symfony Mailer bridge (bridge/symfony-mailer): PHPUnit, composer validate
#   make test-phpize    the PIE way on a clean copy: phpize, configure, make, make install (ext/)
#   make test-php84     the PHPT suite on PHP 8.4 (Debian 13 packages in a debootstrap root, as root)
#   make dist           the release zip PIE downloads: dist/php_sendmail-{version}_php{X.Y}-{arch}-{os}-{libc}.zip
#   make demo       run examples/legacy.php against a local SMTP sink
#   make install    install the .so into PHP and enable it (uninstall reverses)
#   make bench      throughput and memory against the PHP mailers and smtp-source (bench/README.md; minutes)
#   make bench-fpm  mail from PHP-FPM requests over STARTTLS+AUTH with 20 ms and 0 ms round trips (bench/README.md)
#   make clean

PHP ?= php
PHP_CONFIG ?= php-config
export PHP PHP_CONFIG

SO := target/release/libsendmail.so

# ext-php-rs's build script wants absolute paths in PHP and PHP_CONFIG and
# reruns when they change; the defaults are left unset so that `make build`
# and a plain `cargo build` share one build.
CARGO = env $(if $(filter php,$(PHP)),-u PHP) $(if $(filter php-config,$(PHP_CONFIG)),-u PHP_CONFIG) \
	$(if $(filter-out php,$(PHP)),PHP="$$(command -v '$(PHP)')") \
	$(if $(filter-out php-config,$(PHP_CONFIG)),PHP_CONFIG="$$(command -v '$(PHP_CONFIG)')") \
	cargo

.NOTPARALLEL:
.PHONY: all deps build test test-lint test-core test-phpt test-fpm test-stubs test-bridge test-phpize test-php84 test-valgrind demo install uninstall clean bench bench-fpm dist

all: build

deps:
	bash tests/deps.sh

build:
	$(CARGO) build --release

test: deps build test-lint test-core test-phpt test-fpm test-stubs test-bridge test-phpize test-php84 test-valgrind

# Clippy with the crate's lints (Cargo.toml [lints]: no unwrap, expect, panic, indexing or
# unreachable in the library), warnings as errors. Skipped with a notice where clippy is absent.
test-lint: deps
	@if $(CARGO) clippy --version >/dev/null 2>&1; then \
		$(CARGO) clippy --all-targets -- -D warnings; \
	else echo "test-lint: cargo clippy is not installed (rustup component add clippy): skipped"; fi

test-core:
	$(CARGO) test --no-default-features

test-phpt:
	SENDMAIL_SO=$(SO) bash tests/run-phpt.sh

# php-fpm with 8 workers, a few thousand requests each sending one numbered message over a
# persistent connection while the server closes idle connections, answers 421 and restarts:
# every request answers, no message lost or doubled, no worker's RSS grows (tests/fpm/load.py).
test-fpm: deps build
	SENDMAIL_SO=$(SO) .venv/bin/python tests/fpm/load.py

# The stub's classes, functions and signatures must match the extension's (see tests/check-stubs.php).
test-stubs: build
	$(PHP) tests/check-stubs.php --so=$(SO)

# The Symfony Mailer bridge: Symfony's TransportFactoryTestCase and end-to-end sends into a
# real server, with Debian's phpunit and php-symfony-mailer; both composer.json files valid.
test-bridge: build
	cd bridge/symfony-mailer && COMPOSER_ALLOW_SUPERUSER=1 composer validate --no-check-publish --no-interaction
	SENDMAIL_SO=$(SO) bash tests/run-bridge.sh

# phpize && ./configure && make && make install on a clean copy (as PIE does, in ext/); the
# installed module must load. Shares target/ with the main build.
test-phpize: deps
	bash tests/phpize-build.sh

# The PHPT suite on PHP 8.4: Debian 13's packages in a debootstrap root (.cache/debian13, made
# once), the extension built against them. Needs root; skipped with a notice otherwise.
test-php84: deps
	bash tests/php84.sh

dist: build
	SENDMAIL_SO=$(SO) bash tests/dist.sh

# The PHPT suite under valgrind: memory errors and definite leaks fail. It runs the release
# build, the one users load (its symbols name the functions in a report; for file and line,
# `cargo build` and SENDMAIL_SO=target/debug/libsendmail.so). The hostile-server scenarios,
# php-tests/04*, take a good part of it: they wait out timeouts.
test-valgrind: deps build
	SENDMAIL_SO=$(SO) SENDMAIL_VALGRIND=1 bash tests/run-phpt.sh

demo: deps build
	SENDMAIL_SO=$(SO) bash tests/demo.sh

install:
	SENDMAIL_SO=$(SO) bash tests/install.sh install

uninstall:
	bash tests/install.sh uninstall

clean:
	cargo clean
	rm -rf .venv dist .cache
	find php-tests -type f \( -name '*.diff' -o -name '*.exp' -o -name '*.out' -o -name '*.log' \
		-o -name '*.php' -o -name '*.sh' -o -name '*.mem' \) -delete

# Throughput (msg/s) and large-attachment memory against PHPMailer, Symfony Mailer, PEAR Net_SMTP
# and Postfix's smtp-source, on a loopback smtp-sink; writes bench/README.md and bench/results.svg.
# A few minutes; not part of test.
bench: deps build
	SENDMAIL_SO=$(SO) bash bench/run.sh

# One ~1 KB mail per PHP-FPM request over STARTTLS + AUTH, 20 ms and 0 ms from the server:
# PHPMailer, Symfony Mailer, SendMail with a new connection and persistent; latency, round
# trips, TLS handshakes. Writes its section of bench/README.md and bench/fpm.svg. Not part of test.
bench-fpm: deps build
	SENDMAIL_SO=$(SO) bash bench/run-fpm.sh
