//! A DKIM signer from what a caller gives: the private key as PEM text or as the path of a PEM
//! file (read here; the message layer does no I/O), and the signers of settings that are read
//! again at each send (php.ini), made once for each key. [`pem_text`] reads PEM given either
//! way for the client certificate too.
//!
//! No error here quotes the key argument: a value that is not PEM text may still be a key (a
//! PEM body without its armour, from a secret store), so it is never shown, not even as a path.

use std::sync::{Mutex, PoisonError};

use crate::message::dkim::{DkimError, Signer, SignerOptions};

/// Why no signer could be made, said after the name of the key argument or setting (`... is
/// not a PEM private key`) or, for the other settings, on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignerError {
    /// The key (text or file) is not a usable key: the text follows the key's name.
    Key(String),
    /// Another setting: a whole sentence.
    Setting(String),
}

/// The value is PEM text (it holds a PEM boundary), not a file path.
#[must_use]
pub fn is_pem_text(value: &[u8]) -> bool {
    value.windows(11).any(|w| w == b"-----BEGIN ")
}

/// A value that is surely no file path: empty, with a NUL or a line break, or a PEM body without
/// its armour (base64 of a DER structure, which starts with a SEQUENCE).
fn not_a_path(value: &[u8]) -> bool {
    use base64::Engine;
    let der = || base64::engine::general_purpose::STANDARD.decode(value).ok();
    let pem_body = value.len() >= 64 && der().is_some_and(|der| der.first() == Some(&0x30));
    value.is_empty() || value.contains(&0) || value.contains(&b'\n') || pem_body
}

/// The PEM text a caller gives: `value` itself when it holds a PEM boundary, else what the
/// file it names holds. `what` says what the PEM should be (`"a PEM private key"`); `allowed`
/// says whether a path may be opened (PHP's open_basedir). The error text follows the name of
/// the argument or setting, and never quotes the value.
///
/// # Errors
/// A value that is neither PEM text nor a path, a path `allowed` refuses, a file that cannot
/// be read.
pub fn pem_text(value: &[u8], what: &str, allowed: impl Fn(&[u8]) -> bool) -> Result<Vec<u8>, String> {
    if is_pem_text(value) {
        return Ok(value.to_vec());
    }
    if not_a_path(value) {
        return Err(format!("is not {what}: PEM text needs its -----BEGIN and -----END lines"));
    }
    if !allowed(value) {
        return Err("names a file outside the directories open_basedir allows".into());
    }
    let path = std::path::Path::new(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(value));
    std::fs::read(path).map_err(|e| format!("names a file that cannot be read ({e})"))
}

/// The key's PEM text: `key` itself, or what the file it names holds (see [`pem_text`]).
///
/// # Errors
/// As [`pem_text`].
pub fn key_text(key: &[u8], allowed: impl Fn(&[u8]) -> bool) -> Result<Vec<u8>, SignerError> {
    pem_text(key, "a PEM private key", allowed).map_err(SignerError::Key)
}

/// Makes a signer; `key` is PEM text when it holds a PEM boundary, else a file path.
///
/// # Errors
/// As [`key_text`], a key that is not one, a bad domain, selector or option.
pub fn signer(
    domain: &str,
    selector: &str,
    key: &[u8],
    options: &SignerOptions,
    allowed: impl Fn(&[u8]) -> bool,
) -> Result<Signer, SignerError> {
    let pem = key_text(key, allowed)?;
    from_pem(domain, selector, &pem, options)
}

fn from_pem(domain: &str, selector: &str, pem: &[u8], options: &SignerOptions) -> Result<Signer, SignerError> {
    Signer::new(domain, selector, pem, options).map_err(|e| match e {
        DkimError::Setting(text) => SignerError::Setting(text),
        mismatch @ DkimError::AlgorithmMismatch { .. } => SignerError::Setting(mismatch.to_string()),
        other => SignerError::Key(other.to_string()),
    })
}

/// The signer last made by [`cached`], with what it was made from.
static CACHED: Mutex<Option<(Vec<u8>, Signer)>> = Mutex::new(None);

/// A signer for settings read again at each send, with default options: made once for each
/// domain, selector and key text (a key file read anew each time, so a replaced key takes
/// effect at the next send).
///
/// # Errors
/// As [`signer`].
pub fn cached(
    domain: &str,
    selector: &str,
    key: &[u8],
    allowed: impl Fn(&[u8]) -> bool,
) -> Result<Signer, SignerError> {
    let pem = key_text(key, allowed)?;
    let mut id = Vec::with_capacity(domain.len() + selector.len() + pem.len() + 2);
    for part in [domain.as_bytes(), b"\0", selector.as_bytes(), b"\0", pem.as_slice()] {
        id.extend_from_slice(part);
    }
    let mut slot = CACHED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((made_from, signer)) = slot.as_ref() {
        if *made_from == id {
            return Ok(signer.clone());
        }
    }
    let signer = from_pem(domain, selector, &pem, &SignerOptions::default())?;
    *slot = Some((id, signer.clone()));
    Ok(signer)
}
