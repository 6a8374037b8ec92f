//! Sockets: TCP with a connect timeout and deadlines on every read and write. TLS will live here too.

pub mod certificate;
pub mod hostname;
mod stream;
pub mod tls;

pub use stream::{connect, display_target, ConnectError, HandshakeError, Stream, TlsDetails};
pub use tls::{client_config, TlsError, TlsSettings};
