//! Work that must wait until the classes are registered: global aliases (`sendmail.aliases`),
//! object creation, tentative return types and `#[\SensitiveParameter]`. ext-php-rs has no hook
//! after class registration, so this runs as the builder hook of the class registered last (see
//! the order in `get_module`).

use ext_php_rs::{builders::ClassBuilder, class::RegisteredClass, ffi::zend_class_entry};

use super::{
    compat::Smtp,
    send_mail::{self, SendMail},
    zapi,
};

/// Finishes the classes once they are registered.
pub fn finish_startup(builder: ClassBuilder) -> ClassBuilder {
    let (send_mail, smtp) = (SendMail::get_metadata(), Smtp::get_metadata());
    // Stub generation runs this hook outside PHP, where no class entry exists.
    if !send_mail.has_ce() || !smtp.has_ce() {
        return builder;
    }
    let send_mail_ce = std::ptr::from_ref(send_mail.ce()).cast_mut();
    let smtp_ce = std::ptr::from_ref(smtp.ce()).cast_mut();
    // SAFETY: `SendMail` is registered and its persistent class entry is not in use by any
    // request yet: startup runs single-threaded before the first request.
    unsafe { (*send_mail_ce).__bindgen_anon_2.create_object = Some(send_mail::create_object) };
    for method in ["send", "do_command", "show_debug"] {
        zapi::make_return_type_tentative(send_mail_ce, method);
    }
    zapi::mark_sensitive_parameter(send_mail_ce, "setauth", 1);
    zapi::mark_sensitive_parameter(smtp_ce, "__construct", 4);
    register_aliases(send_mail_ce, smtp_ce);
    super::gc::install();
    builder
}

/// `sendmail.aliases`: a comma-separated list of `send_mail` and `SMTP` (case-insensitive).
fn register_aliases(send_mail: *mut zend_class_entry, smtp: *mut zend_class_entry) {
    let setting = zapi::ini_string("sendmail.aliases").unwrap_or_else(|| "send_mail".into());
    for name in setting.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match name.to_ascii_lowercase().as_str() {
            "send_mail" => zapi::register_class_alias("send_mail", send_mail),
            "smtp" => zapi::register_class_alias("SMTP", smtp),
            _ => false,
        };
    }
}
