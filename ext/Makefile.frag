# The module, built by cargo against the PHP of this phpize (config.m4). make install copies
# modules/sendmail.so and never runs cargo: the module is newer than every source.
# The crate is the folder above this one (composer.json's php-ext build-path is ext/).
SENDMAIL_CRATE = $(srcdir)/..
SENDMAIL_SOURCES = $(SENDMAIL_CRATE)/Cargo.toml $(SENDMAIL_CRATE)/Cargo.lock $(SENDMAIL_CRATE)/build.rs $(shell find $(SENDMAIL_CRATE)/src -name '*.rs' 2>/dev/null)
SENDMAIL_TARGET_DIR = $(if $(CARGO_TARGET_DIR),$(CARGO_TARGET_DIR),$(SENDMAIL_CRATE)/target)

# PHP and PHP_CONFIG tell ext-php-rs which PHP to build for. When they are the php and
# php-config on PATH they are left unset, so that this build and a plain `cargo build` share
# their compiled dependencies.
modules/sendmail.so: $(SENDMAIL_SOURCES)
	@same() { [ "$$(readlink -f "$$(command -v "$$1" 2>/dev/null)" 2>/dev/null)" = "$$(readlink -f "$$2")" ]; }; \
	if same php "$(SENDMAIL_PHP)" && same php-config "$(SENDMAIL_PHP_CONFIG)"; then set -- -u PHP -u PHP_CONFIG; \
	else set -- PHP="$(SENDMAIL_PHP)" PHP_CONFIG="$(SENDMAIL_PHP_CONFIG)"; fi; \
	echo "cargo build --release ($$*)"; \
	env "$$@" CARGO_TARGET_DIR="$(SENDMAIL_TARGET_DIR)" "$(CARGO)" build --release --locked --manifest-path "$(SENDMAIL_CRATE)/Cargo.toml"
	@mkdir -p modules
	cp "$(SENDMAIL_TARGET_DIR)/release/libsendmail.so" modules/sendmail.so

clean: sendmail-clean
sendmail-clean:
	rm -f modules/sendmail.so
