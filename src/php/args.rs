//! PHP's parameter rules for every function and method of the extension, in one place.
//!
//! ext-php-rs converts arguments strictly: `"25"` for an `int` is refused in coercive mode too,
//! `null` for a `string` with a default is a TypeError, and its messages are its own. PHP's own
//! internal functions parse their arguments with zpp instead: coercion in coercive mode, exact
//! types under `declare(strict_types=1)`, a deprecation for `null`, and `TypeError`s that say
//! `Foo::bar(): Argument #1 ($x) must be of type string, array given`.
//!
//! So every handler of the extension is wrapped at startup by [`checked_handler`], which first
//! runs each argument through zpp's own functions (`zend_parse_arg_*_slow`, the same code PHP's
//! functions run), driven by the declared parameter types (the arginfo that Reflection shows),
//! writing the converted value back into the call frame as zpp does, and only then calls the
//! ext-php-rs handler, which then always gets exactly the declared types. Class-typed and
//! `array` parameters get PHP's TypeError as well; `mixed`, `callable` and `iterable` ones are
//! left to the method.

use std::{
    collections::HashMap,
    ffi::{c_char, c_void, CStr},
    sync::{OnceLock, RwLock},
};

use ext_php_rs::{
    boxed::ZBox,
    ffi::{
        zend_class_entry, zend_execute_data, zend_function, zend_internal_arg_info, zend_long, zend_string, zend_type,
        zval,
    },
    types::{ZendHashTable, ZendStr, Zval},
    zend::ExecutorGlobals,
};

use super::zapi;

type Handler = unsafe extern "C" fn(*mut zend_execute_data, *mut zval);

/// PHP's `MAY_BE_*` bits of `zend_type_info.h` (the `IS_*` type codes as bits; PHP 8.0-8.5).
mod may_be {
    pub const NULL: u32 = 1 << 1;
    pub const FALSE: u32 = 1 << 2;
    pub const TRUE: u32 = 1 << 3;
    pub const LONG: u32 = 1 << 4;
    pub const DOUBLE: u32 = 1 << 5;
    pub const STRING: u32 = 1 << 6;
    pub const ARRAY: u32 = 1 << 7;
    pub const BOOL: u32 = FALSE | TRUE;
    pub const SCALAR: u32 = BOOL | LONG | DOUBLE | STRING;
    /// Every value type (`mixed`).
    pub const ANY: u32 = 0x3fe;
}

/// `_ZEND_TYPE_NAME_BIT` and `_ZEND_TYPE_LIST_BIT` (`zend_types.h`, PHP 8.0-8.5): the type names a class.
const TYPE_NAME_BIT: u32 = 1 << 24;
const TYPE_LIST_BIT: u32 = 1 << 22;

/// The original handlers, by the function's `arg_info` (shared by the copies PHP makes when a
/// class inherits the method, unlike the function's own address). Filled anew at each module
/// startup: a SAPI may start the module again in the same process, with new functions.
static ORIGINAL: RwLock<Option<HashMap<usize, Handler>>> = RwLock::new(None);

/// Wraps the handlers of these functions (methods of the extension's classes, its functions)
/// at module startup. Functions without parameters are left alone.
///
/// # Safety
/// Module startup, single-threaded: every pointer is a registered internal function that lives
/// until the module shuts down.
pub unsafe fn install(functions: &[*mut zend_function]) {
    if zpp().is_none() {
        return;
    }
    let mut original = HashMap::new();
    for &function in functions {
        // SAFETY: the caller passes registered internal functions.
        let internal = unsafe { &mut (*function).internal_function };
        let key = internal.arg_info as usize;
        if internal.num_args == 0 || key == 0 {
            continue;
        }
        let Some(handler) = internal.handler else { continue };
        if std::ptr::fn_addr_eq(handler, checked_handler as Handler) {
            continue;
        }
        original.insert(key, handler);
        internal.handler = Some(checked_handler);
    }
    if let Ok(mut map) = ORIGINAL.write() {
        *map = Some(original);
    }
}

/// The internal functions of a class that the class declares itself.
pub fn declared_methods(ce: *mut zend_class_entry) -> Vec<*mut zend_function> {
    // SAFETY: `ce` is a registered class entry; its function table lives as long as it does, and
    // every entry is an IS_PTR zval holding a `zend_function *`.
    let table: &ZendHashTable = unsafe { &(*ce).function_table };
    table
        .values()
        .map(|entry| unsafe { entry.value.ptr }.cast::<zend_function>())
        .filter(|&function| !function.is_null() && unsafe { (*function).common.scope } == ce)
        .collect()
}

