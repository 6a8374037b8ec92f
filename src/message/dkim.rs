//! DKIM signatures (RFC 6376) over the bytes of a message as they go on the wire: `rsa-sha256`
//! and `ed25519-sha256` (RFC 8463), relaxed/relaxed, never `l=`. The canonicalisation, the
//! hashes and the signature header are mail-auth's; the keys are ring's.
//!
//! A [`Signer`] is made once (the key checked then) and signs any number of messages, from
//! any thread. [`Signer::start`] gives a [`Signing`] that takes the message in pieces, so an
//! attachment is hashed as it is read and never held whole.

use std::{fmt, sync::Arc};

use mail_auth::{
    common::{
        crypto::{Ed25519Key, RsaKey, Sha256},
        headers::HeaderWriter,
    },
    dkim::{Canonicalization, DkimSigner, DkimSigningStream, Done},
};
use rustls_pki_types::{pem::PemObject, PrivateKeyDer};
use thiserror::Error;

/// The header fields signed unless the caller lists others: the ones a reader sees and the
/// ones that say how to read the body. Each is signed whether present or not, so that none can
/// be added on the way; `From` twice, so that a second `From` cannot be added either.
pub const DEFAULT_HEADERS: &[&str] = &[
    "From",
    "From",
    "Sender",
    "Reply-To",
    "To",
    "Cc",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Content-Disposition",
];

/// Why a key or a setting cannot sign. The key's bytes never appear in any of these.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DkimError {
    /// Not a PEM private key.
    #[error("is not a PEM private key (\"-----BEGIN PRIVATE KEY-----\" or \"-----BEGIN RSA PRIVATE KEY-----\")")]
    NotAKey,
    /// A key under a passphrase.
    #[error("is an encrypted private key; give it without its passphrase (openssl pkey -in key.pem -out plain.pem)")]
    Encrypted,
    /// A key of another kind (EC, DSA...).
    #[error("is {0}; DKIM signs with an RSA key (rsa-sha256) or an Ed25519 key (ed25519-sha256)")]
    WrongType(&'static str),
    /// An RSA key outside what the signer takes.
    #[error("is an RSA key of {0}; RSA keys for DKIM must have 2048 to 4096 bits (RFC 8301 asks for at least 2048)")]
    RsaSize(&'static str),
    /// A key that does not parse as what its PEM label says.
    #[error("is a damaged or unsupported private key ({0})")]
    Damaged(String),
    /// `algorithm` names another kind of key than the one given.
    #[error("\"algorithm\" is {asked} but the key is an {key} key")]
    AlgorithmMismatch {
        /// The algorithm asked for.
        asked: String,
        /// What the key is.
        key: &'static str,
    },
    /// A setting that is not valid.
    #[error("{0}")]
    Setting(String),
    /// The signature could not be made.
    #[error("the DKIM signature could not be made: {0}")]
    Sign(String),
}

/// A signing algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// `rsa-sha256` (RFC 6376).
    RsaSha256,
    /// `ed25519-sha256` (RFC 8463).
    Ed25519Sha256,
}

impl Algorithm {
    /// The name used in `a=`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::RsaSha256 => "rsa-sha256",
            Algorithm::Ed25519Sha256 => "ed25519-sha256",
        }
    }

    /// Parses `rsa-sha256` or `ed25519-sha256` (any case).
    ///
    /// # Errors
    /// Any other name.
    pub fn parse(name: &str) -> Result<Algorithm, DkimError> {
        match name.to_ascii_lowercase().as_str() {
            "rsa-sha256" => Ok(Algorithm::RsaSha256),
            "ed25519-sha256" => Ok(Algorithm::Ed25519Sha256),
            _ => Err(DkimError::Setting(format!(
                "\"algorithm\" must be \"rsa-sha256\" or \"ed25519-sha256\", not {}",
                super::Shown(name)
            ))),
        }
    }
}

/// What to sign with, beside the key.
#[derive(Debug, Clone, Default)]
pub struct SignerOptions {
    /// The algorithm the key must be for; `None` takes the key's own.
    pub algorithm: Option<Algorithm>,
    /// The header fields to sign; `None` for [`DEFAULT_HEADERS`].
    pub headers: Option<Vec<String>>,
    /// `i=`: `@domain` or `user@domain`, in the signing domain or below it.
    pub identity: Option<String>,
    /// `x=`: the signature expires this many seconds after it was made.
    pub expire: Option<u64>,
}

/// A checked key with its domain and selector; cheap to clone and shared between threads.
#[derive(Clone)]
pub struct Signer {
    inner: Arc<Inner>,
}

enum Inner {
    Rsa(DkimSigner<RsaKey<Sha256>, Done>),
    Ed25519(DkimSigner<Ed25519Key, Done>),
}

/// Never shows the key.
impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer").field("algorithm", &self.algorithm().name()).finish_non_exhaustive()
    }
}

