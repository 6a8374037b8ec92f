//! `SendMail\Exception`, the base of the extension's exceptions (extends `\RuntimeException`).

use ext_php_rs::{prelude::*, zend::ClassEntry};

use super::{startup::finish_startup, zapi};

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
