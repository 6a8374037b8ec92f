//! `$pass` is a public property (scripts and subclasses write it, and pass it on to the
//! parent constructor), but it must not show where objects are displayed: `var_dump()`,
//! `print_r()`, `var_export()` and `json_encode()` see `********` instead of a password.
//! `get_object_vars()`, `(array)` and the property itself still give the value.

use std::{ffi::c_void, sync::OnceLock};

use ext_php_rs::{
    class::RegisteredClass,
    ffi::{zend_array_destroy, zend_array_dup, zend_object, zend_object_handlers, zend_prop_purpose, HashTable},
    types::ZendHashTable,
};

use super::{super::zapi, Smtp};

/// `ZEND_PROP_PURPOSE_DEBUG`, `_VAR_EXPORT` and `_JSON` (`zend_object_handlers.h`, PHP 7.4-8.5).
const SHOWN: [zend_prop_purpose; 3] = [0, 3, 4];
/// `GC_IMMUTABLE` (`zend_types.h`): a table that is never freed.
const GC_IMMUTABLE: u32 = 1 << 6;

type StdPropertiesFor = unsafe extern "C" fn(*mut zend_object, zend_prop_purpose) -> *mut HashTable;

fn std_properties_for() -> Option<StdPropertiesFor> {
    static STD: OnceLock<Option<StdPropertiesFor>> = OnceLock::new();
    *STD.get_or_init(|| {
        let symbol = zapi::symbol(c"zend_std_get_properties_for");
        // SAFETY: PHP's `HashTable *zend_std_get_properties_for(zend_object *obj,
        // zend_prop_purpose purpose)` (PHP 7.4-8.5).
        (!symbol.is_null()).then(|| unsafe { std::mem::transmute::<*mut c_void, StdPropertiesFor>(symbol) })
    })
}

/// Installs the masking handler on the handlers every `Smtp` object shares.
pub fn install_handlers() {
    if std_properties_for().is_none() || !Smtp::get_metadata().has_ce() {
        return;
    }
    let handlers: *const zend_object_handlers = Smtp::get_metadata().handlers();
    // SAFETY: module startup, single-threaded, before any object exists; the table lives for
    // the whole process and the engine only reads it.
    unsafe { (*handlers.cast_mut()).get_properties_for = Some(properties_for) };
}

/// The properties for display: a copy with `pass` masked when it holds a password.
unsafe extern "C" fn properties_for(object: *mut zend_object, purpose: zend_prop_purpose) -> *mut HashTable {
    let Some(std) = std_properties_for() else { return std::ptr::null_mut() };
    // SAFETY: the engine calls this with a live object; the standard handler returns the
    // property table with a reference added for the caller (or null).
    unsafe {
        let table = std(object, purpose);
        if table.is_null() || !SHOWN.contains(&purpose) {
            return table;
        }
        let shown = &*table.cast::<ZendHashTable>();
        if shown.get("pass").and_then(|v| v.str()).is_none_or(str::is_empty) && !has_binary_pass(shown) {
            return table;
        }
        let copy = zend_array_dup(table);
        release(table);
        if let Some(copy) = copy.cast::<ZendHashTable>().as_mut() {
            let _ = copy.insert("pass", "********");
        }
        copy
    }
}

/// A password of bytes that are not UTF-8 (`str()` gives none for them).
fn has_binary_pass(table: &ZendHashTable) -> bool {
    table.get("pass").and_then(|v| v.zend_str()).is_some_and(|s| !s.is_empty())
}

/// `zend_release_properties()`: drops the reference the standard handler added.
unsafe fn release(table: *mut HashTable) {
    // SAFETY: a live table with a reference owned by us.
    unsafe {
        if (*table).gc.u.type_info & (GC_IMMUTABLE << 4) != 0 {
            return;
        }
        (*table).gc.refcount -= 1;
        if (*table).gc.refcount == 0 {
            zend_array_destroy(table);
        }
    }
}
