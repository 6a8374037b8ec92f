//! The server as scripts give it in `$smtp`: `host`, `host:port`, `[v6addr]:port`, a URL
//! (`smtp://user:pass@host:587?tls=required&timeout=10`, `smtps://host`), or a failover list
//! `host1;host2:2525`. Passwords never appear in error texts.

use std::{fmt, time::Duration};

use super::{controls::RelayMode, security::TlsMode};
use crate::{message::Shown, protocol::Mechanism};

/// Why `$smtp` names no server. The text never holds a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetError(pub String);

impl fmt::Display for TargetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One server and what its URL says about it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Target {
    /// Host name or IP address (without brackets).
    pub host: String,
    /// The port, when given.
    pub port: Option<u16>,
    /// User name from the URL (percent-decoded).
    pub user: Option<String>,
    /// Password from the URL (percent-decoded).
    pub password: Option<String>,
    /// `smtps://` or `?tls=`.
    pub tls: Option<TlsMode>,
    /// `?timeout=` in seconds.
    pub timeout: Option<Duration>,
    /// `?helo=`.
    pub helo: Option<String>,
    /// `?verify_peer=0|1`.
    pub verify_peer: Option<bool>,
    /// `?auth=PLAIN|LOGIN|CRAM-MD5|XOAUTH2|OAUTHBEARER`.
    pub mechanism: Option<Mechanism>,
    /// `?persistent=0|1`.
    pub persistent: Option<bool>,
    /// `?max_per_second=`: messages per second (0: no limit).
    pub max_per_second: Option<f64>,
    /// `?restart_threshold=`: messages per connection (0: no limit).
    pub restart_threshold: Option<u32>,
    /// `?ping_threshold=`: seconds of idleness after which a kept connection gets a NOOP.
    pub ping_threshold: Option<Duration>,
    /// `?relay_mode=failover|roundrobin`.
    pub relay_mode: Option<RelayMode>,
    /// `?source_ip=`: the local address to connect from.
    pub source_ip: Option<std::net::IpAddr>,
}

/// Parses `$smtp`: one server or several separated by `;`, each a host or a URL.
///
/// # Errors
/// Nothing usable, control characters, spaces, an unknown scheme or option, or a bad port.
pub fn parse_targets(smtp: &str) -> Result<Vec<Target>, TargetError> {
    if smtp.chars().any(char::is_control) {
        return Err(TargetError(format!("{} contains control characters", Shown(&redact(smtp)))));
    }
    let targets = entries(smtp)
        .into_iter()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(parse_one)
        .collect::<Result<Vec<_>, _>>()?;
    if targets.is_empty() {
        return Err(TargetError("no SMTP server given".into()));
    }
    Ok(targets)
}

fn parse_one(text: &str) -> Result<Target, TargetError> {
    if text.contains(char::is_whitespace) {
        return Err(TargetError(format!("{} is not a host name (it contains spaces)", Shown(&redact(text)))));
    }
    match text.split_once("://") {
        Some((scheme, rest)) => parse_url(scheme, rest, text),
        None => {
            let (host, port) = host_port(text, text)?;
            Ok(Target { host, port, ..Target::default() })
        }
    }
}

fn parse_url(scheme: &str, rest: &str, whole: &str) -> Result<Target, TargetError> {
    let tls = match scheme.to_ascii_lowercase().as_str() {
        // `tcp://` is PHP's stream prefix for a plain connection, as a bare host is.
        "smtp" | "tcp" => None,
        // `ssl://` and `tls://` are PHP's stream prefixes for TLS from the first byte.
        "smtps" | "ssl" | "tls" => Some(TlsMode::Implicit),
        _ => {
            return Err(TargetError(format!(
                "{}: the scheme must be smtp://, smtps://, ssl://, tls:// or tcp://",
                Shown(&redact(whole))
            )))
        }
    };
    // The user and password run to the last `@`: a raw password may hold `?`, `;`, `/` or `@`.
    let (userinfo, after) = match rest.rsplit_once('@') {
        Some((userinfo, after)) => (Some(userinfo), after),
        None => (None, rest),
    };
    let (hostport, query) = after.split_once('?').unwrap_or((after, ""));
    let hostport = hostport.trim_end_matches('/');
    let (host, port) = host_port(hostport, &redact(whole))?;
    let mut target = Target { host, port, tls, ..Target::default() };
    if let Some(userinfo) = userinfo {
        let (user, password) = userinfo.split_once(':').map_or((userinfo, None), |(u, p)| (u, Some(p)));
        target.user = Some(percent_decode(user).ok_or_else(|| bad_escape(whole, "user"))?);
        target.password = match password {
            Some(p) => Some(percent_decode(p).ok_or_else(|| bad_escape(whole, "password"))?),
            None => None,
        };
    }
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(value).ok_or_else(|| bad_escape(whole, key))?;
        apply_option(&mut target, key, &value)
            .map_err(|why| TargetError(format!("{}: {why}", Shown(&redact(whole)))))?;
    }
    Ok(target)
}

