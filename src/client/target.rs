//! The server as scripts give it in `$smtp`: `host`, `host:port`, `[v6addr]:port`.

/// Why `$smtp` names no server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetError(pub String);

impl std::fmt::Display for TargetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A server: host (without brackets) and, when given, a port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Host name or IP address.
    pub host: String,
    /// The port from `host:port`.
    pub port: Option<u16>,
}

/// Parses `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address.
///
/// # Errors
/// Empty, spaces or control characters, or a port that is not 1-65535.
pub fn parse_target(smtp: &str) -> Result<Target, TargetError> {
    if smtp.chars().any(char::is_control) {
        return Err(TargetError(format!(
            "{smtp:?} is not a host name (it contains control characters)"
        )));
    }
    let smtp = smtp.trim();
    if smtp.is_empty() {
        return Err(TargetError("no SMTP server given".into()));
    }
    if smtp.contains(char::is_whitespace) {
        return Err(TargetError(format!("{smtp:?} is not a host name (it contains spaces)")));
    }
    if let Some(rest) = smtp.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| TargetError(format!("{smtp:?}: missing ']'")))?;
        let port = match after {
            "" => None,
            _ => Some(parse_port(after.strip_prefix(':').unwrap_or(after), smtp)?),
        };
        return Ok(Target {
            host: host.to_owned(),
            port,
        });
    }
    if smtp.matches(':').count() > 1 {
        return Ok(Target {
            host: smtp.to_owned(),
            port: None,
        });
    }
    match smtp.split_once(':') {
        Some((host, port)) if !host.is_empty() => Ok(Target {
            host: host.to_owned(),
            port: Some(parse_port(port, smtp)?),
        }),
        Some(_) => Err(TargetError(format!("{smtp:?} has no host name"))),
        None => Ok(Target {
            host: smtp.to_owned(),
            port: None,
        }),
    }
}

fn parse_port(port: &str, smtp: &str) -> Result<u16, TargetError> {
    match port.parse::<u16>() {
        Ok(p) if p > 0 => Ok(p),
        _ => Err(TargetError(format!(
            "{smtp:?}: the port must be a number from 1 to 65535"
        ))),
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
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
            assert_eq!(
                parse_target(input).unwrap(),
                Target {
                    host: host.into(),
                    port
                },
                "{input:?}"
            );
        }
        for bad in [
            "",
            "  ",
            "host:0",
            "host:70000",
            "host:abc",
            ":25",
            "a b",
            "host\r\n",
            "[::1",
            "[::1]x",
        ] {
            assert!(parse_target(bad).is_err(), "{bad:?}");
        }
        assert_eq!(checked_port(25).unwrap(), 25);
        assert!(checked_port(0).is_err() && checked_port(65536).is_err() && checked_port(-1).is_err());
    }
}
