//! Commands as values that write themselves (RFC 5321 §4.1.1); arguments are checked when built.

use thiserror::Error;

use super::xtext::{original_recipient, xtext};
use crate::message::{
    address::EnvelopeAddress,
    dsn::{Notify, Ret},
};

/// Why a command cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CommandError {
    /// The EHLO/HELO name is empty or holds characters a domain cannot hold.
    #[error("{0:?} is not a valid EHLO name (a host name or an address literal such as [192.0.2.1])")]
    InvalidClientId(String),
    /// A raw command holds a NUL byte, or is empty.
    #[error("the command is empty or contains a NUL byte")]
    InvalidRaw,
}

/// The name the client gives in EHLO/HELO: a domain or an address literal (RFC 5321 §4.1.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientId(String);

impl ClientId {
    /// Checks a host name or address literal.
    ///
    /// # Errors
    /// Empty, longer than 255 bytes, or with spaces or control characters.
    pub fn new(name: &str) -> Result<ClientId, CommandError> {
        let valid = !name.is_empty() && name.len() <= 255 && name.bytes().all(|b| b.is_ascii_graphic());
        if valid {
            Ok(ClientId(name.to_owned()))
        } else {
            Err(CommandError::InvalidClientId(name.to_owned()))
        }
    }

    /// The address literal for an IP address: `[192.0.2.1]` or `[IPv6:2001:db8::1]`.
    #[must_use]
    pub fn literal(ip: std::net::IpAddr) -> ClientId {
        match ip {
            std::net::IpAddr::V4(v4) => ClientId(format!("[{v4}]")),
            std::net::IpAddr::V6(v6) => ClientId(format!("[IPv6:{v6}]")),
        }
    }

    /// The name as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Parameters of MAIL FROM (RFC 1652 BODY, RFC 6531 SMTPUTF8, RFC 1870 SIZE, RFC 3461 RET
/// and ENVID).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailParams {
    /// `BODY=8BITMIME`: the message holds 8-bit bytes.
    pub eight_bit: bool,
    /// `SMTPUTF8`: addresses or headers hold UTF-8.
    pub smtputf8: bool,
    /// `SIZE=n`: the message size, when the server announced SIZE.
    pub size: Option<usize>,
    /// `RET=FULL|HDRS` (RFC 3461 §4.3), when the server announced DSN.
    pub ret: Option<Ret>,
    /// `ENVID=xtext` (RFC 3461 §4.4), when the server announced DSN.
    pub envid: Option<String>,
}

/// Parameters of RCPT TO (RFC 3461 §4.1, §4.2), sent only when the server announced DSN.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RcptParams {
    /// `NOTIFY=...`.
    pub notify: Option<Notify>,
    /// `ORCPT=rfc822;xtext` (or `utf-8;` for an internationalized address, RFC 6533): the
    /// recipient's own address, so that reports name it.
    pub orcpt: bool,
}

/// One SMTP command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `EHLO name` (RFC 5321 §4.1.1.1).
    Ehlo(ClientId),
    /// `HELO name`, for servers that refuse EHLO.
    Helo(ClientId),
    /// `MAIL FROM:<address>` with parameters (RFC 5321 §4.1.1.2).
    Mail(EnvelopeAddress, MailParams),
    /// `RCPT TO:<address>` with parameters (RFC 5321 §4.1.1.3).
    Rcpt(EnvelopeAddress, RcptParams),
    /// `DATA` (RFC 5321 §4.1.1.4).
    Data,
    /// `BDAT size LAST`: the whole message as one chunk, its bytes right after (RFC 3030).
    BdatLast(u64),
    /// `RSET` (RFC 5321 §4.1.1.5).
    Rset,
    /// `NOOP` (RFC 5321 §4.1.1.9).
    Noop,
    /// `QUIT` (RFC 5321 §4.1.1.10).
    Quit,
    /// `STARTTLS` (RFC 3207).
    StartTls,
    /// `AUTH mechanism [initial-response]` (RFC 4954); the response never shows in `display()`.
    Auth {
        /// The SASL mechanism name.
        mechanism: &'static str,
        /// The base64 initial response, if the mechanism sends one.
        initial: Option<String>,
    },
    /// A base64 line answering a 334 challenge; never shown in `display()`.
    AuthResponse(String),
    /// A caller's own command line(s), line ends already normalised to CRLF; `secret` masks
    /// it in `display()` (AUTH data).
    Raw {
        /// The bytes to send, CRLF included.
        bytes: Vec<u8>,
        /// Shown as `AUTH MECH ****` or `****`.
        secret: bool,
    },
}

