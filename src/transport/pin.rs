//! Public key pinning as curl does it (`CURLOPT_PINNEDPUBLICKEY`): `sha256//BASE64`, the SHA-256
//! of the server certificate's SubjectPublicKeyInfo (DER), several separated by `;`. The pin is
//! checked after the usual verification, or alone when verification is off.

use std::{fmt, sync::Arc};

use base64::{engine::general_purpose::STANDARD, Engine};
use ring::digest::{digest, SHA256};
use rustls::{
    client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier},
    pki_types::{CertificateDer, ServerName, UnixTime},
    server::ParsedCertificate,
    CertificateError, DigitallySignedStruct, DistinguishedName, OtherError, SignatureScheme,
};

use crate::message::Shown;

/// What every pin starts with.
const PREFIX: &str = "sha256//";

/// The syntax, for error texts.
const SYNTAX: &str = "sha256//BASE64[;sha256//BASE64...]";

/// The public keys a server may have: SHA-256 digests of SubjectPublicKeyInfo DER, sorted.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PinnedKeys(Vec<[u8; 32]>);

/// Why a pin list cannot be used, said after the argument's name (`... has pin 2 (...) that
/// is not valid base64`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinError(pub String);

impl fmt::Display for PinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PinnedKeys {
    /// Reads `sha256//BASE64[;sha256//BASE64...]` (spaces around each pin are ignored).
    ///
    /// # Errors
    /// An empty list or pin, a pin without `sha256//`, base64 that does not decode, or a
    /// digest that is not 32 bytes long.
    pub fn parse(text: &str) -> Result<PinnedKeys, PinError> {
        if text.trim().is_empty() {
            return Err(PinError(format!("must not be empty: give {SYNTAX}")));
        }
        let mut digests = Vec::new();
        for (index, pin) in text.split(';').map(str::trim).enumerate() {
            let number = index + 1;
            let Some(encoded) = pin.strip_prefix(PREFIX) else {
                return Err(PinError(if pin.is_empty() {
                    format!("has an empty pin {number} (a stray \";\"): give {SYNTAX}")
                } else {
                    format!("has pin {number} ({}) without {PREFIX}: give {SYNTAX}", Shown(pin))
                }));
            };
            let digest = STANDARD
                .decode(encoded)
                .map_err(|_| PinError(format!("has pin {number} ({}) that is not valid base64", Shown(pin))))?;
            let digest: [u8; 32] = digest.try_into().map_err(|d: Vec<u8>| {
                PinError(format!(
                    "has pin {number} ({}) of {} bytes, not the 32 of a SHA-256 digest",
                    Shown(pin),
                    d.len()
                ))
            })?;
            digests.push(digest);
        }
        digests.sort_unstable();
        digests.dedup();
        Ok(PinnedKeys(digests))
    }

    /// One of the pins is the digest of this SubjectPublicKeyInfo (DER).
    #[must_use]
    pub fn matches(&self, spki: &[u8]) -> bool {
        let actual = digest(&SHA256, spki);
        self.0.iter().any(|pin| pin.as_slice() == actual.as_ref())
    }
}

/// The pin of a SubjectPublicKeyInfo (DER): `sha256//BASE64`.
#[must_use]
pub fn pin_of(spki: &[u8]) -> String {
    format!("{PREFIX}{}", STANDARD.encode(digest(&SHA256, spki)))
}

/// The pins as they are written (they are public).
impl fmt::Debug for PinnedKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter().map(|d| format!("{PREFIX}{}", STANDARD.encode(d)))).finish()
    }
}

/// The server's key is none of the pinned ones.
#[derive(Debug)]
pub struct PinMismatch {
    /// The server's own pin.
    pub actual: String,
}

impl fmt::Display for PinMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the server's public key does not match the pinned public key (setPinnedPublicKey()): the server's is {}",
            self.actual
        )
    }
}

impl std::error::Error for PinMismatch {}

