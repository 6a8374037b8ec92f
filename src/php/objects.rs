//! Object creation for the classes that legacy scripts extend: the object starts initialised,
//! with the class entry being instantiated (a userland subclass's own), so a subclass that
//! writes properties before `parent::__construct()`, or never calls it, still has a working
//! object, as with PHP's own classes.

use ext_php_rs::{
    class::RegisteredClass,
    ffi::{zend_class_entry, zend_object},
    types::ZendClassObject,
    zend::ClassEntry,
};

/// A class whose objects start as `fresh()` before any constructor runs.
pub trait Fresh: RegisteredClass {
    /// The object as the constructor finds it.
    fn fresh() -> Self;
}

/// The `create_object` handler of a [`Fresh`] class and of its userland subclasses.
pub extern "C" fn create_object<T: Fresh>(ce: *mut zend_class_entry) -> *mut zend_object {
    // SAFETY: the engine passes the class entry being instantiated: `T`'s or a subclass's, whose
    // objects all carry a `T` inside.
    let mut object = unsafe { ZendClassObject::<T>::new_uninit(ce.cast_const().cast::<ClassEntry>().as_ref()) };
    object.initialize(T::fresh());
    let raw = object.into_raw();
    // SAFETY: `into_raw` hands over a valid object, now owned by the engine.
    unsafe { &raw mut (*raw).std }
}

/// Installs [`create_object`] on `T`'s class entry (at startup, before any object exists).
pub fn install<T: Fresh>() {
    let meta = T::get_metadata();
    if !meta.has_ce() {
        return;
    }
    let ce = std::ptr::from_ref(meta.ce()).cast_mut();
    // SAFETY: startup is single-threaded and no request uses the persistent class entry yet.
    unsafe { (*ce).__bindgen_anon_2.create_object = Some(create_object::<T>) };
}
