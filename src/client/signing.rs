//! A DKIM signer from what a caller gives: the private key as PEM text or as the path of a PEM
//! file (read here; the message layer does no I/O).

use std::borrow::Cow;

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

/// Makes a signer; `key` is PEM text when it holds a PEM boundary, else a file path.
///
/// # Errors
/// A file that cannot be read, a key that is not one, a bad domain, selector or option.
pub fn signer(domain: &str, selector: &str, key: &[u8], options: &SignerOptions) -> Result<Signer, SignerError> {
    let pem = key_text(key)?;
    Signer::new(domain, selector, &pem, options).map_err(|e| match e {
        DkimError::Setting(text) => SignerError::Setting(text),
        mismatch @ DkimError::AlgorithmMismatch { .. } => SignerError::Setting(mismatch.to_string()),
        other => SignerError::Key(other.to_string()),
    })
}

/// The key's PEM text: `key` itself, or the file it names.
fn key_text(key: &[u8]) -> Result<Cow<'_, [u8]>, SignerError> {
    if key.windows(11).any(|w| w == b"-----BEGIN ") {
        return Ok(Cow::Borrowed(key));
    }
    if key.is_empty() || key.contains(&0) || key.contains(&b'\n') {
        return Err(SignerError::Key(DkimError::NotAKey.to_string()));
    }
    let path = std::path::Path::new(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(key));
    std::fs::read(path)
        .map(Cow::Owned)
        .map_err(|e| SignerError::Key(format!("names a file that cannot be read ({}: {e})", path.display())))
}
