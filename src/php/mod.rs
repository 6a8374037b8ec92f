//! The PHP binding: classes, ini settings, global aliases, and the module entry. No protocol
//! logic here.

mod args;
mod batch;
mod compat;
mod config;
mod debug;
mod dkim;
mod exception;
mod gc;
mod legacy_names;
mod login;
mod loose;
mod mail;
mod mailer;
mod message;
mod objects;
mod probe;
mod receipt;
mod send_mail;
mod startup;
mod zapi;

use ext_php_rs::{
    binary_slice::BinarySlice,
    flags::IniEntryPermission,
    info_table_end, info_table_header, info_table_row, info_table_start,
    prelude::*,
    types::Zval,
    zend::{IniEntryDef, IniEntryDefs, ModuleEntry},
};

pub use send_mail::SendMail;

/// Every change of a setting is taken: the values are read where they are used (config.rs)
/// and checked there. PHP puts a setting back for `ini_restore()` only when it has such a
/// handler: without one, `ini_restore()` left the script's value in place.
unsafe extern "C" fn accept_change(
    _entry: *mut ext_php_rs::ffi::zend_ini_entry,
    _new_value: *mut ext_php_rs::ffi::zend_string,
    _mh_arg1: *mut std::ffi::c_void,
    _mh_arg2: *mut std::ffi::c_void,
    _mh_arg3: *mut std::ffi::c_void,
    _stage: std::ffi::c_int,
) -> std::ffi::c_int {
    0
}

/// One ini setting, with [`accept_change`] as its handler.
const fn setting(
    name: &'static std::ffi::CStr,
    default: &'static std::ffi::CStr,
    permission: IniEntryPermission,
) -> IniEntryDef {
    let mut entry = IniEntryDef::new(name, default, permission);
    entry.on_modify = Some(accept_change);
    entry
}

/// The ini settings (`php --ri sendmail`).
static INI_ENTRIES: IniEntryDefs<19> = IniEntryDefs::new([
    // The server when a script gives none: a host, host:port, a URL or a failover list.
    setting(c"sendmail.host", c"", IniEntryPermission::All),
    setting(c"sendmail.port", c"25", IniEntryPermission::All),
    setting(c"sendmail.user", c"", IniEntryPermission::All),
    setting(c"sendmail.password", c"", IniEntryPermission::All),
    // auto | required | implicit | off
    setting(c"sendmail.tls", c"auto", IniEntryPermission::All),
    // Seconds; empty uses default_socket_timeout.
    setting(c"sendmail.timeout", c"", IniEntryPermission::All),
    // The default sender of SendMail\mail().
    setting(c"sendmail.from", c"", IniEntryPermission::All),
    setting(c"sendmail.helo", c"", IniEntryPermission::All),
    // A URL (smtp://user:pass@host:port?tls=…) that overrides host, port, user, password and tls.
    setting(c"sendmail.dsn", c"", IniEntryPermission::All),
    // Global class aliases registered at startup: send_mail → SendMail, SMTP → SendMail\Compat\Smtp.
    setting(c"sendmail.aliases", c"send_mail", IniEntryPermission::System),
    // A PEM file of trusted CAs used instead of the system store (a private CA), unless setCaFile() says otherwise.
    setting(c"sendmail.cafile", c"", IniEntryPermission::All),
    // DKIM signing of every message (RFC 6376): the signing domain (d=), the selector (s=) and the
    // private key, as PEM text or the path of a PEM file, unless setDkim() says otherwise.
    setting(c"sendmail.dkim_domain", c"", IniEntryPermission::All),
    setting(c"sendmail.dkim_selector", c"", IniEntryPermission::All),
    setting(c"sendmail.dkim_key", c"", IniEntryPermission::All),
    // Keep connections open across the requests of a PHP process (an FPM worker), unless a
    // script says otherwise; at most max_persistent of them (the idlest one is closed for a new one).
    setting(c"sendmail.persistent", c"0", IniEntryPermission::All),
    setting(c"sendmail.max_persistent", c"16", IniEntryPermission::System),
    // Mutual TLS: the client certificate (chain) and its private key, each as PEM text or the
    // path of a PEM file, unless setClientCertificate() says otherwise; both or neither.
    setting(c"sendmail.client_cert", c"", IniEntryPermission::All),
    setting(c"sendmail.client_key", c"", IniEntryPermission::All),
    IniEntryDef::end(),
]);