/// Verifies as `inner` does (the usual checks, or none when verification is off), then checks
/// the server certificate's public key against the pins.
#[derive(Debug)]
pub struct PinnedVerifier {
    inner: Arc<dyn ServerCertVerifier>,
    pins: PinnedKeys,
}

impl PinnedVerifier {
    /// `inner` first, then the pins.
    #[must_use]
    pub fn new(inner: Arc<dyn ServerCertVerifier>, pins: PinnedKeys) -> PinnedVerifier {
        PinnedVerifier { inner, pins }
    }
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verified = self.inner.verify_server_cert(end_entity, intermediates, server_name, ocsp, now)?;
        let spki = ParsedCertificate::try_from(end_entity)?.subject_public_key_info();
        if self.pins.matches(&spki) {
            return Ok(verified);
        }
        let mismatch = PinMismatch { actual: pin_of(&spki) };
        Err(rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(Arc::new(mismatch)))))
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }

    fn requires_raw_public_keys(&self) -> bool {
        self.inner.requires_raw_public_keys()
    }

    fn root_hint_subjects(&self) -> Option<&[DistinguishedName]> {
        self.inner.root_hint_subjects()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// A pin of 32 bytes `fill`.
    fn pin(fill: u8) -> String {
        format!("sha256//{}", STANDARD.encode([fill; 32]))
    }

    #[test]
    fn good_lists() {
        let one = PinnedKeys::parse(&pin(1)).unwrap();
        assert_eq!(one.0, vec![[1u8; 32]]);
        let several = PinnedKeys::parse(&format!(" {} ; {};{} ", pin(3), pin(2), pin(3))).unwrap();
        assert_eq!(several.0, vec![[2u8; 32], [3u8; 32]], "sorted, duplicates dropped, spaces ignored");
        assert_eq!(several, PinnedKeys::parse(&format!("{};{}", pin(2), pin(3))).unwrap(), "order does not matter");
        assert_eq!(format!("{one:?}"), format!("[{:?}]", pin(1)));
    }

    #[test]
    fn bad_lists() {
        let cases: [(String, &str); 10] = [
            (String::new(), "must not be empty: give sha256//BASE64[;sha256//BASE64...]"),
            ("  ".into(), "must not be empty"),
            (STANDARD.encode([1u8; 32]), "has pin 1 (\"AQEB"),
            ("SHA256//AQ==".into(), "has pin 1 (\"SHA256//AQ==\") without sha256//: give sha256//BASE64"),
            (format!("{};", pin(1)), "has an empty pin 2 (a stray \";\")"),
            (format!("{};;{}", pin(1), pin(2)), "has an empty pin 2"),
            ("sha256//not base64!".into(), "has pin 1 (\"sha256//not base64!\") that is not valid base64"),
            ("sha256//".into(), "has pin 1 (\"sha256//\") of 0 bytes, not the 32 of a SHA-256 digest"),
            (format!("sha256//{}", STANDARD.encode([1u8; 20])), "of 20 bytes"),
            (format!("{};md5//{}", pin(1), STANDARD.encode([1u8; 16])), "has pin 2 (\"md5//"),
        ];
        for (text, want) in cases {
            let error = PinnedKeys::parse(&text).unwrap_err();
            assert!(error.0.contains(want), "{text:?}: {error}");
        }
        // Base64 without its padding is not curl's form either.
        let unpadded = pin(1).trim_end_matches('=').to_owned();
        assert!(PinnedKeys::parse(&unpadded).unwrap_err().0.contains("not valid base64"));
    }

    #[test]
    fn a_pin_matches_the_digest_of_the_key_info() {
        let spki = b"\x30\x03\x02\x01\x00";
        let own = pin_of(spki);
        assert!(own.starts_with("sha256//") && own.len() == 8 + 44, "{own}");
        let pins = PinnedKeys::parse(&format!("{};{own}", pin(9))).unwrap();
        assert!(pins.matches(spki));
        assert!(!pins.matches(b"\x30\x03\x02\x01\x01"));
        assert!(!PinnedKeys::parse(&pin(9)).unwrap().matches(spki));
    }
}
