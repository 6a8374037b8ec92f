//! `SendMail\Exception`, the base of the extension's exceptions (extends `\RuntimeException`).

use ext_php_rs::{builders::ClassBuilder, class::RegisteredClass, prelude::*, zend::ClassEntry};

use super::{
    send_mail::{self, SendMail},
    zapi, ALIASES,
};

/// The parent class: `\RuntimeException`, or `\Exception` should SPL's symbol be missing.
fn runtime_exception() -> &'static ClassEntry {
    zapi::runtime_exception_ce().unwrap_or_else(ext_php_rs::zend::ce::exception)
}

/// An SMTP failure: the reply code (also `getCode()`), the enhanced code, the stage and the reply.
#[php_class]
#[php(name = "SendMail\\Exception")]
#[php(extends(ce = runtime_exception, stub = "\\RuntimeException"))]
#[php(modifier = finish_startup)]
#[derive(Debug, Default)]
pub struct SmtpException {
    smtp_code: i64,
    enhanced_code: Option<String>,
    stage: String,
    reply: String,
}

#[php_impl]
impl SmtpException {
    /// The SMTP reply code, 0 when there was no reply.
    pub fn get_smtp_code(&self) -> i64 {
        self.smtp_code
    }

    /// The RFC 3463 enhanced status code (`5.7.8`), if the server gave one.
    pub fn get_enhanced_code(&self) -> Option<String> {
        self.enhanced_code.clone()
    }

    /// Where it failed: connect, tls, greeting, ehlo, auth, mail, rcpt, data, quit or input.
    pub fn get_stage(&self) -> String {
        self.stage.clone()
    }

    /// The server's reply, all lines.
    pub fn get_reply(&self) -> String {
        self.reply.clone()
    }
}

/// Finishes `SendMail` once it is registered: global aliases, object creation that works for
/// userland subclasses, and tentative return types on the methods legacy subclasses override.
/// Runs at startup as this class's builder hook, because ext-php-rs offers no later one.
fn finish_startup(builder: ClassBuilder) -> ClassBuilder {
    let meta = SendMail::get_metadata();
    // Stub generation runs this hook outside PHP, where no class entry exists.
    if !meta.has_ce() {
        return builder;
    }
    let ce = std::ptr::from_ref(meta.ce()).cast_mut();
    // SAFETY: `SendMail` is registered and its persistent class entry is not in use by any
    // request yet: startup runs single-threaded before the first request.
    unsafe { (*ce).__bindgen_anon_2.create_object = Some(send_mail::create_object) };
    for method in ["send", "do_command", "show_debug"] {
        zapi::make_return_type_tentative(ce, method);
    }
    for alias in ALIASES {
        zapi::register_class_alias(alias, ce);
    }
    builder
}