impl Command {
    /// A caller's raw command: line ends become CRLF and one CRLF ends it.
    ///
    /// # Errors
    /// The command is empty or holds a NUL byte.
    pub fn raw(text: &[u8]) -> Result<Command, CommandError> {
        if text.contains(&0) {
            return Err(CommandError::InvalidRaw);
        }
        let mut normalised = Vec::with_capacity(text.len() + 2);
        super::data::LineEnds::default().push(text, &mut normalised);
        // Each non-empty line is a command; an empty line would be one too (a 500 from the
        // server, and every later reply one command behind).
        let mut out = Vec::with_capacity(normalised.len() + 2);
        for line in normalised.split(|&b| b == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l)) {
            if !line.is_empty() {
                out.extend_from_slice(line);
                out.extend_from_slice(b"\r\n");
            }
        }
        if out.is_empty() {
            return Err(CommandError::InvalidRaw);
        }
        let secret = is_auth_with_data(trim_line_end(&out));
        Ok(Command::Raw { bytes: out, secret })
    }

    /// A caller's raw line that answers a 334 AUTH challenge: masked wherever it is shown.
    ///
    /// # Errors
    /// As [`Command::raw`].
    pub fn raw_secret(text: &[u8]) -> Result<Command, CommandError> {
        match Command::raw(text)? {
            Command::Raw { bytes, .. } => Ok(Command::Raw { bytes, secret: true }),
            other => Ok(other),
        }
    }

    /// Appends the command and its CRLF to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        self.write_line(out);
        if !matches!(self, Command::Raw { .. }) {
            out.extend_from_slice(b"\r\n");
        }
    }

    /// The command as it goes on the wire, without the final CRLF (for `$lastact` and debug
    /// lines); AUTH data is masked as `****`.
    #[must_use]
    pub fn display(&self) -> String {
        match self {
            Command::Auth { mechanism, initial: Some(_) } => return format!("AUTH {mechanism} ****"),
            Command::AuthResponse(data) if !data.is_empty() => return "****".into(),
            Command::Raw { bytes, secret: true } => return mask_raw(bytes),
            _ => {}
        }
        let mut out = Vec::new();
        self.write_line(&mut out);
        let text = String::from_utf8_lossy(trim_line_end(&out)).into_owned();
        text.replace("\r\n", "\n")
    }

    fn write_line(&self, out: &mut Vec<u8>) {
        let text = match self {
            Command::Ehlo(id) => format!("EHLO {}", id.as_str()),
            Command::Helo(id) => format!("HELO {}", id.as_str()),
            Command::Mail(from, params) => mail_line(from, params),
            Command::Rcpt(to, params) => rcpt_line(to, params),
            Command::Data => "DATA".into(),
            Command::BdatLast(size) => format!("BDAT {size} LAST"),
            Command::Rset => "RSET".into(),
            Command::Noop => "NOOP".into(),
            Command::Quit => "QUIT".into(),
            Command::StartTls => "STARTTLS".into(),
            Command::Auth { mechanism, initial: None } => format!("AUTH {mechanism}"),
            Command::Auth { mechanism, initial: Some(data) } => format!("AUTH {mechanism} {data}"),
            Command::AuthResponse(data) => data.clone(),
            Command::Raw { bytes, .. } => return out.extend_from_slice(bytes),
        };
        out.extend_from_slice(text.as_bytes());
    }
}

fn mail_line(from: &EnvelopeAddress, params: &MailParams) -> String {
    let mut line = format!("MAIL FROM:<{from}>");
    if let Some(size) = params.size {
        line.push_str(&format!(" SIZE={size}"));
    }
    if params.eight_bit {
        line.push_str(" BODY=8BITMIME");
    }
    if params.smtputf8 {
        line.push_str(" SMTPUTF8");
    }
    match params.ret {
        Some(Ret::Full) => line.push_str(" RET=FULL"),
        Some(Ret::Headers) => line.push_str(" RET=HDRS"),
        None => {}
    }
    if let Some(envid) = &params.envid {
        line.push_str(" ENVID=");
        line.push_str(&xtext(envid.as_bytes()));
    }
    line
}

