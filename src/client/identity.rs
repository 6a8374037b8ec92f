//! The client certificate for mutual TLS from what a caller gives: the certificate (chain) and
//! the private key, each as PEM text or as the path of a PEM file (read as DKIM keys are, see
//! [`signing::pem_text`]), and the identity of settings read again at each send (php.ini),
//! made once for each certificate and key.
//!
//! No error here quotes either value or shows a path: the key may be given in place of the
//! certificate by mistake.

use std::sync::{Mutex, PoisonError};

use ring::digest::{digest, SHA256};

use super::signing;
use crate::transport::{ClientIdentity, IdentityError};

/// Makes the identity; `certificate` and `key` are PEM text when they hold a PEM boundary,
/// else file paths that `allowed_certificate` and `allowed_key` say may be opened.
///
/// # Errors
/// [`IdentityError::Certificate`] or [`IdentityError::Key`], with a text that follows the
/// name of the argument or setting: not PEM, a file that cannot be read, no certificate, no
/// key, a key that is not the certificate's.
pub fn identity(
    certificate: &[u8],
    key: &[u8],
    allowed_certificate: impl Fn(&[u8]) -> bool,
    allowed_key: impl Fn(&[u8]) -> bool,
) -> Result<ClientIdentity, IdentityError> {
    let (certificate_pem, key_pem) = texts(certificate, key, allowed_certificate, allowed_key)?;
    ClientIdentity::from_pem(&certificate_pem, &key_pem)
}

fn texts(
    certificate: &[u8],
    key: &[u8],
    allowed_certificate: impl Fn(&[u8]) -> bool,
    allowed_key: impl Fn(&[u8]) -> bool,
) -> Result<(Vec<u8>, Vec<u8>), IdentityError> {
    let certificate_pem =
        signing::pem_text(certificate, "a PEM certificate", allowed_certificate).map_err(IdentityError::Certificate)?;
    let key_pem = signing::pem_text(key, "a PEM private key", allowed_key).map_err(IdentityError::Key)?;
    Ok((certificate_pem, key_pem))
}

/// The identity last made by [`cached`], with the digest of what it was made from.
static CACHED: Mutex<Option<([u8; 32], ClientIdentity)>> = Mutex::new(None);

/// An identity for settings read again at each send: made once for each certificate and key
/// text (files are read anew each time, so a renewed certificate takes effect at the next send).
///
/// # Errors
/// As [`identity`].
pub fn cached(
    certificate: &[u8],
    key: &[u8],
    allowed_certificate: impl Fn(&[u8]) -> bool,
    allowed_key: impl Fn(&[u8]) -> bool,
) -> Result<ClientIdentity, IdentityError> {
    let (certificate_pem, key_pem) = texts(certificate, key, allowed_certificate, allowed_key)?;
    let mut both = Vec::with_capacity(64);
    both.extend_from_slice(digest(&SHA256, &certificate_pem).as_ref());
    both.extend_from_slice(digest(&SHA256, &key_pem).as_ref());
    let mut made_from = [0u8; 32];
    made_from.copy_from_slice(digest(&SHA256, &both).as_ref());
    let mut slot = CACHED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((id, identity)) = slot.as_ref() {
        if *id == made_from {
            return Ok(identity.clone());
        }
    }
    let identity = ClientIdentity::from_pem(&certificate_pem, &key_pem)?;
    *slot = Some((made_from, identity.clone()));
    Ok(identity)
}