fn apply_option(target: &mut Target, key: &str, value: &str) -> Result<(), String> {
    match key {
        "tls" => target.tls = Some(value.parse()?),
        "timeout" => {
            let seconds: f64 = value.parse().map_err(|_| format!("timeout={value} is not a number of seconds"))?;
            if !(seconds.is_finite() && seconds > 0.0 && seconds <= 86_400.0) {
                return Err(format!("timeout={value} must be greater than 0 and at most 86400"));
            }
            target.timeout = Some(Duration::from_secs_f64(seconds));
        }
        "helo" | "ehlo" => target.helo = Some(value.to_owned()),
        "verify_peer" => target.verify_peer = Some(!matches!(value, "0" | "false" | "no" | "off")),
        "persistent" => {
            target.persistent = Some(match value.to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => true,
                "0" | "false" | "no" | "off" => false,
                _ => return Err(format!("persistent={} is not 0 or 1", Shown(value))),
            });
        }
        "max_per_second" => target.max_per_second = Some(number(key, value, 1_000_000.0)?),
        "ping_threshold" => target.ping_threshold = Some(Duration::from_secs_f64(number(key, value, 86_400.0)?)),
        "restart_threshold" => {
            target.restart_threshold =
                Some(value.parse().map_err(|_| format!("restart_threshold={value} is not a number of messages"))?);
        }
        "relay_mode" => target.relay_mode = Some(value.parse()?),
        "auth" => {
            target.mechanism = Some(
                Mechanism::parse(value)
                    .ok_or_else(|| format!("auth={value} is not PLAIN, LOGIN, CRAM-MD5, XOAUTH2 or OAUTHBEARER"))?,
            );
        }
        "source_ip" => {
            target.source_ip =
                Some(parse_ip(value).ok_or_else(|| format!("source_ip={} is not an IP address", Shown(value)))?);
        }
        other => {
            return Err(format!(
                "unknown option {} (tls, timeout, helo, verify_peer, auth, source_ip, persistent, max_per_second, \
                 restart_threshold, ping_threshold, relay_mode)",
                Shown(other)
            ))
        }
    }
    Ok(())
}

/// A number from 0 to `max` (a rate, or seconds).
fn number(key: &str, value: &str, max: f64) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(n) if n.is_finite() && (0.0..=max).contains(&n) => Ok(n),
        _ => Err(format!("{key}={} must be a number from 0 to {max}", Shown(value))),
    }
}

/// An IPv4 or IPv6 address, the latter also in brackets (`[::1]`).
#[must_use]
pub fn parse_ip(text: &str) -> Option<std::net::IpAddr> {
    let bare = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')).unwrap_or(text);
    bare.parse().ok()
}

/// `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address.
fn host_port(text: &str, shown: &str) -> Result<(String, Option<u16>), TargetError> {
    if let Some(rest) = text.strip_prefix('[') {
        let (host, after) =
            rest.split_once(']').ok_or_else(|| TargetError(format!("{}: missing ']'", Shown(shown))))?;
        let port = match after {
            "" => None,
            _ => Some(parse_port(after.strip_prefix(':').unwrap_or(after), shown)?),
        };
        return Ok((host.to_owned(), port));
    }
    if text.matches(':').count() > 1 {
        return Ok((text.to_owned(), None));
    }
    match text.split_once(':') {
        Some((host, port)) if !host.is_empty() => Ok((host.to_owned(), Some(parse_port(port, shown)?))),
        Some(_) => Err(TargetError(format!("{} has no host name", Shown(shown)))),
        None if text.is_empty() => Err(TargetError(format!("{} has no host name", Shown(shown)))),
        None => Ok((text.to_owned(), None)),
    }
}

fn parse_port(port: &str, shown: &str) -> Result<u16, TargetError> {
    match port.parse::<u16>() {
        Ok(p) if p > 0 => Ok(p),
        _ => Err(TargetError(format!("{}: the port must be a number from 1 to 65535", Shown(shown)))),
    }
}

/// A port from the `$port` property, checked.
///
/// # Errors
/// Outside 1-65535.
pub fn checked_port(port: i64) -> Result<u16, TargetError> {
    match u16::try_from(port) {
        Ok(p) if p > 0 => Ok(p),
        _ => Err(TargetError(format!("port {port} is out of range (1-65535)"))),
    }
}

