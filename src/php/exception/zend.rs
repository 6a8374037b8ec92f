//! What `zend_default_exception_new` and `Exception::__construct` do to a new exception, for
//! the extension's exception objects: ext-php-rs gives every `#[php_class]` its own
//! `create_object`, so the engine's never runs and `file`, `line` and `trace` stay empty unless
//! filled here. The Zend calls that ext-php-rs does not bind are resolved with `dlsym`, so the
//! extension keeps no undefined symbols of its own (stub generation loads it outside PHP).

use std::{
    ffi::{c_char, c_int, c_void, CStr},
    sync::OnceLock,
};

use ext_php_rs::{
    ffi::{zend_class_entry, zend_object, zend_read_property, zval, ZEND_ACC_CTOR},
    types::{ZendObject, Zval},
    zend::{ce, ExecuteData, ExecutorGlobals},
};

/// `DEBUG_BACKTRACE_IGNORE_ARGS` of `zend_builtin_functions.h` (PHP 5.3-8.5).
const DEBUG_BACKTRACE_IGNORE_ARGS: c_int = 2;

type UpdateProperty = unsafe extern "C" fn(*mut zend_class_entry, *mut zend_object, *const c_char, usize, *mut zval);
type ExecutedFilename = unsafe extern "C" fn() -> *const c_char;
type ExecutedLineno = unsafe extern "C" fn() -> u32;
type FetchBacktrace = unsafe extern "C" fn(*mut zval, c_int, c_int, c_int);

/// The Zend functions used here, resolved once.
#[derive(Clone, Copy)]
struct Api {
    update_property: UpdateProperty,
    executed_filename: ExecutedFilename,
    executed_lineno: ExecutedLineno,
    fetch_backtrace: FetchBacktrace,
}

fn lookup(name: &CStr) -> Option<*mut c_void> {
    let symbol = super::super::zapi::symbol(name);
    (!symbol.is_null()).then_some(symbol)
}

/// The functions, or `None` outside PHP (where nothing here is ever called).
fn api() -> Option<Api> {
    static API: OnceLock<Option<Api>> = OnceLock::new();
    *API.get_or_init(|| {
        let update = lookup(c"zend_update_property")?;
        let filename = lookup(c"zend_get_executed_filename")?;
        let lineno = lookup(c"zend_get_executed_lineno")?;
        let backtrace = lookup(c"zend_fetch_debug_backtrace")?;
        // SAFETY: the symbols are PHP's (8.1-8.5, `zend_API.h`, `zend_execute.h`,
        // `zend_builtin_functions.h`):
        // `void zend_update_property(zend_class_entry *scope, zend_object *object, const char *name, size_t name_length, zval *value)`,
        // `const char *zend_get_executed_filename(void)`, `uint32_t zend_get_executed_lineno(void)`,
        // `void zend_fetch_debug_backtrace(zval *return_value, int skip_last, int options, int limit)`.
        unsafe {
            Some(Api {
                update_property: std::mem::transmute::<*mut c_void, UpdateProperty>(update),
                executed_filename: std::mem::transmute::<*mut c_void, ExecutedFilename>(filename),
                executed_lineno: std::mem::transmute::<*mut c_void, ExecutedLineno>(lineno),
                fetch_backtrace: std::mem::transmute::<*mut c_void, FetchBacktrace>(backtrace),
            })
        }
    })
}

/// Writes one of `\Exception`'s properties (`message`, `code`, `file`, `line`, `trace`,
/// `previous`; some are private) with `\Exception` as the scope, as the engine does.
pub fn set_exception_property(object: &mut ZendObject, name: &str, value: &mut Zval) {
    let Some(api) = api() else {
        return;
    };
    let scope = std::ptr::from_ref(ce::exception()).cast_mut();
    // SAFETY: `object` is a live exception object (its class extends `\Exception`, which declares
    // the property); the name is a valid buffer of the given length, copied by the engine, and
    // `value` is a valid zval that the engine copies (adding a reference).
    unsafe {
        (api.update_property)(
            scope,
            std::ptr::from_mut(object),
            name.as_ptr().cast(),
            name.len(),
            std::ptr::from_mut(value),
        );
    }
}

