dnl The sendmail extension is Rust (ext-php-rs). In this folder (composer.json's php-ext
dnl build-path), `phpize && ./configure && make && make install` builds the crate one folder
dnl up with cargo, against the PHP that this phpize and php-config belong to, and puts
dnl modules/sendmail.so where PHP's build system (and PIE) expect it. `make install` copies
dnl that file; it does not build again.

PHP_ARG_ENABLE([sendmail],
  [whether to enable the sendmail extension],
  [AS_HELP_STRING([--enable-sendmail], [Enable the sendmail SMTP client extension])],
  [yes])

PHP_ARG_WITH([cargo],
  [for the cargo command],
  [AS_HELP_STRING([--with-cargo=PATH], [cargo to build with (default: cargo on PATH, or ~/.cargo/bin/cargo)])],
  [yes], [no])

if test "$PHP_SENDMAIL" != "no"; then
  dnl cargo: as given, on PATH, or rustup's default place.
  if test "$PHP_CARGO" != "yes" && test "$PHP_CARGO" != "no"; then
    CARGO="$PHP_CARGO"
  else
    AC_PATH_PROG([CARGO], [cargo], [], [$PATH:$HOME/.cargo/bin])
  fi
  if test -z "$CARGO" || ! test -x "$CARGO"; then
    AC_MSG_ERROR([cargo not found: the sendmail extension is written in Rust. Install the Rust toolchain (https://rustup.rs, rustc 1.85 or newer), or give its cargo with --with-cargo=/path/to/cargo])
  fi
  AC_MSG_CHECKING([the cargo version])
  CARGO_VERSION=`"$CARGO" --version 2>/dev/null | cut -d' ' -f2`
  AC_MSG_RESULT([${CARGO_VERSION:-unknown}])

  dnl ext-php-rs generates its bindings with bindgen, which loads libclang.
  AC_MSG_CHECKING([for libclang (bindgen)])
  LIBCLANG_FOUND=""
  if test -n "$LIBCLANG_PATH" && ls "$LIBCLANG_PATH"/libclang*.so* >/dev/null 2>&1; then
    LIBCLANG_FOUND="$LIBCLANG_PATH"
  else
    for dir in /usr/lib/llvm-*/lib /usr/lib64 /usr/lib /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/local/lib /opt/homebrew/opt/llvm/lib /usr/local/opt/llvm/lib; do
      if ls $dir/libclang*.so* >/dev/null 2>&1 || ls $dir/libclang*.dylib >/dev/null 2>&1; then
        LIBCLANG_FOUND="$dir"
        break
      fi
    done
  fi
  if test -z "$LIBCLANG_FOUND"; then
    AC_MSG_RESULT([no])
    AC_MSG_ERROR([libclang not found: install it (Debian/Ubuntu: apt install libclang-dev clang; Alpine: apk add clang-dev; macOS: brew install llvm) or set LIBCLANG_PATH to the folder that holds libclang])
  fi
  AC_MSG_RESULT([$LIBCLANG_FOUND])

  dnl The PHP binary of this php-config: ext-php-rs reads its API version, ZTS and debug flags.
  SENDMAIL_PHP=`$PHP_CONFIG --php-binary 2>/dev/null`
  if test -z "$SENDMAIL_PHP" || ! test -x "$SENDMAIL_PHP"; then
    AC_MSG_ERROR([$PHP_CONFIG names no PHP binary (php-config --php-binary)])
  fi
  SENDMAIL_PHP_CONFIG=`command -v "$PHP_CONFIG"`

  PHP_SUBST(CARGO)
  PHP_SUBST(SENDMAIL_PHP)
  PHP_SUBST(SENDMAIL_PHP_CONFIG)
  dnl No C sources: the module is cargo's, and the modules target is ours (Makefile.frag).
  PHP_MODULES="modules/sendmail.so"
  PHP_SUBST(PHP_MODULES)
  PHP_ADD_MAKEFILE_FRAGMENT([$abs_srcdir/Makefile.frag], [$abs_srcdir], [$abs_builddir])
fi