fn rcpt_line(to: &EnvelopeAddress, params: &RcptParams) -> String {
    let mut line = format!("RCPT TO:<{to}>");
    if let Some(notify) = params.notify {
        line.push_str(" NOTIFY=");
        line.push_str(&notify.words().join(",").to_ascii_uppercase());
    }
    if params.orcpt {
        line.push_str(" ORCPT=");
        line.push_str(&original_recipient(to.as_str()));
    }
    line
}

/// `AUTH MECH data`: a raw AUTH command that carries credentials.
fn is_auth_with_data(line: &[u8]) -> bool {
    let mut words = line.split(u8::is_ascii_whitespace).filter(|w| !w.is_empty());
    words.next().is_some_and(|w| w.eq_ignore_ascii_case(b"AUTH")) && words.nth(1).is_some()
}

/// `AUTH MECH ****` for a raw AUTH command, `****` for anything else secret.
fn mask_raw(bytes: &[u8]) -> String {
    let mut words = bytes.split(u8::is_ascii_whitespace).filter(|w| !w.is_empty());
    match (words.next(), words.next()) {
        (Some(auth), Some(mechanism)) if auth.eq_ignore_ascii_case(b"AUTH") => {
            format!("AUTH {} ****", String::from_utf8_lossy(mechanism).to_ascii_uppercase())
        }
        _ => "****".into(),
    }
}

