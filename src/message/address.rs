//! Envelope addresses for MAIL FROM and RCPT TO, checked before they reach the wire (RFC 5321 §4.1.2).

use std::fmt;

use thiserror::Error;

/// Longest local part (RFC 5321 §4.5.3.1.1).
const MAX_LOCAL: usize = 64;
/// Longest address between the angle brackets (RFC 5321 §4.5.3.1.3, path of 256 less `<>`).
const MAX_ADDRESS: usize = 254;

/// Why a string is not an envelope address.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AddressError {
    /// Nothing was given.
    #[error("the address is empty")]
    Empty,
    /// CR, LF, NUL or another control character.
    #[error("the address contains a control character (CR, LF or NUL)")]
    ControlCharacter,
    /// No `@`, or nothing before or after it.
    #[error("{} is not an address of the form local@domain", super::Shown(.0))]
    NotAnAddress(String),
    /// A character or shape that RFC 5321 does not allow.
    #[error("{shown} is not a valid address: {reason}", shown = super::Shown(.0), reason = .1)]
    Invalid(String, &'static str),
    /// Longer than the limits of RFC 5321 §4.5.3.1.
    #[error("the address is longer than RFC 5321 allows")]
    TooLong,
}

/// A checked `local@domain` address, as written between `<` and `>` in MAIL FROM and RCPT TO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvelopeAddress(String);

impl EnvelopeAddress {
    /// Checks an address (`user@example.com`, `"odd user"@example.com`, `user@[192.0.2.1]`).
    ///
    /// # Errors
    /// The address is empty, holds control characters, or is not `local@domain` in RFC 5321 syntax.
    pub fn parse(input: &str) -> Result<EnvelopeAddress, AddressError> {
        if input.is_empty() {
            return Err(AddressError::Empty);
        }
        if input.chars().any(char::is_control) || input.contains(['\u{2028}', '\u{2029}']) {
            return Err(AddressError::ControlCharacter);
        }
        if input.len() > MAX_ADDRESS {
            return Err(AddressError::TooLong);
        }
        let (local, domain) = input.rsplit_once('@').ok_or_else(|| AddressError::NotAnAddress(input.into()))?;
        if local.is_empty() || domain.is_empty() {
            return Err(AddressError::NotAnAddress(input.into()));
        }
        let invalid = |why| AddressError::Invalid(input.into(), why);
        if local.len() > MAX_LOCAL {
            return Err(AddressError::TooLong);
        }
        check_local(local).map_err(invalid)?;
        check_domain(domain).map_err(invalid)?;
        Ok(EnvelopeAddress(input.into()))
    }

    /// The address as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address holds non-ASCII characters, so it needs SMTPUTF8 (RFC 6531).
    #[must_use]
    pub fn needs_smtputf8(&self) -> bool {
        !self.0.is_ascii()
    }

    /// The same address with its domain in punycode (RFC 5890), for servers without SMTPUTF8.
    /// `None` when the local part is not ASCII: such an address cannot be written in ASCII.
    #[must_use]
    pub fn to_ascii(&self) -> Option<EnvelopeAddress> {
        let (local, domain) = self.0.rsplit_once('@')?;
        if !local.is_ascii() {
            return None;
        }
        if domain.is_ascii() {
            return Some(self.clone());
        }
        let ascii = idna::domain_to_ascii(domain).ok()?;
        Some(EnvelopeAddress(format!("{local}@{ascii}")))
    }
}

impl fmt::Display for EnvelopeAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// RFC 5322 `atext`, plus any non-ASCII character (RFC 6531 `UTF8-non-ascii`).
fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c) || !c.is_ascii()
}

fn check_local(local: &str) -> Result<(), &'static str> {
    if let Some(inner) = local.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
        return check_quoted(inner);
    }
    if local.split('.').any(|atom| atom.is_empty() || !atom.chars().all(is_atext)) {
        return Err("the local part needs quoting (spaces, brackets, commas or dots in a row)");
    }
    Ok(())
}

fn check_quoted(inner: &str) -> Result<(), &'static str> {
    let mut escaped = false;
    for c in inner.chars() {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '"') => return Err("an unescaped quote inside a quoted local part"),
            _ => {}
        }
    }
    if escaped {
        return Err("a quoted local part ends with a backslash");
    }
    Ok(())
}

