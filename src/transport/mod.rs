//! Sockets: TCP with a connect timeout and deadlines on every read and write. TLS will live here too.

pub mod hostname;
mod stream;

pub use stream::{connect, display_target, ConnectError, Stream};
