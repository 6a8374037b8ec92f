//! Zend API calls that ext-php-rs does not bind, resolved at run time with `dlsym`, so the
//! extension has no undefined symbols of its own (stub generation loads it outside PHP).

use std::ffi::{c_char, c_int, c_void, CStr};

use ext_php_rs::ffi::zend_class_entry;

extern "C" {
    fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
}

/// `RTLD_DEFAULT`: search the global symbol table, where the PHP binary's symbols are.
#[cfg(not(target_os = "macos"))]
const RTLD_DEFAULT: *mut c_void = std::ptr::null_mut();
/// `RTLD_DEFAULT` of macOS's `<dlfcn.h>`: `((void *) -2)`.
#[cfg(target_os = "macos")]
const RTLD_DEFAULT: *mut c_void = usize::MAX.wrapping_sub(1) as *mut c_void;

/// The address of a symbol of the PHP binary (or any loaded library), null when missing.
pub fn symbol(name: &CStr) -> *mut c_void {
    // SAFETY: dlsym with RTLD_DEFAULT and a NUL-terminated name is always safe to call.
    unsafe { dlsym(RTLD_DEFAULT, name.as_ptr()) }
}

type RegisterAlias = unsafe extern "C" fn(*const c_char, usize, *mut zend_class_entry, bool) -> c_int;

/// Registers `alias` as a global name of the class `ce` (`zend_register_class_alias_ex`): for
/// the process at startup (`persistent`), else for the current request. Returns false when the
/// symbol is missing or the name is taken.
pub fn register_class_alias(alias: &str, ce: *mut zend_class_entry, persistent: bool) -> bool {
    let name: &CStr = c"zend_register_class_alias_ex";
    let symbol = symbol(name);
    if symbol.is_null() {
        return false;
    }
    // SAFETY: the symbol is PHP's `zend_register_class_alias_ex`, whose signature (PHP 8.1-8.5) is
    // `zend_result (const char *name, size_t name_len, zend_class_entry *ce, bool persistent)`.
    let register: RegisterAlias = unsafe { std::mem::transmute::<*mut c_void, RegisterAlias>(symbol) };
    // SAFETY: the name pointer and length describe a valid UTF-8 buffer for the call's duration
    // (Zend copies it); `ce` is a registered, persistent class entry.
    let rc = unsafe { register(alias.as_ptr().cast(), alias.len(), ce, persistent) };
    rc == 0
}

/// SPL's `RuntimeException` class entry (the data symbol `spl_ce_RuntimeException`), set by SPL's
/// startup, which runs before any shared extension's.
pub fn runtime_exception_ce() -> Option<&'static ext_php_rs::zend::ClassEntry> {
    let name: &CStr = c"spl_ce_RuntimeException";
    let symbol = symbol(name);
    if symbol.is_null() {
        return None;
    }
    // SAFETY: the symbol is a `zend_class_entry *` variable; SPL sets it at its startup and never
    // frees the persistent class entry it points to.
    unsafe { (*symbol.cast::<*mut zend_class_entry>()).cast::<ext_php_rs::zend::ClassEntry>().as_ref() }
}

/// The `Closure` class entry (the data symbol `zend_ce_closure`, set at engine startup).
pub fn closure_ce() -> Option<&'static ext_php_rs::zend::ClassEntry> {
    let symbol = symbol(c"zend_ce_closure");
    if symbol.is_null() {
        return None;
    }
    // SAFETY: the symbol is a `zend_class_entry *` variable set before any extension starts,
    // pointing to the engine's persistent class entry.
    unsafe { (*symbol.cast::<*mut zend_class_entry>()).cast::<ext_php_rs::zend::ClassEntry>().as_ref() }
}

/// `_ZEND_IS_TENTATIVE_BIT` of `zend_compile.h` (PHP 8.1-8.5): `1 << (_ZEND_TYPE_EXTRA_FLAGS_SHIFT + 4)`.
const TENTATIVE_BIT: u32 = 1 << 29;