/// A method of a class by its lower-case name.
pub fn method(ce: *mut zend_class_entry, lowercase_name: &str) -> Option<*mut zend_function> {
    // SAFETY: `ce` is a registered class entry; entries are IS_PTR zvals holding functions.
    let table: &ZendHashTable = unsafe { &(*ce).function_table };
    let function = unsafe { table.get(lowercase_name)?.value.ptr }.cast::<zend_function>();
    (!function.is_null()).then_some(function)
}

/// `string` in [`declare_union`].
pub const STRING: u32 = may_be::STRING;
/// `int` in [`declare_union`].
pub const LONG: u32 = may_be::LONG;
/// `bool` in [`declare_union`].
pub const BOOL: u32 = may_be::BOOL;
/// `array` in [`declare_union`].
pub const ARRAY: u32 = may_be::ARRAY;

/// Finds a global function by its lower-case name (`sendmail\mail`).
pub fn global_function(lowercase_name: &str) -> Option<*mut zend_function> {
    // SAFETY: the compiler globals exist from startup on; the function table holds IS_PTR zvals.
    unsafe {
        let globals = ext_php_rs::ffi::ext_php_rs_compiler_globals();
        let table = (*globals).function_table.as_ref()?;
        let entry = ext_php_rs::ffi::zend_hash_str_find(table, lowercase_name.as_ptr().cast(), lowercase_name.len());
        let function = entry.as_ref()?.value.ptr.cast::<zend_function>();
        (!function.is_null()).then_some(function)
    }
}

/// Declares a parameter's type as the union `mask` (with `may_be::NULL` for a nullable one), for
/// parameters the method takes as `mixed` but PHP callers know by a narrower type
/// (`string|int $code`).
pub fn declare_union(function: *mut zend_function, offset: u32, mask: u32) {
    // SAFETY: startup; `function` is one of the extension's internal functions, whose arg_info
    // PHP copied into memory of its own at registration and which nothing reads concurrently.
    unsafe {
        let internal = &mut (*function).internal_function;
        if offset >= internal.num_args || internal.arg_info.is_null() {
            return;
        }
        let info = &mut *internal.arg_info.add(offset as usize);
        info.type_.type_mask = (info.type_.type_mask & !may_be::ANY) | mask;
    }
}

/// Declares a parameter's type as the union of the class `class` and `mask` (`Closure|string`),
/// for a parameter the method takes as `mixed`.
pub fn declare_union_with_class(
    function: *mut zend_function,
    offset: u32,
    class: &ext_php_rs::zend::ClassEntry,
    mask: u32,
) {
    // SAFETY: as for `declare_union`. The name is the class entry's own: an interned string of
    // the engine, which PHP's release of the arginfo at shutdown leaves alone.
    unsafe {
        let internal = &mut (*function).internal_function;
        if offset >= internal.num_args || internal.arg_info.is_null() || class.name.is_null() {
            return;
        }
        let info = &mut *internal.arg_info.add(offset as usize);
        info.type_.ptr = class.name.cast();
        info.type_.type_mask = (info.type_.type_mask & !may_be::ANY) | mask | TYPE_NAME_BIT;
    }
}

/// Declares a parameter's default value as Reflection shows it (PHP source text: `false`).
pub fn declare_default(function: *mut zend_function, offset: u32, default: &'static CStr) {
    // SAFETY: as for `declare_union`; the text is static.
    unsafe {
        let internal = &mut (*function).internal_function;
        if offset < internal.num_args && !internal.arg_info.is_null() {
            (*internal.arg_info.add(offset as usize)).default_value = default.as_ptr();
        }
    }
}

/// The wrapper every handler of the extension runs first.
unsafe extern "C" fn checked_handler(execute_data: *mut zend_execute_data, return_value: *mut zval) {
    // SAFETY: the engine calls a handler with its live frame and return slot.
    unsafe {
        let Some(function) = (*execute_data).func.as_ref() else { return };
        let key = function.internal_function.arg_info as usize;
        let original = ORIGINAL.read().ok().and_then(|map| map.as_ref()?.get(&key).copied());
        let Some(original) = original else { return };
        if coerce_arguments(execute_data, function) {
            original(execute_data, return_value);
        }
    }
}

