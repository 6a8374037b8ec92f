//! `sendmail`: an SMTP client for PHP, written as a native extension.
//!
//! The crate is layered, and data flows top to bottom only:
//! - [`message`]: the bytes of a mail (headers, encodings, the legacy header rule); no I/O.
//! - [`protocol`]: SMTP as values and bytes (replies, commands, capabilities, the DATA encoder); no I/O.
//! - [`transport`]: TCP with deadlines; the only place that touches a socket.
//! - [`client`]: one SMTP session over a transport, stage by stage.
//! - `php` (feature `php`): the PHP classes, a thin binding over [`client`].

pub mod client;
pub mod message;
pub mod protocol;
pub mod transport;

#[cfg(feature = "php")]
mod php;
