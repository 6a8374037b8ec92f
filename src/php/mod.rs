//! The PHP binding: classes, ini settings, global aliases, and the module entry. No protocol
//! logic here.

mod compat;
mod debug;
mod exception;
mod loose;
mod mailer;
mod message;
mod receipt;
mod send_mail;
mod startup;
mod zapi;

use ext_php_rs::{
    flags::IniEntryPermission,
    info_table_end, info_table_row, info_table_start,
    prelude::*,
    zend::{IniEntryDef, IniEntryDefs, ModuleEntry},
};

pub use send_mail::SendMail;

/// The ini settings (`php --ri sendmail`).
static INI_ENTRIES: IniEntryDefs<3> = IniEntryDefs::new([
    // Global class aliases registered at startup: send_mail → SendMail, SMTP → SendMail\Compat\Smtp.
    IniEntryDef::new(c"sendmail.aliases", c"send_mail", IniEntryPermission::System),
    // A PEM file of trusted CAs used instead of the system store (a private CA), unless setCaFile() says otherwise.
    IniEntryDef::new(c"sendmail.cafile", c"", IniEntryPermission::All),
    IniEntryDef::end(),
]);

/// Module startup: registers the ini settings (before the classes, which read them).
pub extern "C" fn startup(_ty: i32, module_number: i32) -> i32 {
    IniEntryDef::register(INI_ENTRIES.as_slice(), module_number);
    0
}

/// `phpinfo()` / `php --ri sendmail`.
extern "C" fn module_info(module: *mut ModuleEntry) {
    info_table_start!();
    info_table_row!("sendmail support", "enabled");
    info_table_row!("version", env!("CARGO_PKG_VERSION"));
    info_table_row!("TLS", "rustls (ring)");
    info_table_end!();
    zapi::display_ini_entries(module);
}

#[php_module]
#[php(startup = "startup")]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    module
        .name("sendmail")
        .version(env!("CARGO_PKG_VERSION"))
        .class::<SendMail>()
        .class::<compat::Smtp>()
        .class::<message::Message>()
        .class::<receipt::Receipt>()
        // Registered after the classes it finishes: its builder hook runs startup.rs.
        .class::<exception::SmtpException>()
        .class::<exception::ConnectException>()
        .class::<exception::TlsException>()
        .class::<exception::AuthException>()
        .class::<exception::RecipientException>()
        .class::<exception::ProtocolException>()
        .class::<exception::TimeoutException>()
        .class::<exception::InvalidInputException>()
        .info_function(module_info)
}