/// Makes the declared return type of an internal method tentative, as PHP does for its own
/// classes since 8.1: a userland subclass may then override the method without a return type
/// (a deprecation notice instead of a fatal error).
pub fn make_return_type_tentative(ce: *mut zend_class_entry, method: &str) -> bool {
    // SAFETY: `ce` is a registered class entry; its function table lives as long as it does.
    let table: &ext_php_rs::types::ZendHashTable = unsafe { &(*ce).function_table };
    let Some(entry) = table.get(method) else {
        return false;
    };
    // SAFETY: entries of a class's function table are IS_PTR zvals holding a `zend_function *`.
    let function = unsafe { entry.value.ptr }.cast::<ext_php_rs::ffi::zend_function>();
    if function.is_null() {
        return false;
    }
    // SAFETY: the function is an internal method registered by this extension; for internal
    // functions `arg_info` points one past the return-type entry, which is valid to write at MINIT.
    unsafe {
        let arg_info = (*function).internal_function.arg_info;
        if arg_info.is_null() {
            return false;
        }
        let return_info = arg_info.offset(-1);
        (*return_info).type_.type_mask |= TENTATIVE_BIT;
    }
    true
}

type IniStringEx = unsafe extern "C" fn(*const c_char, usize, c_int, *mut bool) -> *mut c_char;

/// The current value of an ini directive (`zend_ini_string_ex`), `None` when it does not exist.
pub fn ini_string(name: &str) -> Option<String> {
    ini_value(name, false)
}

/// The value of an ini directive as php.ini (or the command line) set it, before `ini_set()`.
pub fn ini_master_string(name: &str) -> Option<String> {
    ini_value(name, true)
}

fn ini_value(name: &str, master: bool) -> Option<String> {
    let symbol_name: &CStr = c"zend_ini_string_ex";
    let symbol = symbol(symbol_name);
    if symbol.is_null() {
        return None;
    }
    // SAFETY: the symbol is PHP's `char *zend_ini_string_ex(const char *name, size_t name_length,
    // int orig, bool *exists)` (PHP 8.0-8.5).
    let lookup: IniStringEx = unsafe { std::mem::transmute::<*mut c_void, IniStringEx>(symbol) };
    let mut exists = false;
    // SAFETY: name and length describe a valid buffer for the call; `exists` outlives it.
    let value = unsafe { lookup(name.as_ptr().cast(), name.len(), c_int::from(master), &raw mut exists) };
    if !exists {
        return None;
    }
    if value.is_null() {
        return Some(String::new());
    }
    // SAFETY: a non-null value is the directive's NUL-terminated string, valid until it changes.
    Some(unsafe { CStr::from_ptr(value) }.to_string_lossy().into_owned())
}

type AddAttribute = unsafe extern "C" fn(
    *mut *mut ext_php_rs::ffi::HashTable,
    *mut ext_php_rs::ffi::zend_string,
    u32,
    u32,
    u32,
    u32,
) -> *mut c_void;

/// `ZEND_ATTRIBUTE_PERSISTENT`: the attribute lives as long as an internal class.
const ATTRIBUTE_PERSISTENT: u32 = 1;

/// Puts `#[\SensitiveParameter]` on parameter `offset` (0-based) of an internal method, so the
/// value never shows in stack traces (PHP 8.2+; `zend_add_attribute` as `zend_add_parameter_attribute` does).
pub fn mark_sensitive_parameter(ce: *mut zend_class_entry, method: &str, offset: u32) -> bool {
    let name: &CStr = c"zend_add_attribute";
    let symbol = symbol(name);
    // SAFETY: `ce` is a registered class entry; its function table lives as long as it does.
    let table: &ext_php_rs::types::ZendHashTable = unsafe { &(*ce).function_table };
    let Some(entry) = table.get(method) else {
        return false;
    };
    // SAFETY: entries of a class's function table are IS_PTR zvals holding a `zend_function *`.
    let function = unsafe { entry.value.ptr }.cast::<ext_php_rs::ffi::zend_function>();
    if symbol.is_null() || function.is_null() {
        return false;
    }
    // SAFETY: the symbol is `zend_attribute *zend_add_attribute(HashTable **attributes,
    // zend_string *name, uint32_t argc, uint32_t flags, uint32_t offset, uint32_t lineno)`.
    let add: AddAttribute = unsafe { std::mem::transmute::<*mut c_void, AddAttribute>(symbol) };
    let mut attribute_name = ext_php_rs::types::ZendStr::new("SensitiveParameter", true);
    // SAFETY: the function is an internal method of this extension, at startup; the attribute
    // table is created persistent and copies the (persistent) name it is given.
    let added = unsafe {
        let attributes = &raw mut (*function).common.attributes;
        add(attributes, attribute_name.as_mut_ptr(), 0, ATTRIBUTE_PERSISTENT, offset + 1, 0)
    };
    !added.is_null()
}

