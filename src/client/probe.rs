//! `probe()`: connect, greet, EHLO, TLS and AUTH as configured, then QUIT: what a server offers
//! and whether the settings work, without sending mail (what `swaks` or Symfony's
//! `mailer:test` are used for).

use std::time::{Duration, Instant};

use super::{error::Error, observer::Observer, session::Server, Session};
use crate::transport::certificate::{self, CertificateInfo};

/// What the probe found.
#[derive(Debug, Clone)]
pub struct Probe {
    /// `host:port` of the server that answered (the first of a failover list that worked).
    pub server: String,
    /// Its greeting, all lines.
    pub greeting: String,
    /// The extensions of its last EHLO reply (after TLS, when TLS is up).
    pub capabilities: Vec<String>,
    /// The TLS session, when TLS is up.
    pub tls: Option<TlsProbe>,
    /// The mechanism the login succeeded with, when credentials were given.
    pub auth: Option<&'static str>,
    /// Round trips, QUIT included (see [`crate::client`]'s connection for what counts).
    pub round_trips: u32,
    /// From the first connection attempt to the reply to QUIT.
    pub time: Duration,
}

/// The negotiated TLS session.
#[derive(Debug, Clone)]
pub struct TlsProbe {
    /// `TLSv1.3` or `TLSv1.2`.
    pub version: String,
    /// The cipher suite.
    pub cipher: String,
    /// The server's certificate, when it could be read.
    pub certificate: Option<CertificateInfo>,
    /// The handshake resumed an earlier session.
    pub resumed: bool,
}

/// Opens a session as a send would, reports it, and ends it with QUIT.
///
/// # Errors
/// Whatever opening the session fails with: connection, TLS, greeting, EHLO, AUTH.
pub fn probe(servers: &[Server], observer: &mut dyn Observer) -> Result<Probe, Error> {
    let start = Instant::now();
    let session = Session::open_any(servers, observer)?;
    let tls = session.conn.stream().tls_details().map(|details| TlsProbe {
        certificate: details.certificate.as_deref().and_then(certificate::read),
        version: details.version,
        cipher: details.cipher,
        resumed: details.resumed,
    });
    let mut probe = Probe {
        server: session.server.clone(),
        greeting: session.greeting.as_ref().map(ToString::to_string).unwrap_or_default(),
        capabilities: session.capabilities.list(),
        tls,
        auth: session.auth_mechanism,
        round_trips: 0,
        time: Duration::ZERO,
    };
    probe.round_trips = session.quit_counted(observer);
    probe.time = start.elapsed();
    Ok(probe)
}
