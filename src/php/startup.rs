//! Work that must wait until the classes are registered: the legacy names (`sendmail.aliases`),
//! PHP's parameter rules, object creation, tentative return types and `#[\SensitiveParameter]`. ext-php-rs has no hook
//! after class registration, so this runs as the builder hook of the class registered last,
//! `SendMail\Receipt`, whose own methods take no arguments (see the order in `get_module`).

use ext_php_rs::{builders::ClassBuilder, class::RegisteredClass, ffi::zend_class_entry};

use super::{
    args,
    compat::{self, Smtp},
    legacy_names, objects,
    send_mail::SendMail,
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
    allow_serialization::<super::message::Message>();
    objects::install::<SendMail>();
    objects::install::<Smtp>();
    compat::install_handlers();
    for method in ["send", "do_command", "show_debug"] {
        zapi::make_return_type_tentative(send_mail_ce, method);
    }
    zapi::mark_sensitive_parameter(send_mail_ce, "setauth", 1);
    zapi::mark_sensitive_parameter(send_mail_ce, "setdkim", 2);
    // The certificate too: one PEM text may hold the key beside it, or the key may be passed
    // in its place by mistake.
    zapi::mark_sensitive_parameter(send_mail_ce, "setclientcertificate", 0);
    zapi::mark_sensitive_parameter(send_mail_ce, "setclientcertificate", 1);
    zapi::mark_sensitive_parameter(smtp_ce, "__construct", 4);
    legacy_names::install(send_mail_ce, smtp_ce);
    super::gc::install();
    install_argument_rules(send_mail_ce, smtp_ce);
    builder
}

/// Clears `ZEND_ACC_NOT_SERIALIZABLE`, which ext-php-rs sets on every class: a class with its
/// own `__serialize()`/`__unserialize()` (`SendMail\Message`) travels through queues.
fn allow_serialization<T: RegisteredClass>() {
    let meta = T::get_metadata();
    if meta.has_ce() {
        let ce = std::ptr::from_ref(meta.ce()).cast_mut();
        // SAFETY: startup is single-threaded and no request uses the class entry yet.
        unsafe { (*ce).ce_flags &= !ext_php_rs::ffi::ZEND_ACC_NOT_SERIALIZABLE };
    }
}

/// PHP's parameter rules (`args`) on every method of every class of the extension, and on
/// `SendMail\mail()`.
fn install_argument_rules(send_mail_ce: *mut zend_class_entry, smtp_ce: *mut zend_class_entry) {
    use super::{exception::*, message::Message};
    fn ce<T: RegisteredClass>() -> Option<*mut zend_class_entry> {
        let meta = T::get_metadata();
        meta.has_ce().then(|| std::ptr::from_ref(meta.ce()).cast_mut())
    }
    let classes = [
        Some(send_mail_ce),
        Some(smtp_ce),
        ce::<Message>(),
        ce::<SmtpException>(),
        ce::<ConnectException>(),
        ce::<TlsException>(),
        ce::<AuthException>(),
        ce::<RecipientException>(),
        ce::<ProtocolException>(),
        ce::<TimeoutException>(),
        ce::<InvalidInputException>(),
    ];
    let mut functions: Vec<_> = classes.into_iter().flatten().flat_map(args::declared_methods).collect();
    let mail = args::global_function("sendmail\\mail");
    if let Some(mail) = mail {
        // `array|string $additional_headers = []`, as PHP's mail() declares it.
        args::declare_union(mail, 3, args::ARRAY | args::STRING);
        args::declare_default(mail, 3, c"[]");
    }
    functions.extend(mail);
    if let Some(send_raw) = args::method(send_mail_ce, "sendraw") {
        args::declare_union(send_raw, 2, args::ARRAY | args::STRING);
    }
    if let Some(set_dkim) = args::method(send_mail_ce, "setdkim") {
        // `array $options = []`.
        args::declare_union(set_dkim, 3, args::ARRAY);
        args::declare_default(set_dkim, 3, c"[]");
    }
    if let (Some(set_auth), Some(closure)) = (args::method(send_mail_ce, "setauth"), zapi::closure_ce()) {
        // `string|Closure $password`: a password, or a closure that gives one per login.
        args::declare_union_with_class(set_auth, 1, closure, args::STRING);
    }
    if let Some(do_command) = args::method(send_mail_ce, "do_command") {
        args::declare_union(do_command, 1, args::STRING | args::LONG);
    }
    if let Some(constructor) = args::method(smtp_ce, "__construct") {
        // `bool|string $auth = false`: a string there that is no boolean word is the user of
        // the user-first layout.
        args::declare_union(constructor, 2, args::BOOL | args::STRING);
        args::declare_default(constructor, 2, c"false");
    }
    // SAFETY: module startup, single-threaded; the functions are the extension's own.
    unsafe { args::install(&functions) };
}