impl Signer {
    /// Checks the key (PEM: PKCS#8, or PKCS#1 for RSA), the domain, the selector and the
    /// options.
    ///
    /// # Errors
    /// A key that is not one ([`DkimError`] says which way), an RSA key under 2048 bits, an
    /// algorithm other than the key's, a domain or selector that is not a DNS name, a header
    /// list without `From`, an identity outside the domain.
    pub fn new(domain: &str, selector: &str, pem: &[u8], options: &SignerOptions) -> Result<Signer, DkimError> {
        let domain = checked_domain(domain)?;
        let selector = checked_selector(selector)?;
        let headers = checked_headers(options.headers.as_deref())?;
        let identity = options.identity.as_deref().map(|i| checked_identity(i, &domain)).transpose()?;
        let key = parse_key(pem)?;
        if let Some(asked) = options.algorithm {
            if asked != key.algorithm() {
                return Err(DkimError::AlgorithmMismatch { asked: asked.name().into(), key: key.kind() });
            }
        }
        let inner = match key {
            Key::Rsa(key) => Inner::Rsa(configure(
                DkimSigner::from_key(key).domain(domain).selector(selector).headers(headers),
                identity,
                options.expire,
            )),
            Key::Ed25519(key) => Inner::Ed25519(configure(
                DkimSigner::from_key(key).domain(domain).selector(selector).headers(headers),
                identity,
                options.expire,
            )),
        };
        Ok(Signer { inner: Arc::new(inner) })
    }

    /// The algorithm of the key.
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        match *self.inner {
            Inner::Rsa(_) => Algorithm::RsaSha256,
            Inner::Ed25519(_) => Algorithm::Ed25519Sha256,
        }
    }

    /// A signature in the making: give it the whole message, header block first, in pieces
    /// of any size, then [`Signing::finish`].
    #[must_use]
    pub fn start(&self) -> Signing<'_> {
        match &*self.inner {
            Inner::Rsa(signer) => Signing::Rsa(signer.sign_streaming()),
            Inner::Ed25519(signer) => Signing::Ed25519(signer.sign_streaming()),
        }
    }

    /// The `DKIM-Signature` field (CRLF-terminated, folded) for a whole message at once.
    ///
    /// # Errors
    /// The signature could not be made.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, DkimError> {
        let mut signing = self.start();
        signing.write(message);
        signing.finish()
    }
}

fn configure<T: mail_auth::common::crypto::SigningKey>(
    signer: DkimSigner<T, Done>,
    identity: Option<String>,
    expire: Option<u64>,
) -> DkimSigner<T, Done> {
    let signer = signer
        .header_canonicalization(Canonicalization::Relaxed)
        .body_canonicalization(Canonicalization::Relaxed)
        .body_length(false);
    let signer = match identity {
        Some(identity) => signer.agent_user_identifier(identity),
        None => signer,
    };
    match expire {
        Some(seconds) => signer.expiration(seconds),
        None => signer,
    }
}

/// A message being hashed for its signature.
pub enum Signing<'s> {
    /// With an RSA key.
    Rsa(DkimSigningStream<'s, RsaKey<Sha256>>),
    /// With an Ed25519 key.
    Ed25519(DkimSigningStream<'s, Ed25519Key>),
}

impl Signing<'_> {
    /// The next bytes of the message (CRLF line ends, as on the wire before dot-stuffing).
    pub fn write(&mut self, piece: &[u8]) {
        match self {
            Signing::Rsa(stream) => stream.write(piece),
            Signing::Ed25519(stream) => stream.write(piece),
        }
    }

    /// The `DKIM-Signature` field, CRLF-terminated and folded, to go first in the message.
    ///
    /// # Errors
    /// The signature could not be made (a message without any of the signed header fields).
    pub fn finish(self) -> Result<Vec<u8>, DkimError> {
        let signature = match self {
            Signing::Rsa(stream) => stream.finish(),
            Signing::Ed25519(stream) => stream.finish(),
        }
        .map_err(|e| DkimError::Sign(e.to_string()))?;
        Ok(signature.to_header().into_bytes())
    }
}

enum Key {
    Rsa(RsaKey<Sha256>),
    Ed25519(Ed25519Key),
}

impl Key {
    fn algorithm(&self) -> Algorithm {
        match self {
            Key::Rsa(_) => Algorithm::RsaSha256,
            Key::Ed25519(_) => Algorithm::Ed25519Sha256,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Key::Rsa(_) => "RSA",
            Key::Ed25519(_) => "Ed25519",
        }
    }
}