fn trim_line_end(text: &[u8]) -> &[u8] {
    let text = text.strip_suffix(b"\n").unwrap_or(text);
    text.strip_suffix(b"\r").unwrap_or(text)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn addr(a: &str) -> EnvelopeAddress {
        EnvelopeAddress::parse(a).unwrap()
    }

    fn wire(cmd: &Command) -> String {
        let mut out = Vec::new();
        cmd.write_to(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn commands_write_themselves_with_crlf() {
        let id = ClientId::new("client.example").unwrap();
        let eight = MailParams { eight_bit: true, size: Some(1234), ..MailParams::default() };
        let cases = [
            (Command::Ehlo(id.clone()), "EHLO client.example\r\n"),
            (Command::Helo(id), "HELO client.example\r\n"),
            (Command::Mail(addr("a@example.com"), MailParams::default()), "MAIL FROM:<a@example.com>\r\n"),
            (Command::Mail(addr("a@example.com"), eight), "MAIL FROM:<a@example.com> SIZE=1234 BODY=8BITMIME\r\n"),
            (Command::Rcpt(addr("b@example.com"), RcptParams::default()), "RCPT TO:<b@example.com>\r\n"),
            (Command::Data, "DATA\r\n"),
            (Command::BdatLast(0), "BDAT 0 LAST\r\n"),
            (Command::BdatLast(1_048_576), "BDAT 1048576 LAST\r\n"),
            (Command::Rset, "RSET\r\n"),
            (Command::Noop, "NOOP\r\n"),
            (Command::Quit, "QUIT\r\n"),
            (Command::raw(b"VRFY x\n").unwrap(), "VRFY x\r\n"),
            (Command::raw(b"NOOP").unwrap(), "NOOP\r\n"),
            (Command::raw(b"NOOP\r\n").unwrap(), "NOOP\r\n"),
            (Command::raw(b"a\nb\rc").unwrap(), "a\r\nb\r\nc\r\n"),
            (Command::raw(b"NOOP\n\n").unwrap(), "NOOP\r\n"),
            (Command::raw(b"\r\nNOOP\r\n\r\nRSET\n\r").unwrap(), "NOOP\r\nRSET\r\n"),
        ];
        for (cmd, expected) in cases {
            assert_eq!(wire(&cmd), expected);
            assert_eq!(cmd.display(), expected.trim_end_matches("\r\n").replace("\r\n", "\n"));
        }
    }

    #[test]
    fn dsn_parameters() {
        let dsn = MailParams {
            size: Some(10),
            ret: Some(Ret::Headers),
            envid: Some("QQ314159 a+b=c".into()),
            ..MailParams::default()
        };
        let full = MailParams { smtputf8: true, ret: Some(Ret::Full), ..MailParams::default() };
        let envid_only = MailParams { envid: Some("x".into()), ..MailParams::default() };
        let notify =
            |success, failure, delay| RcptParams { notify: Some(Notify::On { success, failure, delay }), orcpt: true };
        let cases = [
            (
                Command::Mail(addr("a@example.com"), dsn),
                "MAIL FROM:<a@example.com> SIZE=10 RET=HDRS ENVID=QQ314159+20a+2Bb+3Dc",
            ),
            (Command::Mail(addr("a@example.com"), full), "MAIL FROM:<a@example.com> SMTPUTF8 RET=FULL"),
            (Command::Mail(addr("a@example.com"), envid_only), "MAIL FROM:<a@example.com> ENVID=x"),
            (
                Command::Rcpt(addr("b+tag=1@example.com"), notify(true, true, true)),
                "RCPT TO:<b+tag=1@example.com> NOTIFY=SUCCESS,FAILURE,DELAY ORCPT=rfc822;b+2Btag+3D1@example.com",
            ),
            (
                Command::Rcpt(addr("b@example.com"), notify(false, true, false)),
                "RCPT TO:<b@example.com> NOTIFY=FAILURE ORCPT=rfc822;b@example.com",
            ),
            (
                Command::Rcpt(addr("b@example.com"), RcptParams { notify: Some(Notify::Never), orcpt: true }),
                "RCPT TO:<b@example.com> NOTIFY=NEVER ORCPT=rfc822;b@example.com",
            ),
            (
                Command::Rcpt(addr("b@example.com"), RcptParams { notify: None, orcpt: true }),
                "RCPT TO:<b@example.com> ORCPT=rfc822;b@example.com",
            ),
            (
                Command::Rcpt(addr("jörg@bücher.example"), RcptParams { notify: None, orcpt: true }),
                "RCPT TO:<jörg@bücher.example> ORCPT=utf-8;j\\x{F6}rg@b\\x{FC}cher.example",
            ),
        ];
        for (cmd, expected) in cases {
            assert_eq!(wire(&cmd), format!("{expected}\r\n"));
            assert_eq!(cmd.display(), expected);
        }
    }

    #[test]
    fn client_ids_are_checked() {
        assert!(ClientId::new("localhost").is_ok());
        assert!(ClientId::new("[127.0.0.1]").is_ok());
        for bad in ["", "a b", "a\r\nMAIL", "x\0", "ü.example"] {
            assert!(ClientId::new(bad).is_err(), "{bad:?}");
        }
        assert_eq!(ClientId::literal("127.0.0.1".parse().unwrap()).as_str(), "[127.0.0.1]");
        assert_eq!(ClientId::literal("::1".parse().unwrap()).as_str(), "[IPv6:::1]");
    }

    #[test]
    fn raw_auth_data_is_masked() {
        assert_eq!(Command::raw(b"AUTH PLAIN AGZvbwBiYXI=\n").unwrap().display(), "AUTH PLAIN ****");
        assert_eq!(Command::raw(b"auth login dXNlcg==").unwrap().display(), "AUTH LOGIN ****");
        assert_eq!(Command::raw(b"AUTH LOGIN").unwrap().display(), "AUTH LOGIN");
        assert_eq!(Command::raw(b"AUTH\tPLAIN\tAGZvbwBiYXI=").unwrap().display(), "AUTH PLAIN ****");
        assert_eq!(Command::raw(b"AUTH PLAIN\nAGZvbwBiYXI=").unwrap().display(), "AUTH PLAIN ****");
        assert_eq!(Command::raw(b"AUTH LOGIN\ndXNlcg==\ncGFzcw==").unwrap().display(), "AUTH LOGIN ****");
        assert_eq!(Command::raw_secret(b"c2VjcmV0\r\n").unwrap().display(), "****");
        let mut out = Vec::new();
        Command::raw_secret(b"c2VjcmV0\n").unwrap().write_to(&mut out);
        assert_eq!(out, b"c2VjcmV0\r\n");
    }

    #[test]
    fn raw_commands_refuse_nul_and_empty() {
        assert_eq!(Command::raw(b""), Err(CommandError::InvalidRaw));
        assert_eq!(Command::raw(b"\r\n"), Err(CommandError::InvalidRaw));
        assert_eq!(Command::raw(b"NO\0OP"), Err(CommandError::InvalidRaw));
    }
}
