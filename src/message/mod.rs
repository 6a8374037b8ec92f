//! Message bytes: header text, encodings, and the legacy header rule. No I/O.
#![forbid(unsafe_code)]

pub mod address;
pub mod date;
pub mod dkim;
pub mod dsn;
pub mod email;
pub mod encoding;
pub mod header_block;
pub mod legacy;
pub mod legacy_smtp;
pub mod mailbox;
pub mod mime;
pub mod raw;

pub use legacy::{LegacyMessage, LegacyParts};
pub use mailbox::{parse_mailbox_list, Mailbox, MailboxError};

/// A caller's text inside an error message: quoted, and cut at 60 characters, so that an error
/// about a megabyte argument is not a megabyte long.
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a>(pub &'a str);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const MAX: usize = 60;
        match self.0.char_indices().nth(MAX) {
            Some((cut, _)) => write!(f, "{:?}...", self.0.get(..cut).unwrap_or_default()),
            None => write!(f, "{:?}", self.0),
        }
    }
}