/// Runs each passed argument through PHP's rules for its declared type; false when one is
/// refused (a TypeError, or an exception from an error handler, is then pending).
///
/// # Safety
/// `execute_data` is the live frame of an internal call of `function`.
unsafe fn coerce_arguments(execute_data: *mut zend_execute_data, function: &zend_function) -> bool {
    // SAFETY: as documented; arguments live in the frame's slots after the header
    // (`ZEND_CALL_ARG`), `num_args` of them (`ZEND_CALL_NUM_ARGS`).
    unsafe {
        let internal = &function.internal_function;
        let passed = (*execute_data).This.u2.num_args.min(internal.num_args);
        let frame: &ext_php_rs::zend::ExecuteData = &*execute_data;
        for index in 0..passed {
            let info = &*internal.arg_info.add(index as usize);
            let Some(arg) = frame.zend_call_arg(index as usize) else { continue };
            if matches!(arg.get_type(), ext_php_rs::flags::DataType::Undef) {
                continue;
            }
            if !coerce(arg, info, index + 1) {
                return false;
            }
        }
        true
    }
}

/// One argument: accepted as it is, converted in place, or refused with PHP's TypeError. The
/// types handled are those made of scalars, `null`, `array` and class names (`array|string`,
/// `?Throwable`); `mixed`, `callable`, `iterable` and the like are the method's to check.
fn coerce(arg: &mut Zval, info: &zend_internal_arg_info, number: u32) -> bool {
    let type_ = info.type_;
    let mask = type_.type_mask;
    let kind = mask & may_be::ANY;
    let class = names_class(&type_);
    let Some(zpp) = zpp() else { return true };
    if mask & TYPE_LIST_BIT != 0
        || kind & !(may_be::SCALAR | may_be::NULL | may_be::ARRAY) != 0
        || (kind == 0 && !class)
    {
        return true;
    }
    if (arg.is_null() && mask & may_be::NULL != 0)
        || (arg.is_array() && kind & may_be::ARRAY != 0)
        || (class && arg.object().is_some_and(|object| instance_of_named(object, &type_)))
    {
        return true;
    }
    let scalar = kind & may_be::SCALAR;
    (scalar != 0 && coerce_scalar(arg, scalar, number, zpp)) || refuse(arg, &type_, number, zpp)
}

/// PHP's zpp for a scalar type: `string`, `int`, `float`, `bool`, `string|int`, `bool|string`.
fn coerce_scalar(arg: &mut Zval, kind: u32, number: u32, zpp: &Zpp) -> bool {
    let ptr: *mut zval = arg;
    let wanted = |bit: u32| kind & bit != 0;
    let already = (arg.is_string() && wanted(may_be::STRING))
        || (arg.is_long() && wanted(may_be::LONG))
        || (arg.is_double() && wanted(may_be::DOUBLE))
        || (arg.is_bool() && wanted(if arg.bool() == Some(true) { may_be::TRUE } else { may_be::FALSE }));
    if already {
        return true;
    }
    // SAFETY: `ptr` is a live argument slot of the running internal call, which zpp may convert
    // in place (strings) exactly as for PHP's own functions; the out-parameters outlive the calls.
    unsafe {
        match kind {
            may_be::STRING => {
                let mut out: *mut zend_string = std::ptr::null_mut();
                (zpp.str_slow)(ptr, &raw mut out, number)
            }
            may_be::LONG => {
                let mut out: zend_long = 0;
                (zpp.long_slow)(ptr, &raw mut out, number) && set(arg, |z| z.set_long(out))
            }
            may_be::DOUBLE => {
                let mut out = 0.0_f64;
                (zpp.double_slow)(ptr, &raw mut out, number) && set(arg, |z| z.set_double(out))
            }
            may_be::BOOL => {
                let mut out = false;
                (zpp.bool_slow)(ptr, &raw mut out, number) && set(arg, |z| z.set_bool(out))
            }
            k if k == may_be::STRING | may_be::LONG => {
                let (mut text, mut number_out): (*mut zend_string, zend_long) = (std::ptr::null_mut(), 0);
                (zpp.str_or_long_slow)(ptr, &raw mut text, &raw mut number_out, number)
                    && (!text.is_null() || set(arg, |z| z.set_long(number_out)))
            }
            k if k == may_be::STRING | may_be::BOOL => {
                // A bool stays a bool (checked above); anything else goes the string way, as
                // PHP's union rules prefer string to bool for numbers.
                let mut out: *mut zend_string = std::ptr::null_mut();
                (zpp.str_slow)(ptr, &raw mut out, number)
            }
            _ => false,
        }
    }
}

/// Replaces the argument's value (releasing the old one).
fn set(arg: &mut Zval, write: impl FnOnce(&mut Zval)) -> bool {
    write(arg);
    true
}

