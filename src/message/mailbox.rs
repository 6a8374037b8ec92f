//! Mailboxes as PHP scripts write them: `a@example.com`, `Name <a@example.com>`, comma-separated lists (RFC 5322 §3.4).

use thiserror::Error;

use super::address::{AddressError, EnvelopeAddress};

/// Why a string is not a mailbox or a list of them.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MailboxError {
    /// The list holds no address.
    #[error("no address given")]
    Empty,
    /// An address inside is not valid.
    #[error(transparent)]
    Address(#[from] AddressError),
    /// Unbalanced quotes or angle brackets, or text after `>`.
    #[error("{} is not an address or `Name <address>`", super::Shown(.0))]
    Syntax(String),
}

/// One mailbox: an optional display name and its address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    /// The display name, unquoted, if one was given.
    pub name: Option<String>,
    /// The address.
    pub address: EnvelopeAddress,
}

impl Mailbox {
    /// Parses `address`, `<address>` or `Name <address>` (the name may be quoted).
    ///
    /// # Errors
    /// Control characters, unbalanced brackets or quotes, or an invalid address.
    pub fn parse(input: &str) -> Result<Mailbox, MailboxError> {
        if input.chars().any(char::is_control) || input.contains(['\u{2028}', '\u{2029}']) {
            return Err(AddressError::ControlCharacter.into());
        }
        let input = input.trim();
        let Some(open) = input.rfind('<') else {
            return Ok(Mailbox { name: None, address: EnvelopeAddress::parse(input)? });
        };
        let (name, rest) = input.split_at(open);
        let inner = rest
            .strip_prefix('<')
            .and_then(|r| r.strip_suffix('>'))
            .ok_or_else(|| MailboxError::Syntax(input.into()))?;
        let name = unquote(name.trim()).ok_or_else(|| MailboxError::Syntax(input.into()))?;
        let address = EnvelopeAddress::parse(inner)?;
        Ok(Mailbox { name: (!name.is_empty()).then_some(name), address })
    }
}

fn unquote(name: &str) -> Option<String> {
    let Some(inner) = name.strip_prefix('"') else {
        return (!name.contains('"')).then(|| name.to_owned());
    };
    let inner = inner.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            '"' => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

/// Splits a comma-separated list of mailboxes; commas inside quotes or angle brackets do not split.
///
/// # Errors
/// An empty list, or any item that is not a mailbox.
pub fn parse_mailbox_list(input: &str) -> Result<Vec<Mailbox>, MailboxError> {
    let mut items = Vec::new();
    let (mut start, mut quoted, mut angle, mut escaped) = (0, false, false, false);
    for (i, c) in input.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '<' if !quoted => angle = true,
            '>' if !quoted => angle = false,
            ',' if !quoted && !angle => {
                items.push(input.get(start..i).unwrap_or_default());
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(input.get(start..).unwrap_or_default());
    let mailboxes: Vec<Mailbox> =
        items.into_iter().filter(|item| !item.trim().is_empty()).map(Mailbox::parse).collect::<Result<_, _>>()?;
    if mailboxes.is_empty() {
        return Err(MailboxError::Empty);
    }
    Ok(mailboxes)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn one(input: &str) -> (Option<String>, String) {
        let m = Mailbox::parse(input).unwrap();
        (m.name, m.address.as_str().to_owned())
    }

    #[test]
    fn mailbox_forms() {
        let cases = [
            ("a@example.com", None, "a@example.com"),
            ("  a@example.com ", None, "a@example.com"),
            ("<a@example.com>", None, "a@example.com"),
            ("Ann <a@example.com>", Some("Ann"), "a@example.com"),
            ("\"Doe, John\" <j@example.com>", Some("Doe, John"), "j@example.com"),
            ("\"say \\\"hi\\\"\" <h@example.com>", Some("say \"hi\""), "h@example.com"),
            ("Zoë Ünal <z@example.com>", Some("Zoë Ünal"), "z@example.com"),
        ];
        for (input, name, address) in cases {
            assert_eq!(one(input), (name.map(str::to_owned), address.to_owned()), "{input:?}");
        }
    }

    #[test]
    fn bad_mailboxes() {
        for bad in [
            "Ann <a@example.com",
            "Ann a@example.com>",
            "<a@example.com> x",
            "a@example.com\r\nBcc: x@y",
            "\"Ann <a@example.com>",
            "not an address",
        ] {
            assert!(Mailbox::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn lists_split_on_commas_outside_quotes() {
        let list = parse_mailbox_list("a@example.com, \"Doe, John\" <j@example.com>,<b@example.com>").unwrap();
        let addresses: Vec<&str> = list.iter().map(|m| m.address.as_str()).collect();
        assert_eq!(addresses, ["a@example.com", "j@example.com", "b@example.com"]);
        assert_eq!(parse_mailbox_list(" , "), Err(MailboxError::Empty));
        assert!(parse_mailbox_list("a@example.com; b@example.com").is_err());
        assert_eq!(parse_mailbox_list("a@example.com,").unwrap().len(), 1);
    }
}
