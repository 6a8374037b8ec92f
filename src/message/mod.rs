//! Message bytes: header text, encodings, and the legacy header rule. No I/O.
#![forbid(unsafe_code)]

pub mod address;
pub mod date;
pub mod email;
pub mod encoding;
pub mod header_block;
pub mod legacy;
pub mod mailbox;
pub mod mime;

pub use legacy::{LegacyMessage, LegacyParts};
pub use mailbox::{parse_mailbox_list, Mailbox, MailboxError};