/// Throws PHP's TypeError for a refused argument (unless something is already thrown, as when an
/// error handler turned the null deprecation into an exception); always false.
fn refuse(arg: &Zval, type_: &zend_type, number: u32, zpp: &Zpp) -> bool {
    if ExecutorGlobals::has_exception() {
        return false;
    }
    // SAFETY: a type of a registered function; `zend_type_to_string` returns a new string that
    // the box releases. The value names are NUL-terminated strings owned by the engine or by
    // the argument's class, alive during the call.
    unsafe {
        let expected = (zpp.type_to_string)(*type_);
        if expected.is_null() {
            return false;
        }
        let expected = ZBox::<ZendStr>::from_raw(expected.cast::<ZendStr>());
        let given = (zpp.value_name)(std::ptr::from_ref(arg));
        let Ok(expected) = std::ffi::CString::new(expected.as_bytes()) else { return false };
        (zpp.argument_type_error)(number, c"must be of type %s, %s given".as_ptr(), expected.as_ptr(), given);
    }
    false
}

/// The type names a class (`SendMail\Message`, `Throwable`).
fn names_class(type_: &zend_type) -> bool {
    type_.type_mask & TYPE_NAME_BIT != 0 && !type_.ptr.is_null()
}

/// The object is an instance of the class the type names.
fn instance_of_named(object: &ext_php_rs::types::ZendObject, type_: &zend_type) -> bool {
    // SAFETY: with the name bit set, `ptr` is the `zend_string *` name PHP made at registration.
    let name = unsafe { &*type_.ptr.cast::<ZendStr>() };
    let Ok(name) = name.as_str() else { return false };
    ext_php_rs::zend::ClassEntry::try_find(name).is_some_and(|ce| object.instance_of(ce))
}

type StrSlow = unsafe extern "C" fn(*mut zval, *mut *mut zend_string, u32) -> bool;
type LongSlow = unsafe extern "C" fn(*mut zval, *mut zend_long, u32) -> bool;
type DoubleSlow = unsafe extern "C" fn(*mut zval, *mut f64, u32) -> bool;
type BoolSlow = unsafe extern "C" fn(*mut zval, *mut bool, u32) -> bool;
type StrOrLongSlow = unsafe extern "C" fn(*mut zval, *mut *mut zend_string, *mut zend_long, u32) -> bool;
type TypeToString = unsafe extern "C" fn(zend_type) -> *mut zend_string;
type ValueName = unsafe extern "C" fn(*const zval) -> *const c_char;
type ArgumentTypeError = unsafe extern "C" fn(u32, *const c_char, ...);

/// zpp's functions (`zend_API.h`; the `ZEND_FASTCALL` ones use the plain C convention on every
/// 64-bit target), resolved once.
struct Zpp {
    str_slow: StrSlow,
    long_slow: LongSlow,
    double_slow: DoubleSlow,
    bool_slow: BoolSlow,
    str_or_long_slow: StrOrLongSlow,
    type_to_string: TypeToString,
    /// `zend_zval_value_name` (PHP 8.3+, "true given"), else `zend_zval_type_name`: what PHP's
    /// own TypeErrors of this version say.
    value_name: ValueName,
    argument_type_error: ArgumentTypeError,
}

fn zpp() -> Option<&'static Zpp> {
    static ZPP: OnceLock<Option<Zpp>> = OnceLock::new();
    ZPP.get_or_init(|| {
        let find = |name: &CStr| Some(zapi::symbol(name)).filter(|p| !p.is_null());
        let value_name = find(c"zend_zval_value_name").or_else(|| find(c"zend_zval_type_name"))?;
        // SAFETY: each symbol is the PHP function of that name, whose C signature (PHP 8.1-8.5)
        // the type it is cast to spells out.
        unsafe {
            Some(Zpp {
                str_slow: std::mem::transmute::<*mut c_void, StrSlow>(find(c"zend_parse_arg_str_slow")?),
                long_slow: std::mem::transmute::<*mut c_void, LongSlow>(find(c"zend_parse_arg_long_slow")?),
                double_slow: std::mem::transmute::<*mut c_void, DoubleSlow>(find(c"zend_parse_arg_double_slow")?),
                bool_slow: std::mem::transmute::<*mut c_void, BoolSlow>(find(c"zend_parse_arg_bool_slow")?),
                str_or_long_slow: std::mem::transmute::<*mut c_void, StrOrLongSlow>(find(
                    c"zend_parse_arg_str_or_long_slow",
                )?),
                type_to_string: std::mem::transmute::<*mut c_void, TypeToString>(find(c"zend_type_to_string")?),
                value_name: std::mem::transmute::<*mut c_void, ValueName>(value_name),
                argument_type_error: std::mem::transmute::<*mut c_void, ArgumentTypeError>(find(
                    c"zend_argument_type_error",
                )?),
            })
        }
    })
    .as_ref()
}
