//! The legacy global class names of `sendmail.aliases` (`send_mail` → `SendMail`, `SMTP` →
//! `SendMail\Compat\Smtp`), bound only when nothing else provides them.
//!
//! Registering the names at startup would make every script that still declares its own
//! `class send_mail`, and every application that autoloads PHPMailer 5's `SMTP`, die with
//! "Cannot declare class". Instead the engine's autoload hook (`zend_autoload`, which SPL
//! sets to run the registered autoloaders) is wrapped: when a legacy name is looked up, the
//! autoloaders run first; only when none of them defined the class is the name bound to the
//! extension's class, for the rest of the request. A script that declares the class itself
//! never reaches the hook, so it keeps its own.

use std::sync::RwLock;

use ext_php_rs::{
    ffi::{zend_class_entry, zend_string},
    types::ZendStr,
    zend::ExecutorGlobals,
};

use super::zapi;

type Autoload = unsafe extern "C" fn(*mut zend_string, *mut zend_string) -> *mut zend_class_entry;

/// The names to bind (lower case, as PHP looks classes up) and their classes.
struct Names {
    names: Vec<(String, String, usize)>,
    /// The hook that was there before (SPL's autoloader runner).
    previous: Option<Autoload>,
}

/// Set anew at each module startup (a SAPI may start the module again, with new classes).
static NAMES: RwLock<Option<Names>> = RwLock::new(None);

/// Reads `sendmail.aliases` (a comma-separated list of `send_mail` and `SMTP`,
/// case-insensitive) and wraps the autoload hook, at module startup.
pub fn install(send_mail: *mut zend_class_entry, smtp: *mut zend_class_entry) {
    let setting = zapi::ini_string("sendmail.aliases").unwrap_or_else(|| "send_mail".into());
    let mut names = Vec::new();
    for name in setting.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let (declared, ce) = match name.to_ascii_lowercase().as_str() {
            "send_mail" => ("send_mail", send_mail),
            "smtp" => ("SMTP", smtp),
            _ => continue,
        };
        if !names.iter().any(|(lower, _, _)| lower == &declared.to_ascii_lowercase()) {
            names.push((declared.to_ascii_lowercase(), declared.to_owned(), ce as usize));
        }
    }
    let hook = zapi::symbol(c"zend_autoload").cast::<Option<Autoload>>();
    let Ok(mut current) = NAMES.write() else { return };
    if hook.is_null() || names.is_empty() {
        *current = None;
        return;
    }
    // SAFETY: `zend_autoload` is the engine's `zend_class_entry *(*)(zend_string *, zend_string *)`
    // variable (PHP 8.0-8.5); startup is single-threaded and no request runs yet.
    let installed = unsafe { *hook };
    // Started again in the same process: the hook is still ours, wrapping the same one as before.
    let previous = match installed {
        Some(hook) if std::ptr::fn_addr_eq(hook, autoload as Autoload) => current.as_ref().and_then(|n| n.previous),
        other => other,
    };
    *current = Some(Names { names, previous });
    // SAFETY: as above.
    unsafe { *hook = Some(autoload) };
}

/// The wrapped hook: the autoloaders first, then the legacy names.
unsafe extern "C" fn autoload(name: *mut zend_string, lc_name: *mut zend_string) -> *mut zend_class_entry {
    let Some((previous, found)) = NAMES.read().ok().and_then(|names| {
        let names = names.as_ref()?;
        // SAFETY: the engine passes a valid lower-case name, alive during the call.
        let lower = unsafe { lc_name.cast::<ZendStr>().as_ref() }?.as_str().ok()?;
        let found = names.names.iter().find(|(l, _, _)| l == lower).map(|(_, d, ce)| (d.clone(), *ce));
        Some((names.previous, found))
    }) else {
        return std::ptr::null_mut();
    };
    if let Some(previous) = previous {
        // SAFETY: called by the engine with its own arguments, passed on unchanged.
        let found = unsafe { previous(name, lc_name) };
        if !found.is_null() || ExecutorGlobals::has_exception() {
            return found;
        }
    }
    let Some((declared, ce)) = found else { return std::ptr::null_mut() };
    let ce = ce as *mut zend_class_entry;
    if zapi::register_class_alias(&declared, ce, false) {
        ce
    } else {
        std::ptr::null_mut()
    }
}
