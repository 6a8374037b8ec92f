//! The PHP binding: classes, the `send_mail` alias, and the module entry. No protocol logic here.

mod debug;
mod exception;
mod loose;
mod mailer;
mod send_mail;
mod startup;
mod zapi;

use ext_php_rs::{info_table_end, info_table_row, info_table_start, prelude::*, zend::ModuleEntry};

pub use send_mail::SendMail;

/// Global aliases of `SendMail`, registered at startup.
const ALIASES: &[&str] = &["send_mail"];

/// `phpinfo()` / `php --ri sendmail`.
extern "C" fn module_info(_module: *mut ModuleEntry) {
    info_table_start!();
    info_table_row!("sendmail support", "enabled");
    info_table_row!("version", env!("CARGO_PKG_VERSION"));
    info_table_row!("class aliases", "send_mail");
    info_table_end!();
}

#[php_module]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    module
        .name("sendmail")
        .version(env!("CARGO_PKG_VERSION"))
        .class::<SendMail>()
        // Registered after SendMail: its builder hook finishes SendMail (startup.rs).
        .class::<exception::SmtpException>()
        .info_function(module_info)
}
