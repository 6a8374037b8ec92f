//! The `sendmail.*` php.ini settings, read when a mailer needs them (they can change with
//! `ini_set()`). A value that cannot be used gives an E_WARNING naming the setting, never a
//! silent default.

use std::time::Duration;

use ext_php_rs::{error::php_error, flags::ErrorType};

use super::zapi::ini_string;
use crate::client::{pool::DEFAULT_MAX_KEPT, TlsMode};

/// What php.ini says, for anything a script did not set itself.
#[derive(Debug, Clone, Default)]
pub struct IniSettings {
    /// `sendmail.dsn`, else `sendmail.host`: the server(s), as `$smtp` would name them.
    pub server: Option<String>,
    /// `sendmail.port`.
    pub port: u16,
    /// `sendmail.user` and `sendmail.password`.
    pub credentials: Option<(String, String)>,
    /// `sendmail.tls`.
    pub tls: Option<TlsMode>,
    /// `sendmail.timeout`.
    pub timeout: Option<Duration>,
    /// `sendmail.helo`.
    pub helo: Option<String>,
    /// `sendmail.from`.
    pub from: Option<String>,
    /// `sendmail.persistent`: connections kept by the process, across requests.
    pub persistent: bool,
    /// `sendmail.max_persistent`: how many the process keeps at most.
    pub max_persistent: usize,
}

/// The DKIM settings of php.ini, as set (any of them may be missing: the sender says so, and
/// sends nothing unsigned).
#[derive(Clone, Default)]
pub struct IniDkim {
    /// `sendmail.dkim_domain`.
    pub domain: Option<String>,
    /// `sendmail.dkim_selector`.
    pub selector: Option<String>,
    /// `sendmail.dkim_key`: PEM text or a file path.
    pub key: Option<String>,
}

/// Never shows the key.
impl std::fmt::Debug for IniDkim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IniDkim")
            .field("domain", &self.domain)
            .field("selector", &self.selector)
            .finish_non_exhaustive()
    }
}

/// The client certificate settings of php.ini, as set (one without the other is an error of
/// each send, never a connection without the certificate).
#[derive(Clone, Default)]
pub struct IniClientCert {
    /// `sendmail.client_cert`: PEM text or a file path.
    pub cert: Option<String>,
    /// `sendmail.client_key`: PEM text or a file path.
    pub key: Option<String>,
}

/// Never shows the key, nor where it is.
impl std::fmt::Debug for IniClientCert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IniClientCert")
            .field("cert", &self.cert.as_ref().map(|_| "(set)"))
            .field("key", &self.key.as_ref().map(|_| "(set)"))
            .finish()
    }
}

fn value(name: &str) -> Option<String> {
    ini_string(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn warn(setting: &str, problem: &str) {
    php_error(&ErrorType::Warning, &format!("php.ini {setting}: {problem}"));
}

/// The DKIM settings alone (they never warn: a send with unusable ones fails instead).
#[must_use]
pub fn read_dkim() -> Option<IniDkim> {
    let dkim = IniDkim {
        domain: value("sendmail.dkim_domain"),
        selector: value("sendmail.dkim_selector"),
        key: value("sendmail.dkim_key"),
    };
    (dkim.domain.is_some() || dkim.selector.is_some() || dkim.key.is_some()).then_some(dkim)
}

/// The client certificate settings alone (they never warn: a send with unusable ones fails).
#[must_use]
pub fn read_client_cert() -> Option<IniClientCert> {
    let cert = IniClientCert { cert: value("sendmail.client_cert"), key: value("sendmail.client_key") };
    (cert.cert.is_some() || cert.key.is_some()).then_some(cert)
}

/// Reads the settings; warns about each unusable value and leaves it out.
#[must_use]
pub fn read() -> IniSettings {
    let server = value("sendmail.dsn").or_else(|| value("sendmail.host"));
    let port = match value("sendmail.port").map(|p| p.parse::<u16>()) {
        None => 25,
        Some(Ok(p)) if p > 0 => p,
        Some(_) => {
            warn("sendmail.port", "not a port number from 1 to 65535; using 25");
            25
        }
    };
    let tls = value("sendmail.tls").and_then(|mode| match mode.parse::<TlsMode>() {
        Ok(mode) => Some(mode),
        Err(e) => {
            warn("sendmail.tls", &format!("{e}; using auto"));
            None
        }
    });
    let timeout = value("sendmail.timeout").and_then(|t| match t.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 && s <= 86_400.0 => Some(Duration::from_secs_f64(s)),
        _ => {
            warn(
                "sendmail.timeout",
                &format!(
                    "{} is not a number of seconds from 0 to 86400; using default_socket_timeout",
                    crate::message::Shown(&t)
                ),
            );
            None
        }
    });
    let credentials = value("sendmail.user").map(|user| (user, ini_string("sendmail.password").unwrap_or_default()));
    let persistent = value("sendmail.persistent").is_some_and(|on| match on.to_ascii_lowercase().as_str() {
        "1" | "on" | "yes" | "true" => true,
        "0" | "off" | "no" | "false" | "none" => false,
        _ => {
            warn("sendmail.persistent", &format!("{} is not On or Off; using Off", crate::message::Shown(&on)));
            false
        }
    });
    let max_persistent = match value("sendmail.max_persistent").map(|n| n.parse::<usize>()) {
        None => DEFAULT_MAX_KEPT,
        Some(Ok(n)) if n <= 1024 => n,
        Some(_) => {
            warn("sendmail.max_persistent", &format!("not a number from 0 to 1024; using {DEFAULT_MAX_KEPT}"));
            DEFAULT_MAX_KEPT
        }
    };
    IniSettings {
        server,
        port,
        credentials,
        tls,
        timeout,
        helo: value("sendmail.helo"),
        from: value("sendmail.from"),
        persistent,
        max_persistent,
    }
}
