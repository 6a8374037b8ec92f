//! TLS with rustls (ring provider): client configurations and the handshake (RFC 8446, RFC 5246).
//!
//! Peer and host name are verified against the system trust store, or against a CA file when one
//! is given. Verification can be switched off for test relays only. The server's public key can
//! be pinned besides (`pin`), and the client can show a certificate of its own (`identity`).

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{Arc, Mutex, OnceLock},
};

use rustls::{
    client::{
        danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier},
        WebPkiServerVerifier,
    },
    crypto::{ring, verify_tls12_signature, verify_tls13_signature, CryptoProvider},
    pki_types::{pem::PemObject, CertificateDer, ServerName, UnixTime},
    AlertDescription, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use thiserror::Error;

use super::{
    identity::ClientIdentity,
    pin::{PinMismatch, PinnedKeys, PinnedVerifier},
};

/// How the server's certificate is checked, and what the client shows of itself. Also the key
/// of the cached client configuration (and so of its TLS session store).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct TlsSettings {
    /// Check the certificate chain and the host name (the default).
    pub skip_verify: bool,
    /// Trust only the CAs in this PEM file instead of the system store.
    pub ca_file: Option<PathBuf>,
    /// The client's certificate and key, for servers that ask for one (mutual TLS).
    pub client_identity: Option<ClientIdentity>,
    /// The server's public key must be one of these (checked after the usual verification,
    /// or alone when it is off).
    pub pinned_keys: Option<PinnedKeys>,
}

/// Why TLS could not be set up.
#[derive(Debug, Clone, Error)]
pub enum TlsError {
    /// The CA file cannot be read or holds no certificate.
    #[error("CA file {path}: {reason}")]
    CaFile {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The system trust store holds no certificate.
    #[error("no trusted CA certificates found on this system (give a CA file)")]
    NoRoots,
    /// The host is neither a DNS name nor an IP address.
    #[error("{0:?} is not a name a certificate can be checked against")]
    BadName(String),
    /// rustls refused the configuration.
    #[error("TLS configuration: {0}")]
    Config(String),
}

/// The client configuration for these settings, built once per settings and reused.
///
/// # Errors
/// An unreadable or empty CA file, or no system roots.
pub fn client_config(settings: &TlsSettings) -> Result<Arc<ClientConfig>, TlsError> {
    static CACHE: OnceLock<Mutex<HashMap<TlsSettings, Arc<ClientConfig>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    if let Some(config) = cache.lock().ok().and_then(|c| c.get(settings).cloned()) {
        return Ok(config);
    }
    let config = Arc::new(build(settings)?);
    if let Ok(mut c) = cache.lock() {
        c.insert(settings.clone(), Arc::clone(&config));
    }
    Ok(config)
}

fn build(settings: &TlsSettings) -> Result<ClientConfig, TlsError> {
    let provider = Arc::new(ring::default_provider());
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| TlsError::Config(e.to_string()))?;
    let verifier: Arc<dyn ServerCertVerifier> = if settings.skip_verify {
        Arc::new(NoVerification(Arc::clone(&provider)))
    } else {
        let roots = match &settings.ca_file {
            Some(path) => Arc::new(roots_from_file(path)?),
            None => system_roots()?,
        };
        WebPkiServerVerifier::builder_with_provider(roots, provider)
            .build()
            .map_err(|e| TlsError::Config(e.to_string()))?
    };
    let verifier = match &settings.pinned_keys {
        Some(pins) => Arc::new(PinnedVerifier::new(verifier, pins.clone())),
        None => verifier,
    };
    let builder = builder.dangerous().with_custom_certificate_verifier(verifier);
    match &settings.client_identity {
        Some(identity) => builder
            .with_client_auth_cert(identity.chain(), identity.key())
            .map_err(|e| TlsError::Config(format!("the client certificate: {e}"))),
        None => Ok(builder.with_no_client_auth()),
    }
}