/// Module startup: registers the ini settings (before the classes, which read them).
pub extern "C" fn startup(_ty: i32, module_number: i32) -> i32 {
    IniEntryDef::register(INI_ENTRIES.as_slice(), module_number);
    0
}

/// Module shutdown (the end of the process: a CLI script, an FPM worker): QUIT to each
/// persistent connection. Runs no PHP code and never panics (a panic here would abort).
extern "C" fn shutdown(_ty: i32, _module_number: i32) -> i32 {
    let _ = std::panic::catch_unwind(|| crate::client::pool::close(None, &mut ()));
    0
}

/// `phpinfo()` / `php --ri sendmail`.
extern "C" fn module_info(_module: *mut ModuleEntry) {
    info_table_start!();
    info_table_row!("sendmail support", "enabled");
    info_table_row!("version", env!("CARGO_PKG_VERSION"));
    info_table_row!("TLS", "rustls (ring)");
    info_table_row!("persistent connections", crate::client::pool::len().to_string());
    info_table_end!();
    // The directives, as DISPLAY_INI_ENTRIES() shows them, but with the password masked.
    info_table_start!();
    info_table_header!("Directive", "Local Value", "Master Value");
    for name in INI_NAMES {
        let shown = |value: Option<String>| match value.as_deref() {
            None | Some("") => "no value".to_owned(),
            Some(_) if name == "sendmail.password" => "********".to_owned(),
            // Only an absolute path is shown: anything else may be a key.
            Some(v) if KEYS.contains(&name) && !v.starts_with('/') => "********".to_owned(),
            Some(v) if KEYS.contains(&name) && crate::client::signing::is_pem_text(v.as_bytes()) => {
                "********".to_owned()
            }
            Some(v) if name == "sendmail.dsn" => crate::client::redact(v),
            Some(v) => v.to_owned(),
        };
        info_table_row!(name, shown(zapi::ini_string(name)), shown(zapi::ini_master_string(name)));
    }
    info_table_end!();
}

/// The directives that may hold a private key (or its path; a certificate's PEM text may carry
/// its key too): shown only as an absolute path.
const KEYS: [&str; 3] = ["sendmail.dkim_key", "sendmail.client_cert", "sendmail.client_key"];

/// The directives shown in `phpinfo()`, in the order of `INI_ENTRIES`.
const INI_NAMES: [&str; 18] = [
    "sendmail.host",
    "sendmail.port",
    "sendmail.user",
    "sendmail.password",
    "sendmail.tls",
    "sendmail.timeout",
    "sendmail.from",
    "sendmail.helo",
    "sendmail.dsn",
    "sendmail.aliases",
    "sendmail.cafile",
    "sendmail.dkim_domain",
    "sendmail.dkim_selector",
    "sendmail.dkim_key",
    "sendmail.persistent",
    "sendmail.max_persistent",
    "sendmail.client_cert",
    "sendmail.client_key",
];

/// Sends a message as PHP's `mail()` does, through the php.ini server: `$to` a comma-separated
/// list, headers as a string or an array, `-f sender` in `$additional_params`, `sendmail.from`
/// as the default sender. Returns false with an E_WARNING that says why.
#[php_function]
#[php(name = "SendMail\\mail")]
#[php(defaults(additional_params = "String::new()"))]
pub fn mail(
    to: BinarySlice<u8>,
    subject: BinarySlice<u8>,
    message: BinarySlice<u8>,
    additional_headers: Option<&Zval>,
    additional_params: String,
) -> bool {
    mail::run(&to, &subject, &message, additional_headers, &additional_params)
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
        .class::<exception::SmtpException>()
        .class::<exception::ConnectException>()
        .class::<exception::TlsException>()
        .class::<exception::AuthException>()
        .class::<exception::RecipientException>()
        .class::<exception::ProtocolException>()
        .class::<exception::TimeoutException>()
        .class::<exception::InvalidInputException>()
        // Registered last: its builder hook finishes every class above (startup.rs).
        .class::<receipt::Receipt>()
        .function(wrap_function!(mail))
        .info_function(module_info)
        .shutdown_function(shutdown)
}