/// Sets `file`, `line` and `trace` as `zend_default_exception_new` does when the engine creates
/// an exception while `frame` runs: the file and line of the nearest user code at or below
/// `frame`, and the backtrace from `frame` down.
///
/// `frame` is the current frame (a Rust function throwing, the trace then starts with the
/// internal method, as for PHP's own exceptions), or one below it (see [`construction_frame`]).
pub fn fill_location(object: &mut ZendObject, frame: *mut ExecuteData) {
    let Some(api) = api() else {
        return;
    };
    let ignore_args = ExecutorGlobals::get().exception_ignore_args;
    let current = ExecutorGlobals::get().current_execute_data;
    if frame != current {
        ExecutorGlobals::get_mut().current_execute_data = frame;
    }
    let mut trace = Zval::new();
    // SAFETY: PHP is executing (or `frame` is null and the functions report that nothing runs);
    // `frame` is `EG(current_execute_data)` or one of the frames below it, all alive during this
    // call, so the engine walks a valid chain; the filename is a NUL-terminated string owned by
    // the engine, copied before anything else runs.
    let (file, line) = unsafe {
        let file = (api.executed_filename)();
        let file = if file.is_null() { String::new() } else { CStr::from_ptr(file).to_string_lossy().into_owned() };
        let line = (api.executed_lineno)();
        if !frame.is_null() {
            let options = if ignore_args { DEBUG_BACKTRACE_IGNORE_ARGS } else { 0 };
            (api.fetch_backtrace)(std::ptr::from_mut(&mut trace), 0, options, 0);
        }
        (file, line)
    };
    if frame != current {
        ExecutorGlobals::get_mut().current_execute_data = current;
    }
    if !trace.is_array() {
        // Nothing runs: an empty trace, as the engine gives.
        let _ = trace.set_array(Vec::<i64>::new());
    }
    let mut value = Zval::new();
    if value.set_string(&file, false).is_ok() {
        set_exception_property(object, "file", &mut value);
    }
    value.set_long(i64::from(line));
    set_exception_property(object, "line", &mut value);
    set_exception_property(object, "trace", &mut trace);
}

/// The frame running when the engine created `object`, seen from inside its constructor: the
/// current frame minus the constructor calls on `object` (the extension's own, and those of a
/// userland subclass that called `parent::__construct()`). `null` when PHP is not executing.
pub fn construction_frame(object: &ZendObject) -> *mut ExecuteData {
    let mut frame = ExecutorGlobals::get().current_execute_data;
    // SAFETY: the frames form a chain on the VM stack that stays valid while this constructor
    // runs; `prev_execute_data` ends it with null.
    while let Some(current) = unsafe { frame.as_ref() } {
        let on_object = current.This.object().is_some_and(|this| std::ptr::eq(this, object));
        // SAFETY: `func` of a live frame is null or points at the function it runs.
        let constructor = unsafe { current.func.as_ref() }.is_some_and(|func| {
            // SAFETY: `common` is the prefix that every kind of `zend_function` shares.
            let flags = unsafe { func.common.fn_flags };
            flags & ZEND_ACC_CTOR != 0
        });
        if !(on_object && constructor) {
            break;
        }
        frame = current.prev_execute_data;
    }
    frame
}

/// Whether `file` is still unset: the object was just created, not constructed before (PHP's
/// constructor, called again, leaves the location alone).
pub fn location_unset(object: &mut ZendObject) -> bool {
    let scope = std::ptr::from_ref(ce::exception()).cast_mut();
    let name = "file";
    let mut rv = Zval::new();
    // SAFETY: `object` is a live exception object; the name is a valid buffer of the given
    // length; `rv` outlives the call. The result is null or points at the property (or `rv`),
    // valid until the object changes, which it does not before the read below.
    let value = unsafe {
        zend_read_property(scope, std::ptr::from_mut(object), name.as_ptr().cast(), name.len(), true, &raw mut rv)
            .as_ref()
    };
    value.and_then(Zval::str).is_none_or(str::is_empty)
}