fn check_domain(domain: &str) -> Result<(), &'static str> {
    if let Some(literal) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        return check_literal(literal);
    }
    if domain.len() > 255 {
        return Err("the domain is too long");
    }
    for label in domain.split('.') {
        let ok_chars = label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || !c.is_ascii());
        if label.is_empty() || label.len() > 63 || !ok_chars || label.starts_with('-') || label.ends_with('-') {
            return Err("the domain is not a host name");
        }
    }
    Ok(())
}

fn check_literal(literal: &str) -> Result<(), &'static str> {
    let valid = match literal.strip_prefix("IPv6:") {
        Some(v6) => v6.parse::<std::net::Ipv6Addr>().is_ok(),
        None => literal.parse::<std::net::Ipv4Addr>().is_ok(),
    };
    if valid {
        Ok(())
    } else {
        Err("the address literal is not an IP address")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn valid_addresses() {
        for ok in [
            "user@example.com",
            "first.last+tag@sub.example.co.uk",
            "a@b",
            "\"odd user\"@example.com",
            "\"q\\\"uote\"@example.com",
            "user@[192.0.2.1]",
            "user@[IPv6:2001:db8::1]",
            "用户@例子.广告",
            "o'brien@example.ie",
        ] {
            assert_eq!(EnvelopeAddress::parse(ok).unwrap().as_str(), ok);
        }
    }

    type Check = fn(&AddressError) -> bool;

    #[test]
    fn invalid_addresses() {
        let cases: &[(&str, Check)] = &[
            ("", |e| *e == AddressError::Empty),
            ("user", |e| matches!(e, AddressError::NotAnAddress(_))),
            ("@example.com", |e| matches!(e, AddressError::NotAnAddress(_))),
            ("user@", |e| matches!(e, AddressError::NotAnAddress(_))),
            ("a b@example.com", |e| matches!(e, AddressError::Invalid(..))),
            ("a..b@example.com", |e| matches!(e, AddressError::Invalid(..))),
            (".a@example.com", |e| matches!(e, AddressError::Invalid(..))),
            ("<a@example.com>", |e| matches!(e, AddressError::Invalid(..))),
            ("a@example.com, b@example.com", |e| matches!(e, AddressError::Invalid(..))),
            ("a@exa mple.com", |e| matches!(e, AddressError::Invalid(..))),
            ("a@-example.com", |e| matches!(e, AddressError::Invalid(..))),
            ("a@example..com", |e| matches!(e, AddressError::Invalid(..))),
            ("a@[300.1.1.1]", |e| matches!(e, AddressError::Invalid(..))),
            ("a@example.com\r\nRCPT TO:<evil@x>", |e| *e == AddressError::ControlCharacter),
            ("a\n@example.com", |e| *e == AddressError::ControlCharacter),
            ("a\0@example.com", |e| *e == AddressError::ControlCharacter),
            ("a\u{2028}@example.com", |e| *e == AddressError::ControlCharacter),
            ("\"bad\"quote\"@example.com", |e| matches!(e, AddressError::Invalid(..))),
        ];
        for (input, check) in cases {
            let err = EnvelopeAddress::parse(input).unwrap_err();
            assert!(check(&err), "{input:?} gave {err:?}");
        }
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert_eq!(EnvelopeAddress::parse(&long_local), Err(AddressError::TooLong));
        let long = format!("a@{}.com", "b".repeat(260));
        assert_eq!(EnvelopeAddress::parse(&long), Err(AddressError::TooLong));
    }

    #[test]
    fn punycode_domains() {
        let a = EnvelopeAddress::parse("info@münchen.example").unwrap();
        assert_eq!(a.to_ascii().unwrap().as_str(), "info@xn--mnchen-3ya.example");
        assert!(EnvelopeAddress::parse("jürgen@example.com").unwrap().to_ascii().is_none());
        assert_eq!(EnvelopeAddress::parse("a@example.com").unwrap().to_ascii().unwrap().as_str(), "a@example.com");
    }

    #[test]
    fn smtputf8_is_needed_only_for_non_ascii() {
        assert!(!EnvelopeAddress::parse("a@example.com").unwrap().needs_smtputf8());
        assert!(EnvelopeAddress::parse("ü@example.com").unwrap().needs_smtputf8());
    }
}