/// `$smtp` with any URL password replaced by `****`, for messages and for showing the property.
#[must_use]
pub fn redact(smtp: &str) -> String {
    entries(smtp)
        .into_iter()
        .map(|entry| {
            let Some((scheme, rest)) = entry.split_once("://") else {
                return entry.to_owned();
            };
            match rest.rsplit_once('@') {
                Some((userinfo, after)) => match userinfo.split_once(':') {
                    Some((user, _)) => format!("{scheme}://{user}:****@{after}"),
                    None => entry.to_owned(),
                },
                None => entry.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// The entries of `$smtp`, split at `;`, except inside a URL's user and password: those run
/// from `scheme://` to the last `@` before the next URL, so a raw password may hold `;`.
fn entries(smtp: &str) -> Vec<&str> {
    let starts = url_starts(smtp);
    let mut out = Vec::new();
    let mut pos = 0;
    for (i, &start) in starts.iter().enumerate() {
        out.extend(smtp.get(pos..start).unwrap_or_default().split(';'));
        let limit = starts.get(i + 1).copied().unwrap_or(smtp.len());
        let url = smtp.get(start..limit).unwrap_or_default();
        let authority = url.find("://").map_or(0, |i| i + 3);
        let host = url.get(authority..).and_then(|rest| rest.rfind('@')).map_or(authority, |at| authority + at + 1);
        let end = url.get(host..).and_then(|rest| rest.find(';')).map_or(url.len(), |i| host + i);
        out.push(url.get(..end).unwrap_or(url));
        pos = start + end;
    }
    out.extend(smtp.get(pos..).unwrap_or_default().split(';'));
    out.retain(|entry| !entry.trim().is_empty());
    out
}

/// Where each URL of `$smtp` starts: a scheme (a letter, then letters, digits, `+`, `-`, `.`)
/// and `://`, at the start, or right after a `;` (spaces allowed between) when the scheme is
/// one of ours (`smtp`, `smtps`, `ssl`, `tls`, `tcp`), so that a password may even hold `;x://`.
fn url_starts(smtp: &str) -> Vec<usize> {
    let bytes = smtp.as_bytes();
    let mut starts = Vec::new();
    let mut from = 0;
    while let Some(found) = smtp.get(from..).and_then(|rest| rest.find("://")) {
        let colon = from + found;
        let mut start = colon;
        while start > 0 && bytes.get(start - 1).is_some_and(|b| b.is_ascii_alphanumeric() || b"+-.".contains(b)) {
            start -= 1;
        }
        let before = smtp.get(..start).unwrap_or_default().trim_end();
        let scheme_ok = bytes.get(start).is_some_and(u8::is_ascii_alphabetic) && start < colon;
        let scheme = smtp.get(start..colon).unwrap_or_default();
        let listed = before.ends_with(';')
            && ["smtp", "smtps", "ssl", "tls", "tcp"].iter().any(|known| scheme.eq_ignore_ascii_case(known));
        if scheme_ok && (before.is_empty() || listed) {
            starts.push(start);
        }
        from = colon + 3;
    }
    starts
}

fn bad_escape(whole: &str, what: &str) -> TargetError {
    TargetError(format!("{}: bad %-escape in the {what}", Shown(&redact(whole))))
}

/// Decodes `%XX` escapes; `None` for a broken escape or a result that is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hi = char::from(bytes.next()?).to_digit(16)?;
            let lo = char::from(bytes.next()?).to_digit(16)?;
            out.push(u8::try_from(hi * 16 + lo).ok()?);
        } else {
            out.push(b);
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn one(text: &str) -> Target {
        let mut all = parse_targets(text).unwrap();
        assert_eq!(all.len(), 1);
        all.remove(0)
    }

    #[test]
    fn hosts() {
        let cases = [
            ("mail.example.com", "mail.example.com", None),
            (" mail.example.com ", "mail.example.com", None),
            ("127.0.0.1:2525", "127.0.0.1", Some(2525)),
            ("[::1]:587", "::1", Some(587)),
            ("[::1]", "::1", None),
            ("::1", "::1", None),
            ("2001:db8::25", "2001:db8::25", None),
        ];
        for (input, host, port) in cases {
            let t = one(input);
            assert_eq!((t.host.as_str(), t.port), (host, port), "{input:?}");
        }
        for bad in ["", "  ", ";", "host:0", "host:70000", "host:abc", ":25", "a b", "host\r\n", "[::1", "[::1]x"] {
            assert!(parse_targets(bad).is_err(), "{bad:?}");
        }
        assert_eq!(checked_port(25).unwrap(), 25);
        assert!(checked_port(0).is_err() && checked_port(65536).is_err() && checked_port(-1).is_err());
    }

    #[test]
    fn urls() {
        let t = one("smtp://us%40er:p%3Ass%25w@mail.example.com:587?tls=required&timeout=2.5&helo=me.example&verify_peer=0&auth=login");
        assert_eq!(t.host, "mail.example.com");
        assert_eq!(t.port, Some(587));
        assert_eq!(t.user.as_deref(), Some("us@er"));
        assert_eq!(t.password.as_deref(), Some("p:ss%w"));
        assert_eq!(t.tls, Some(TlsMode::Required));
        assert_eq!(t.timeout, Some(Duration::from_millis(2500)));
        assert_eq!(t.helo.as_deref(), Some("me.example"));
        assert_eq!(t.verify_peer, Some(false));
        assert_eq!(t.mechanism, Some(Mechanism::Login));
        assert_eq!(t.source_ip, None);
        let bound = one("smtp://mail.example.com?source_ip=192.0.2.7");
        assert_eq!(bound.source_ip, Some(std::net::IpAddr::from([192, 0, 2, 7])));
        let bound6 = one("smtp://mail.example.com?source_ip=%5B2001:db8::7%5D");
        assert_eq!(bound6.source_ip, "2001:db8::7".parse().ok());
        for bad in ["mail.example.com", "", "192.0.2.300", "127.0.0.1:25"] {
            let error = parse_targets(&format!("smtp://u:hunter2@h?source_ip={bad}")).unwrap_err();
            assert!(error.0.ends_with(&format!("source_ip={bad:?} is not an IP address")), "{error}");
        }
        let s = one("smtps://mail.example.com");
        assert_eq!((s.tls, s.port), (Some(TlsMode::Implicit), None));
        let v6 = one("smtp://[::1]:2525/");
        assert_eq!((v6.host.as_str(), v6.port), ("::1", Some(2525)));
        for (prefixed, tls) in [
            ("ssl://smtp.example.com", Some(TlsMode::Implicit)),
            ("TLS://smtp.example.com:465", Some(TlsMode::Implicit)),
            ("tcp://smtp.example.com:25", None),
        ] {
            let t = one(prefixed);
            assert_eq!((t.host.as_str(), t.tls), ("smtp.example.com", tls), "{prefixed}");
        }
        let listed = parse_targets("ssl://a.example;tcp://b.example:2525").unwrap();
        assert_eq!(
            listed.iter().map(|t| (t.host.as_str(), t.tls)).collect::<Vec<_>>(),
            [("a.example", Some(TlsMode::Implicit)), ("b.example", None)]
        );
        let token = one("smtp://user@example.com@smtp.example.com");
        assert_eq!((token.user.as_deref(), token.host.as_str()), (Some("user@example.com"), "smtp.example.com"));
    }

    #[test]
    fn failover_lists() {
        let all = parse_targets("a.example;b.example:2525; smtps://c.example").unwrap();
        let hosts: Vec<(&str, Option<u16>)> = all.iter().map(|t| (t.host.as_str(), t.port)).collect();
        assert_eq!(hosts, [("a.example", None), ("b.example", Some(2525)), ("c.example", None)]);
    }

    #[test]
    fn errors_never_show_the_password() {
        for bad in [
            "smtp://u:hunter2@host:99999",
            "ftp://u:hunter2@host",
            "smtp://u:hunter2@host?tls=maybe",
            "smtp://u:hunter2@host?bogus=1",
            "smtp://u:hunter2@[::1",
            "smtp://u:hunt%zzer2@host",
            "smtp://u:hunter2@host?timeout=-1",
            "smtp://u:hunter2@:25",
        ] {
            let err = parse_targets(bad).unwrap_err();
            assert!(!err.0.contains("hunter2") && !err.0.contains("hunt"), "{bad:?} gave {err}");
        }
        assert_eq!(redact("smtp://u:hunter2@h:25?tls=off;b.example"), "smtp://u:****@h:25?tls=off;b.example");
        assert_eq!(redact("smtp://u@h"), "smtp://u@h");
    }

    #[test]
    fn a_raw_password_may_hold_separators() {
        for (smtp, password) in [
            ("smtp://u:pa;ss@h1:2525;h2", "pa;ss"),
            ("smtp://u:pa?ss@h1:2525?tls=off;h2", "pa?ss"),
            ("smtp://u:p@ss/;x@h1:2525;h2", "p@ss/;x"),
            ("h0; smtp://u:a;b?c@h1:2525 ;h2", "a;b?c"),
            ("smtp://u:a;b://c@h1:2525;h2", "a;b://c"),
        ] {
            let all = parse_targets(smtp).unwrap();
            let url = all.iter().find(|t| t.password.is_some()).unwrap();
            assert_eq!((url.host.as_str(), url.port, url.password.as_deref()), ("h1", Some(2525), Some(password)));
            assert_eq!(all.last().map(|t| t.host.as_str()), Some("h2"), "{smtp}");
            let shown = redact(smtp);
            assert!(!shown.contains(password) && shown.contains(":****@h1:2525"), "{smtp} shown as {shown}");
        }
    }
}
