//! The client's own certificate and key for mutual TLS (RFC 8446 §4.4.2, RFC 5246 §7.4.6): read
//! from PEM, checked to belong together, and named by a digest so that it can be part of the
//! key of the cached client configuration without the key itself being compared or shown.
//!
//! No error here quotes the key or any part of the PEM text.

use std::{fmt, sync::Arc};

use ring::digest::{Context, SHA256};
use rustls::{
    crypto::ring::default_provider,
    pki_types::{pem::PemObject, CertificateDer, PrivateKeyDer},
    server::ParsedCertificate,
    sign::CertifiedKey,
};

/// Why a certificate and key cannot be used, said after the name of the argument or setting
/// it is about (`... holds no PEM certificate`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentityError {
    /// The certificate (chain) is unusable: the text follows the certificate's name.
    Certificate(String),
    /// The key is unusable, or does not belong to the certificate: the text follows the key's name.
    Key(String),
}

/// A certificate chain and the private key of its first certificate.
#[derive(Clone)]
pub struct ClientIdentity {
    /// SHA-256 over the chain's DER and the key's DER: what tells identities apart.
    id: [u8; 32],
    chain: Vec<CertificateDer<'static>>,
    key: Arc<PrivateKeyDer<'static>>,
}

impl ClientIdentity {
    /// Reads the chain (every `CERTIFICATE` section of `certificate_pem`, the client's own
    /// first) and the private key (the first PKCS#8, PKCS#1 or SEC1 section of `key_pem`;
    /// RSA, ECDSA P-256 or P-384, Ed25519), and checks that the key is the certificate's.
    /// One PEM text may hold both: other sections are skipped.
    ///
    /// # Errors
    /// No certificate, a certificate that cannot be read, no key, a key rustls cannot sign
    /// with, an encrypted key, or a key that is not the certificate's.
    pub fn from_pem(certificate_pem: &[u8], key_pem: &[u8]) -> Result<ClientIdentity, IdentityError> {
        let chain = certificates(certificate_pem)?;
        let key = private_key(key_pem)?;
        let signing_key = default_provider().key_provider.load_private_key(key.clone_key()).map_err(|_| {
            IdentityError::Key(
                "is not a key TLS can sign with (RSA of 2048 bits or more, ECDSA P-256 or P-384, Ed25519)".into(),
            )
        })?;
        if CertifiedKey::new(chain.clone(), signing_key).keys_match().is_err() {
            return Err(IdentityError::Key("is not the private key of the certificate".into()));
        }
        let mut digest = Context::new(&SHA256);
        for certificate in &chain {
            digest.update(&u64::try_from(certificate.len()).unwrap_or(u64::MAX).to_be_bytes());
            digest.update(certificate);
        }
        digest.update(key.secret_der());
        let mut id = [0u8; 32];
        id.copy_from_slice(digest.finish().as_ref());
        Ok(ClientIdentity { id, chain, key: Arc::new(key) })
    }

    /// The certificate chain, the client's own first.
    #[must_use]
    pub fn chain(&self) -> Vec<CertificateDer<'static>> {
        self.chain.clone()
    }

    /// The private key.
    #[must_use]
    pub fn key(&self) -> PrivateKeyDer<'static> {
        self.key.clone_key()
    }
}

fn certificates(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, IdentityError> {
    let bad = |text: &str| IdentityError::Certificate(text.into());
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<_, _>>()
        .map_err(|_| bad("is not valid PEM (a section is cut short or not base64)"))?;
    if chain.is_empty() {
        return Err(bad("holds no PEM certificate (-----BEGIN CERTIFICATE-----)"));
    }
    if chain.iter().any(|c| ParsedCertificate::try_from(c).is_err()) {
        return Err(bad("holds a certificate that cannot be read (not X.509 DER)"));
    }
    Ok(chain)
}

/// The start of a PKCS#8 key under a passphrase (RFC 5958 §3), which rustls does not read.
const ENCRYPTED: &[u8] = b"-----BEGIN ENCRYPTED PRIVATE KEY-----";

fn private_key(pem: &[u8]) -> Result<PrivateKeyDer<'static>, IdentityError> {
    use rustls::pki_types::pem::Error as PemError;
    let bad = |text: &str| IdentityError::Key(text.into());
    match PrivateKeyDer::from_pem_slice(pem) {
        Ok(key) => Ok(key),
        Err(PemError::NoItemsFound) if pem.windows(ENCRYPTED.len()).any(|w| w == ENCRYPTED) => {
            Err(bad("is an encrypted private key: give it decrypted (openssl pkey -in key.pem -out plain.pem)"))
        }
        Err(PemError::NoItemsFound) => {
            Err(bad("holds no PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)"))
        }
        Err(_) => Err(bad("is not valid PEM (a section is cut short or not base64)")),
    }
}

/// Compared by digest: the same chain and key are the same identity.
impl PartialEq for ClientIdentity {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for ClientIdentity {}

impl std::hash::Hash for ClientIdentity {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

/// Only the short digest: never the key, nor the certificate.
impl fmt::Debug for ClientIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The whole digest: persistent connections are told apart by it (client::pool::Key).
        let hex: String = self.id.iter().map(|b| format!("{b:02x}")).collect();
        write!(f, "ClientIdentity(sha256:{hex})")
    }
}
