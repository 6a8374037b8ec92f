//! One SMTP session over a transport: connect, greet, EHLO, transactions, QUIT.
//!
//! The session owns the read buffer and the deadlines; every reply must arrive whole within the
//! timeout, however slowly the server drips it. After a timeout or a broken reply the connection is
//! closed and never used again.

pub mod batch;
mod connection;
pub mod controls;
mod delivery;
mod error;
pub mod identity;
mod legacy;
mod observer;
pub mod pool;
pub mod probe;
pub mod reuse;
mod security;
mod session;
pub mod signing;
mod target;

pub use controls::{Controls, Pace, RelayMode};
pub use delivery::{message_bytes, Delivery};
pub use error::Error;
pub use observer::{Event, Observer};
pub use security::{AuthOptions, TlsMode};
pub use session::{Server, Session, SessionOptions};
pub use target::{checked_port, parse_ip, parse_targets, redact, Target, TargetError};
