//! TLS and AUTH in a session: implicit TLS, STARTTLS done safely (RFC 3207), SASL (RFC 4954).

use std::str::FromStr;

use super::{error::Error, observer::Observer, session::Session};
use crate::{
    protocol::{Command, Credentials, Exchange, Mechanism, Peer, ReplyCode, Stage},
    transport::{client_config, Stream, TlsSettings},
};

/// When TLS is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsMode {
    /// Implicit TLS on port 465; elsewhere STARTTLS when the server offers it.
    #[default]
    Auto,
    /// STARTTLS (or implicit TLS on 465) or nothing: no AUTH, MAIL, RCPT or DATA in clear text.
    Required,
    /// TLS from the first byte (SMTPS).
    Implicit,
    /// Never TLS.
    Off,
}

impl TlsMode {
    /// TLS starts before the greeting on this port.
    #[must_use]
    pub fn implicit_on(self, port: u16) -> bool {
        self == TlsMode::Implicit || (port == 465 && matches!(self, TlsMode::Auto | TlsMode::Required))
    }
}

impl FromStr for TlsMode {
    type Err = String;

    fn from_str(mode: &str) -> Result<TlsMode, String> {
        match mode.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(TlsMode::Auto),
            "required" | "starttls" => Ok(TlsMode::Required),
            "implicit" | "smtps" | "ssl" => Ok(TlsMode::Implicit),
            "off" | "none" | "no" => Ok(TlsMode::Off),
            _ => Err(format!("{} is not a TLS mode (auto, required, implicit or off)", crate::message::Shown(mode))),
        }
    }
}

/// Credentials and how they may be used.
#[derive(Debug, Clone)]
pub struct AuthOptions {
    /// User and password (or token).
    pub credentials: Credentials,
    /// The mechanism to use; `None` picks the strongest the server offers.
    pub mechanism: Option<Mechanism>,
    /// Send credentials even without TLS to a server that is not on loopback.
    pub allow_without_tls: bool,
    /// A server on loopback may get credentials without TLS (true in PHP; tests turn it off to
    /// check the refusal against a loopback server).
    pub trust_loopback: bool,
}

impl Session {
    /// Runs the TLS handshake on a fresh connection (implicit TLS).
    pub(super) fn implicit_tls(
        stream: &mut Stream,
        host: &str,
        settings: &TlsSettings,
        deadline: std::time::Instant,
    ) -> Result<(), Error> {
        let config = client_config(settings).map_err(|e| Error::Tls { reason: e.to_string() })?;
        stream.start_tls(host, config, deadline).map_err(|e| Error::Tls { reason: e.to_string() })
    }

    /// Whether STARTTLS must follow this EHLO, per the mode and what the server offers.
    pub(super) fn wants_starttls(&self, mode: TlsMode) -> Result<bool, Error> {
        if self.conn.is_tls() || mode == TlsMode::Off {
            return Ok(false);
        }
        if self.capabilities.starttls() {
            return Ok(true);
        }
        if mode == TlsMode::Required {
            return Err(Error::Refused {
                stage: Stage::Tls,
                reason: "TLS is required but the server does not offer STARTTLS".into(),
            });
        }
        Ok(false)
    }

    /// STARTTLS, the handshake, and nothing learned in clear text kept.
    pub(super) fn starttls(
        &mut self,
        host: &str,
        settings: &TlsSettings,
        observer: &mut dyn Observer,
    ) -> Result<(), Error> {
        let config = client_config(settings).map_err(|e| Error::Tls { reason: e.to_string() })?;
        self.expect(&Command::StartTls, Stage::Tls, |code| code == ReplyCode::SERVICE_READY, observer)?;
        self.conn.start_tls(host, config)?;
        self.capabilities = crate::protocol::Capabilities::default();
        Ok(())
    }

    /// AUTH with the caller's mechanism, or the strongest offered; never without TLS unless the
    /// server is on loopback or the caller allowed it.
    pub(super) fn authenticate(
        &mut self,
        auth: &AuthOptions,
        peer: Peer<'_>,
        observer: &mut dyn Observer,
    ) -> Result<(), Error> {
        let refuse = |reason: String| Error::Refused { stage: Stage::Auth, reason };
        let trusted_peer = auth.trust_loopback && self.conn.peer_is_loopback();
        if !self.conn.is_tls() && !auth.allow_without_tls && !trusted_peer {
            return Err(refuse(
                "refusing to send credentials without TLS (the server offers no STARTTLS; allowInsecureAuth() permits it)"
                    .into(),
            ));
        }
        let offered = self.capabilities.auth_mechanisms();
        let mechanism = choose(auth.mechanism, &offered).map_err(refuse)?;
        let (mut exchange, first) = Exchange::start(mechanism, &auth.credentials, peer);
        let mut reply = self.conn.command(&first, Stage::Auth, observer)?;
        while reply.code().0 == 334 {
            let answer = match exchange.respond(&reply) {
                Ok(answer) => answer,
                Err(e) => {
                    // Cancel the exchange (RFC 4954 §4): the server answers 501 and the session
                    // goes on, instead of taking the next command for an answer.
                    self.conn.command(&Command::AuthResponse("*".into()), Stage::Auth, observer)?;
                    return Err(refuse(e.to_string()));
                }
            };
            reply = self.conn.command(&answer, Stage::Auth, observer)?;
        }
        if reply.code().0 == 235 {
            self.auth_mechanism = Some(mechanism.name());
            Ok(())
        } else {
            Err(Error::Rejected { stage: Stage::Auth, command: first.display(), reply })
        }
    }
}

/// The caller's mechanism if the server offers it, else the strongest offered.
fn choose(wanted: Option<Mechanism>, offered: &[String]) -> Result<Mechanism, String> {
    if offered.is_empty() {
        return Err("the server does not offer AUTH".into());
    }
    let has = |m: Mechanism| offered.iter().any(|o| o == m.name());
    match wanted {
        Some(m) if has(m) => Ok(m),
        Some(m) => Err(format!("the server does not offer AUTH {} (it offers {})", m.name(), offered.join(" "))),
        None => Mechanism::PREFERENCE
            .into_iter()
            .find(|m| has(*m))
            .ok_or_else(|| format!("no AUTH mechanism in common (the server offers {})", offered.join(" "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offered(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn mechanism_choice() {
        assert_eq!(choose(None, &offered(&["LOGIN", "PLAIN"])), Ok(Mechanism::Plain));
        assert_eq!(choose(None, &offered(&["LOGIN", "PLAIN", "CRAM-MD5"])), Ok(Mechanism::CramMd5));
        assert_eq!(choose(None, &offered(&["LOGIN"])), Ok(Mechanism::Login));
        assert!(choose(None, &offered(&["XOAUTH2", "GSSAPI"])).is_err());
        assert_eq!(choose(Some(Mechanism::XOAuth2), &offered(&["XOAUTH2", "PLAIN"])), Ok(Mechanism::XOAuth2));
        assert!(choose(Some(Mechanism::Login), &offered(&["PLAIN"])).is_err());
        assert!(choose(None, &[]).is_err());
    }

    #[test]
    fn modes() {
        assert_eq!("Required".parse(), Ok(TlsMode::Required));
        assert!("sometimes".parse::<TlsMode>().is_err());
        assert!(TlsMode::Auto.implicit_on(465) && !TlsMode::Auto.implicit_on(587));
        assert!(TlsMode::Implicit.implicit_on(25) && !TlsMode::Off.implicit_on(465));
    }
}
