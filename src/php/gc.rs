//! The garbage collector's view of a `SendMail` object: its properties, and the logger callable
//! and password closure kept on the Rust side. Without them a closure that holds its own
//! `SendMail` (`$m->setLogger(function () use ($m) { ... })`) would make a cycle the collector
//! cannot see, and leak.

use std::{ffi::c_int, ptr, sync::OnceLock};

use ext_php_rs::{
    class::RegisteredClass,
    ffi::{zend_get_gc_buffer, zend_object, zend_object_handlers, HashTable},
    types::{ZendClassObject, Zval},
};

use super::{login::Login, send_mail::SendMail, zapi};

type BufferCreate = unsafe extern "C" fn() -> *mut zend_get_gc_buffer;
type BufferGrow = unsafe extern "C" fn(*mut zend_get_gc_buffer);

static BUFFER: OnceLock<Option<(BufferCreate, BufferGrow)>> = OnceLock::new();

fn buffer_functions() -> Option<(BufferCreate, BufferGrow)> {
    *BUFFER.get_or_init(|| {
        let create = zapi::symbol(c"zend_get_gc_buffer_create");
        let grow = zapi::symbol(c"zend_get_gc_buffer_grow");
        if create.is_null() || grow.is_null() {
            return None;
        }
        // SAFETY: PHP's `zend_get_gc_buffer_create(void)` and `zend_get_gc_buffer_grow(buffer)`
        // (PHP 8.0 and later) have these signatures.
        unsafe {
            Some((
                std::mem::transmute::<*mut std::ffi::c_void, BufferCreate>(create),
                std::mem::transmute::<*mut std::ffi::c_void, BufferGrow>(grow),
            ))
        }
    })
}

/// Installs our `get_gc` in the handlers every `SendMail` object shares (ext-php-rs's table for
/// the class, which it also uses to recognise its objects), when PHP has the GC buffer API.
pub fn install() {
    if buffer_functions().is_none() {
        return;
    }
    let handlers: *const zend_object_handlers = SendMail::get_metadata().handlers();
    // SAFETY: module startup, single-threaded, before any object exists; the table lives for
    // the whole process and the engine only reads it.
    unsafe { (*handlers.cast_mut()).get_gc = Some(get_gc) };
}

/// What the collector may traverse: the declared properties (or the property table, which
/// holds them), as ext-php-rs's own `get_gc` reports them, the logger and the password closure.
unsafe extern "C" fn get_gc(object: *mut zend_object, table: *mut *mut Zval, n: *mut c_int) -> *mut HashTable {
    // SAFETY: the engine calls this with a live object of ours and valid out-pointers; the
    // buffer functions exist (checked before these handlers were installed).
    unsafe {
        let Some((create, grow)) = buffer_functions() else {
            *table = ptr::null_mut();
            *n = 0;
            return (*object).properties;
        };
        let buffer = create();
        let properties = (*object).properties;
        if properties.is_null() {
            let count = usize::try_from((*(*object).ce).default_properties_count).unwrap_or(0);
            let slots = (*object).properties_table.as_mut_ptr();
            for i in 0..count {
                add(buffer, grow, slots.add(i));
            }
        }
        if let Some(send_mail) = ZendClassObject::<SendMail>::from_zend_obj_mut(&mut *object) {
            if let Some(logger) = send_mail.mailer.logger.as_mut() {
                add(buffer, grow, logger.zval_mut());
            }
            if let Some((Login::Provider { provider, .. }, _)) = send_mail.mailer.auth.as_mut() {
                add(buffer, grow, provider.zval_mut());
            }
        }
        *table = (*buffer).start;
        *n = c_int::try_from((*buffer).cur.offset_from((*buffer).start)).unwrap_or(0);
        properties
    }
}

/// `zend_get_gc_buffer_add_zval`: a refcounted value goes into the buffer.
///
/// # Safety
/// `buffer` is the engine's GC buffer and `value` a valid zval.
unsafe fn add(buffer: *mut zend_get_gc_buffer, grow: BufferGrow, value: *mut Zval) {
    unsafe {
        // Z_REFCOUNTED: the IS_TYPE_REFCOUNTED flag in the type flags byte.
        if ((*value).u1.type_info >> 8) & 1 == 0 {
            return;
        }
        if (*buffer).cur == (*buffer).end {
            grow(buffer);
        }
        ptr::copy_nonoverlapping(value, (*buffer).cur, 1);
        (*buffer).cur = (*buffer).cur.add(1);
    }
}