/// A value's type as PHP names it in its own messages: `int`, `string`, `null`, a class name...
pub fn type_name(value: &ext_php_rs::types::Zval) -> String {
    use ext_php_rs::flags::DataType;
    match value.get_type() {
        DataType::Null | DataType::Undef => "null".into(),
        DataType::False | DataType::True | DataType::Bool => "bool".into(),
        DataType::Long => "int".into(),
        DataType::Double => "float".into(),
        DataType::String => "string".into(),
        DataType::Array => "array".into(),
        DataType::Object(_) => value.object().and_then(|o| o.get_class_name().ok()).unwrap_or_else(|| "object".into()),
        DataType::Resource => "resource".into(),
        _ => "mixed".into(),
    }
}

/// Whether the object's class overrides `method` (lower-case name) of the internal class `base`:
/// a userland subclass that declares its own.
pub fn overrides(object: &ext_php_rs::types::ZendObject, method: &str, base: &ext_php_rs::zend::ClassEntry) -> bool {
    let ce = object.ce;
    if ce.is_null() || std::ptr::eq(ce.cast_const(), std::ptr::from_ref(base).cast()) {
        return false;
    }
    // SAFETY: a live object's class entry and its function table; entries are IS_PTR zvals
    // holding a `zend_function *` whose `common.scope` is the declaring class.
    unsafe {
        let table: &ext_php_rs::types::ZendHashTable = &(*ce).function_table;
        let Some(entry) = table.get(method) else { return false };
        let function = entry.value.ptr.cast::<ext_php_rs::ffi::zend_function>();
        !function.is_null() && !std::ptr::eq((*function).common.scope.cast_const(), std::ptr::from_ref(base).cast())
    }
}

type CheckOpenBasedir = unsafe extern "C" fn(*const c_char, c_int) -> c_int;

/// Which files a `sendmail.*` setting holding `value` may name: any when php.ini itself (or
/// the command line) set it, the administrator's choice; else, a script's `ini_set()`, those
/// `open_basedir` allows, as for PHP's own path settings changed at run time.
pub fn ini_path_allowed(setting: &str, value: &str) -> impl Fn(&[u8]) -> bool {
    let from_php_ini = ini_master_string(setting).is_some_and(|master| master.trim() == value.trim());
    move |path| from_php_ini || open_basedir_allows(path)
}

/// Whether PHP's `open_basedir` lets scripts open `path` (`php_check_open_basedir_ex`, without
/// PHP's own warning: the caller says why). True when `open_basedir` is not set; false for a
/// path with a NUL byte.
pub fn open_basedir_allows(path: &[u8]) -> bool {
    let Ok(path) = std::ffi::CString::new(path) else { return false };
    let symbol = symbol(c"php_check_open_basedir_ex");
    if symbol.is_null() {
        // Without PHP's check, only a PHP without open_basedir allows everything.
        return ini_string("open_basedir").is_none_or(|v| v.is_empty());
    }
    // SAFETY: the symbol is PHP's `int php_check_open_basedir_ex(const char *path, int warn)`
    // (PHP 5.3-8.5).
    let check: CheckOpenBasedir = unsafe { std::mem::transmute::<*mut c_void, CheckOpenBasedir>(symbol) };
    // SAFETY: a NUL-terminated path that lives for the call; warn = 0.
    unsafe { check(path.as_ptr(), 0) == 0 }
}
