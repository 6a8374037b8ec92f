//! This machine's host name, for the default EHLO name.

use std::ffi::{c_char, c_int, CStr};

extern "C" {
    fn gethostname(name: *mut c_char, len: usize) -> c_int;
}

/// The host name as `gethostname(2)` gives it, or `None` when it is empty or unreadable.
#[must_use]
pub fn hostname() -> Option<String> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for `len` bytes; one byte is kept for the terminating NUL.
    let rc = unsafe { gethostname(buf.as_mut_ptr().cast(), buf.len() - 1) };
    if rc != 0 {
        return None;
    }
    let name = CStr::from_bytes_until_nul(&buf).ok()?.to_str().ok()?.trim().to_owned();
    (!name.is_empty()).then_some(name)
}