/// The private key in PEM text: PKCS#8 (RSA or Ed25519) or PKCS#1 (RSA).
fn parse_key(pem: &[u8]) -> Result<Key, DkimError> {
    let text = String::from_utf8_lossy(pem);
    if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED") {
        return Err(DkimError::Encrypted);
    }
    if text.contains("-----BEGIN EC PRIVATE KEY-----") {
        return Err(DkimError::WrongType("an EC key"));
    }
    if text.contains("-----BEGIN DSA PRIVATE KEY-----") {
        return Err(DkimError::WrongType("a DSA key"));
    }
    let der = PrivateKeyDer::from_pem_slice(pem).map_err(|_| DkimError::NotAKey)?;
    match der {
        PrivateKeyDer::Pkcs1(_) => RsaKey::<Sha256>::from_key_der(der).map(Key::Rsa).map_err(rsa_error),
        PrivateKeyDer::Pkcs8(pkcs8) => {
            let bytes = pkcs8.secret_pkcs8_der().to_vec();
            match RsaKey::<Sha256>::from_key_der(PrivateKeyDer::Pkcs8(pkcs8)) {
                Ok(key) => Ok(Key::Rsa(key)),
                Err(error) if error.to_string().contains("WrongAlgorithm") => {
                    match Ed25519Key::from_pkcs8_maybe_unchecked_der(&bytes) {
                        Ok(key) => Ok(Key::Ed25519(key)),
                        Err(e) if e.to_string().contains("WrongAlgorithm") => {
                            Err(DkimError::WrongType("neither an RSA nor an Ed25519 key (an EC key?)"))
                        }
                        Err(e) => Err(DkimError::Damaged(e.to_string())),
                    }
                }
                Err(error) => Err(rsa_error(error)),
            }
        }
        PrivateKeyDer::Sec1(_) => Err(DkimError::WrongType("an EC key")),
        _ => Err(DkimError::NotAKey),
    }
}

/// ring's refusal of an RSA key, said plainly.
fn rsa_error(error: mail_auth::Error) -> DkimError {
    let text = error.to_string();
    if text.contains("TooSmall") {
        DkimError::RsaSize("under 2048 bits")
    } else if text.contains("TooLarge") {
        DkimError::RsaSize("over 4096 bits")
    } else {
        DkimError::Damaged(text)
    }
}

/// `d=`: a domain name, in punycode when it is not ASCII.
fn checked_domain(domain: &str) -> Result<String, DkimError> {
    let bad = || DkimError::Setting(format!("the domain {} is not a domain name", super::Shown(domain)));
    let ascii = idna::domain_to_ascii(domain.trim_end_matches('.')).map_err(|_| bad())?;
    if ascii.is_empty() || ascii.len() > 253 || !ascii.split('.').all(is_label) {
        return Err(bad());
    }
    Ok(ascii)
}

/// `s=`: one or more DNS labels (RFC 6376 §3.1).
fn checked_selector(selector: &str) -> Result<String, DkimError> {
    if !selector.is_empty() && selector.len() <= 253 && selector.split('.').all(is_label) {
        Ok(selector.to_owned())
    } else {
        Err(DkimError::Setting(format!(
            "the selector {} is not a DNS label (letters, digits and hyphens, dot-separated)",
            super::Shown(selector)
        )))
    }
}

fn is_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// The header names to sign: field names (RFC 5322 §3.6.8), `From` among them (RFC 6376 §5.4).
fn checked_headers(headers: Option<&[String]>) -> Result<Vec<String>, DkimError> {
    let Some(headers) = headers else {
        return Ok(DEFAULT_HEADERS.iter().map(|h| (*h).to_owned()).collect());
    };
    for name in headers {
        // Letters, digits, `-` and `_`: a `;` or `=` would end the h= tag and start another.
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            return Err(DkimError::Setting(format!(
                "\"headers\" holds {}, which is not a header field name",
                super::Shown(name)
            )));
        }
    }
    if !headers.iter().any(|h| h.eq_ignore_ascii_case("From")) {
        return Err(DkimError::Setting("\"headers\" must include From (RFC 6376 §5.4)".into()));
    }
    Ok(headers.to_vec())
}

/// `i=`: `@domain` or `local@domain`, the domain being `d=` or a subdomain of it (§3.5).
fn checked_identity(identity: &str, domain: &str) -> Result<String, DkimError> {
    let bad = |why: &str| DkimError::Setting(format!("\"identity\" {} {why}", super::Shown(identity)));
    let (local, host) = identity.rsplit_once('@').ok_or_else(|| bad("is not \"@domain\" or \"user@domain\""))?;
    if !local.bytes().all(|b| b.is_ascii_graphic() && b != b';') {
        return Err(bad("has a local part that cannot go in i="));
    }
    let host = checked_domain(host).map_err(|_| bad("has no valid domain"))?;
    let inside = host.eq_ignore_ascii_case(domain)
        || host.to_ascii_lowercase().ends_with(&format!(".{}", domain.to_ascii_lowercase()));
    if !inside {
        return Err(bad(&format!("is not in the signing domain {domain} or below it")));
    }
    Ok(format!("{local}@{host}"))
}

#[cfg(test)]
mod tests;
