//! Work that must wait until `SendMail` is registered: global aliases, object creation, and
//! tentative return types. ext-php-rs has no hook after class registration, so this runs as the
//! builder hook of the class registered right after `SendMail` (see the order in `get_module`).

use ext_php_rs::{builders::ClassBuilder, class::RegisteredClass};

use super::{
    send_mail::{self, SendMail},
    zapi, ALIASES,
};

/// Finishes `SendMail` once it is registered: global aliases, object creation that works for
/// userland subclasses, and tentative return types on the methods legacy subclasses override.
pub fn finish_startup(builder: ClassBuilder) -> ClassBuilder {
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