/// The system's trusted CAs, loaded once per process.
fn system_roots() -> Result<Arc<RootCertStore>, TlsError> {
    static ROOTS: OnceLock<Arc<RootCertStore>> = OnceLock::new();
    let roots = ROOTS.get_or_init(|| {
        let mut store = RootCertStore::empty();
        store.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
        Arc::new(store)
    });
    if roots.is_empty() {
        return Err(TlsError::NoRoots);
    }
    Ok(Arc::clone(roots))
}

fn roots_from_file(path: &Path) -> Result<RootCertStore, TlsError> {
    let fail = |reason: String| TlsError::CaFile { path: path.display().to_string(), reason };
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
        .map_err(|e| fail(e.to_string()))?
        .collect::<Result<_, _>>()
        .map_err(|e| fail(e.to_string()))?;
    let mut store = RootCertStore::empty();
    let (added, _) = store.add_parsable_certificates(certs);
    if added == 0 {
        return Err(fail("no PEM certificate in it".into()));
    }
    Ok(store)
}

/// The name the certificate must carry: a DNS name or an IP address.
///
/// # Errors
/// The host is neither.
pub fn server_name(host: &str) -> Result<ServerName<'static>, TlsError> {
    ServerName::try_from(host.to_owned()).map_err(|_| TlsError::BadName(host.to_owned()))
}

/// Accepts any certificate but still checks the handshake signatures (verify_peer off).
#[derive(Debug)]
struct NoVerification(Arc<CryptoProvider>);

impl ServerCertVerifier for NoVerification {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// A handshake failure in words a PHP user can act on.
#[must_use]
pub fn describe(error: &rustls::Error, host: &str) -> String {
    use rustls::{CertificateError as C, Error as E};
    match error {
        E::InvalidCertificate(C::NotValidForName | C::NotValidForNameContext { .. }) => {
            format!("the server's certificate is not valid for {host}")
        }
        E::InvalidCertificate(C::UnknownIssuer) => {
            "the server's certificate is not signed by a trusted CA (setCaFile() names a private CA)".into()
        }
        E::InvalidCertificate(C::Expired | C::ExpiredContext { .. }) => "the server's certificate has expired".into(),
        E::InvalidCertificate(C::Other(other)) if other.0.is::<PinMismatch>() => other.0.to_string(),
        E::InvalidCertificate(other) => format!("the server's certificate was refused: {other:?}"),
        E::AlertReceived(AlertDescription::CertificateRequired) => {
            "the server requires a client certificate (setClientCertificate(), sendmail.client_cert)".into()
        }
        E::AlertReceived(
            alert @ (AlertDescription::BadCertificate
            | AlertDescription::UnsupportedCertificate
            | AlertDescription::CertificateRevoked
            | AlertDescription::CertificateExpired
            | AlertDescription::CertificateUnknown
            | AlertDescription::UnknownCA),
        ) => format!("the server refused the client certificate (alert {alert:?})"),
        other => other.to_string(),
    }
}

/// Why a TLS 1.3 connection the server closed before sending anything over it failed: the
/// server ended the handshake without an alert (some servers send none when they refuse a
/// client), most likely over the client's certificate.
#[must_use]
pub fn closed_at_handshake_end(certificate_offered: bool) -> String {
    let why = if certificate_offered {
        "did it refuse the client certificate?"
    } else {
        "does it require a client certificate? setClientCertificate(), sendmail.client_cert"
    };
    format!("the server closed the connection as the handshake ended ({why})")
}

/// A TLS alert the server sent after the handshake looked finished to the client: in TLS 1.3
/// the server checks the client's certificate last, so its refusal comes with the first read.
#[must_use]
pub fn alert_received(error: &std::io::Error) -> Option<&rustls::Error> {
    error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        .filter(|tls| matches!(tls, rustls::Error::AlertReceived(_)))
}
